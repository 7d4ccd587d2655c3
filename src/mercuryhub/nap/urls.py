from django.urls import path

from mercuryhub.nap import reference_views, views

urlpatterns = [
    path("", views.plan_list, name="nap-plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="nap-plan-detail"),
    path("plans/<int:pk>/builder/", views.plan_builder, name="nap-plan-builder"),
    path("world/", reference_views.world, name="nap-world"),
    path("countries/<str:iso3>/", reference_views.country, name="nap-country"),
    path("budgets/", reference_views.budgets_compared, name="nap-budgets"),
]
