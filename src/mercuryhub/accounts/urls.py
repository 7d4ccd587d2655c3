from django.urls import path

from mercuryhub.accounts import views

urlpatterns = [
    path("profile/", views.profile, name="accounts-profile"),
    path("profile/tokens/<int:token_id>/revoke/", views.revoke_token, name="accounts-token-revoke"),
    path("organizations/", views.organization_list, name="accounts-organization-list"),
    path("organizations/new/", views.organization_create, name="accounts-organization-create"),
    path(
        "organizations/<slug:slug>/", views.organization_detail, name="accounts-organization-detail"
    ),
    path(
        "organizations/<slug:slug>/edit/",
        views.organization_edit,
        name="accounts-organization-edit",
    ),
    path(
        "organizations/<slug:slug>/partnership/",
        views.organization_partnership,
        name="accounts-organization-partnership",
    ),
]
