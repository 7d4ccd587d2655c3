from django.urls import path

from mercuryhub.inventory import compare_views, views

urlpatterns = [
    path("", views.inventory_list, name="inventory-list"),
    path("new/", views.inventory_create, name="inventory-create"),
    path("compare/", compare_views.inventory_compare, name="inventory-compare"),
    path(
        "compare/comparison.csv",
        compare_views.inventory_compare_csv,
        name="inventory-compare-csv",
    ),
    path("<int:pk>/", views.inventory_detail, name="inventory-detail"),
    path("<int:pk>/edit/", views.inventory_edit, name="inventory-edit"),
    path("<int:pk>/submit/", views.inventory_submit, name="inventory-submit"),
    path("<int:pk>/lines/new/", views.line_edit, name="inventory-line-new"),
    path("<int:pk>/lines/<int:number>/", views.line_edit, name="inventory-line-edit"),
    path("<int:pk>/lines/<int:number>/remove/", views.line_remove, name="inventory-line-remove"),
]
