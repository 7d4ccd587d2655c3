from django.urls import path
from django.views.generic import RedirectView

from mercuryhub.catalogue import editor_views, export_views, map_views, views


def _moved(pattern_name: str):
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


urlpatterns = [
    path("", views.catalogue_home, name="catalogue-home"),
    path("search/", views.search_results, name="catalogue-search"),
    path("search/facets/", views.search_facets, name="catalogue-search-facets"),
    path("facilities/<int:pk>/", views.facility_detail, name="catalogue-facility-detail"),
    path("offerings/<int:pk>/", views.offering_detail, name="catalogue-offering-detail"),
    path("experts/<int:pk>/", views.expert_detail, name="catalogue-expert-detail"),
    path("experts/<int:pk>/contact/", views.expert_contact, name="catalogue-expert-contact"),
    path("map/", map_views.facility_map, name="catalogue-map"),
    path("map/facilities.json", map_views.facility_map_points, name="catalogue-map-points"),
    path("finder/", map_views.facility_finder, name="catalogue-finder"),
    path("export/<str:file_format>/", export_views.export_catalogue, name="catalogue-export"),
    path("publication.docx", export_views.publication, name="catalogue-publication"),
    # Partners' editing (editor_views)
    path("mine/", editor_views.my_entries, name="catalogue-my-entries"),
    path("new/<str:kind>/", editor_views.entry_create, name="catalogue-entry-create"),
    path("<str:kind>/<int:pk>/edit/", editor_views.entry_edit, name="catalogue-entry-edit"),
    path("<str:kind>/<int:pk>/submit/", editor_views.entry_submit, name="catalogue-entry-submit"),
    path("<str:kind>/<int:pk>/delete/", editor_views.entry_delete, name="catalogue-entry-delete"),
    path("experts/nominate/", editor_views.expert_nominate, name="catalogue-expert-nominate"),
    path("upload/", editor_views.bulk_upload, name="catalogue-bulk-upload"),
    path(
        "experts/<int:pk>/link/<slug:slug>/",
        editor_views.expert_link,
        name="catalogue-expert-link",
    ),
    # Addresses of the review pages before they served every kind of entry, kept for the links
    # already sent by e-mail and bookmarked.
    path("review/", _moved("review-queue")),
    path("review/<str:kind>/<int:pk>/", _moved("review-entry")),
    path("<str:kind>/<int:pk>/versions/", _moved("review-entry-versions")),
    path("<str:kind>/<int:pk>/revert/", _moved("review-entry-revert")),
    path("<str:kind>/<int:pk>/reconfirm/", _moved("review-entry-reconfirm")),
    path("campaigns/", _moved("review-campaigns")),
    path("campaigns/<int:pk>/", _moved("review-campaign-detail")),
]
