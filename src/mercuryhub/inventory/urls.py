from django.urls import path

from mercuryhub.inventory import compare_views, sheet_views, views

urlpatterns = [
    path("", views.inventory_list, name="inventory-list"),
    path("new/", views.inventory_create, name="inventory-create"),
    path("factors/", views.factor_set_list, name="inventory-factor-set-list"),
    path("factors/<slug:code>/", views.factor_set_detail, name="inventory-factor-set-detail"),
    path("compare/", compare_views.inventory_compare, name="inventory-compare"),
    path(
        "compare/comparison.csv",
        compare_views.inventory_compare_csv,
        name="inventory-compare-csv",
    ),
    path("template.xlsx", sheet_views.lines_template, name="inventory-template"),
    path("<int:pk>/", views.inventory_detail, name="inventory-detail"),
    path("<int:pk>/edit/", views.inventory_edit, name="inventory-edit"),
    path("<int:pk>/submit/", views.inventory_submit, name="inventory-submit"),
    path("<int:pk>/solutions/", views.inventory_solutions, name="inventory-solutions"),
    path(
        "<int:pk>/solutions/<slug:waste>/need/",
        views.inventory_post_need,
        name="inventory-post-need",
    ),
    path("<int:pk>/lines/new/", views.line_edit, name="inventory-line-new"),
    path("<int:pk>/lines/<int:number>/", views.line_edit, name="inventory-line-edit"),
    path("<int:pk>/lines/<int:number>/remove/", views.line_remove, name="inventory-line-remove"),
    # The inventory as spreadsheets, and its lines imported from one.
    path("<int:pk>/inventory.xlsx", sheet_views.inventory_xlsx, name="inventory-xlsx"),
    path("<int:pk>/inventory.csv", sheet_views.inventory_csv, name="inventory-csv"),
    path("<int:pk>/import/", sheet_views.lines_import, name="inventory-import"),
]
