from django.urls import path

from mercuryhub.nap import views

urlpatterns = [
    path("", views.plan_list, name="nap-plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="nap-plan-detail"),
    path("plans/<int:pk>/builder/", views.plan_builder, name="nap-plan-builder"),
]
