"""The Partnership's pages under /partnership/: partners and working groups, events, projects;
each part keeps its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("mercuryhub.partnership.group_urls")),
    path("", include("mercuryhub.partnership.work_urls")),
    path("events/", include("mercuryhub.partnership.event_urls")),
    path("projects/", include("mercuryhub.partnership.project_urls")),
]
