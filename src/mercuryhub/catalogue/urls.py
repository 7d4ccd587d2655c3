from django.urls import path

from mercuryhub.catalogue import (
    campaign_views,
    editor_views,
    export_views,
    map_views,
    review_views,
    views,
)

urlpatterns = [
    path("", views.catalogue_home, name="catalogue-home"),
    path("search/", views.search_results, name="catalogue-search"),
    path("search/facets/", views.search_facets, name="catalogue-search-facets"),
    path("facilities/<int:pk>/", views.facility_detail, name="catalogue-facility-detail"),
    path("offerings/<int:pk>/", views.offering_detail, name="catalogue-offering-detail"),
    path("experts/<int:pk>/", views.expert_detail, name="catalogue-expert-detail"),
    path("experts/<int:pk>/contact/", views.expert_contact, name="catalogue-expert-contact"),
    path("map/", map_views.facility_map, name="catalogue-map"),
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
    # The secretariat's review (review_views)
    path("review/", review_views.review_queue, name="catalogue-review-queue"),
    path("review/<str:kind>/<int:pk>/", review_views.review_entry, name="catalogue-review-entry"),
    path(
        "<str:kind>/<int:pk>/versions/",
        review_views.entry_versions,
        name="catalogue-entry-versions",
    ),
    path("<str:kind>/<int:pk>/revert/", review_views.entry_revert, name="catalogue-entry-revert"),
    # The annual update (campaign_views)
    path("campaigns/", campaign_views.campaign_list, name="catalogue-campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="catalogue-campaign-detail"),
    path(
        "<str:kind>/<int:pk>/reconfirm/",
        campaign_views.entry_reconfirm,
        name="catalogue-entry-reconfirm",
    ),
]
