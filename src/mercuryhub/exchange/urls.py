from django.urls import path

from mercuryhub.exchange import views

urlpatterns = [
    path("needs/", views.need_list, name="exchange-need-list"),
    path("needs/similar/", views.similar_needs, name="exchange-similar-needs"),
    path("needs/<int:pk>/", views.need_detail, name="exchange-need-detail"),
    path("needs/<int:pk>/close/", views.need_close, name="exchange-need-close"),
]
