from django.urls import path

from mercuryhub.exchange import alert_views, matching_views, offer_views, response_views, views

urlpatterns = [
    path("what-do-you-need/", matching_views.what_do_you_need, name="exchange-what-do-you-need"),
    path("needs/", views.need_list, name="exchange-need-list"),
    path("needs/similar/", views.similar_needs, name="exchange-similar-needs"),
    path("needs/<int:pk>/", views.need_detail, name="exchange-need-detail"),
    path("needs/<int:pk>/close/", views.need_close, name="exchange-need-close"),
    path("needs/<int:pk>/offers/", offer_views.need_offer, name="exchange-need-offer"),
    path("needs/<int:pk>/notes/", response_views.need_note, name="exchange-need-note"),
    path("alerts/", alert_views.need_alerts, name="exchange-alerts"),
    path("responses/", response_views.response_list, name="exchange-response-list"),
    path("needs/<int:pk>/matched/", offer_views.need_matched, name="exchange-need-matched"),
    path("offers/<int:pk>/accept/", offer_views.offer_accept, name="exchange-offer-accept"),
    path("offers/<int:pk>/decline/", offer_views.offer_decline, name="exchange-offer-decline"),
]
