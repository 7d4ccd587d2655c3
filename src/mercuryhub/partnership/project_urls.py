"""The routes of the Partnership's project pages."""

from django.urls import path

from mercuryhub.partnership import project_views

urlpatterns = [
    path("", project_views.project_list, name="partnership-project-list"),
    path("map.json", project_views.project_map, name="partnership-project-map"),
    path("export.csv", project_views.project_export, name="partnership-project-export"),
    path("<int:pk>/", project_views.project_detail, name="partnership-project-detail"),
]
