from django.urls import path

from mercuryhub.exchange import matching_views

urlpatterns = [
    path("what-do-you-need/", matching_views.what_do_you_need, name="exchange-what-do-you-need"),
]
