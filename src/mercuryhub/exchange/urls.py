from django.urls import path

from mercuryhub.exchange import views

urlpatterns = [
    path("what-do-you-need/", views.what_do_you_need, name="exchange-what-do-you-need"),
]
