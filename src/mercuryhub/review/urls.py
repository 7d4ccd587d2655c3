from django.urls import path

from mercuryhub.review import campaign_views, views

urlpatterns = [
    # The annual update (campaign_views)
    path("campaigns/", campaign_views.campaign_list, name="review-campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="review-campaign-detail"),
    # The secretariat's review and every entry's versions (views)
    path("", views.review_queue, name="review-queue"),
    path("<str:kind>/<int:pk>/", views.review_entry, name="review-entry"),
    path("<str:kind>/<int:pk>/versions/", views.entry_versions, name="review-entry-versions"),
    path("<str:kind>/<int:pk>/revert/", views.entry_revert, name="review-entry-revert"),
    path(
        "<str:kind>/<int:pk>/reconfirm/",
        campaign_views.entry_reconfirm,
        name="review-entry-reconfirm",
    ),
]
