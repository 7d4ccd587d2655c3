"""The routes of the Partnership's landing page, its partners and its working groups."""

from django.urls import path

from mercuryhub.partnership import group_views, partner_views

urlpatterns = [
    path("", partner_views.home, name="partnership-home"),
    path("partners/", partner_views.partner_list, name="partnership-partner-list"),
    path("partners.csv", partner_views.partner_csv, name="partnership-partner-csv"),
    path("groups/", group_views.group_list, name="partnership-group-list"),
    path("groups/<slug:code>/", group_views.group_detail, name="partnership-group-detail"),
    path("groups/<slug:code>/join/", group_views.group_join, name="partnership-group-join"),
    path(
        "groups/<slug:code>/requests/<int:pk>/",
        group_views.group_decide,
        name="partnership-group-decide",
    ),
    path(
        "groups/<slug:code>/members/<int:pk>/leave/",
        group_views.group_leave,
        name="partnership-group-leave",
    ),
    path(
        "groups/<slug:code>/leaders/", group_views.group_leaders, name="partnership-group-leaders"
    ),
    path(
        "groups/<slug:code>/leaders/<int:pk>/end/",
        group_views.group_end_leadership,
        name="partnership-group-end-leadership",
    ),
]
