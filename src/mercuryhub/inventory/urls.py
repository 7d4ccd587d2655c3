from django.urls import path

from mercuryhub.inventory import sheet_views, views

urlpatterns = [
    path("", views.inventory_list, name="inventory-list"),
    path("new/", views.inventory_create, name="inventory-create"),
    path("template.xlsx", sheet_views.lines_template, name="inventory-template"),
    path("<int:pk>/", views.inventory_detail, name="inventory-detail"),
    path("<int:pk>/edit/", views.inventory_edit, name="inventory-edit"),
    path("<int:pk>/submit/", views.inventory_submit, name="inventory-submit"),
    path("<int:pk>/lines/new/", views.line_edit, name="inventory-line-new"),
    path("<int:pk>/lines/<int:number>/", views.line_edit, name="inventory-line-edit"),
    path("<int:pk>/lines/<int:number>/remove/", views.line_remove, name="inventory-line-remove"),
    # The inventory as spreadsheets, and its lines imported from one.
    path("<int:pk>/inventory.xlsx", sheet_views.inventory_xlsx, name="inventory-xlsx"),
    path("<int:pk>/inventory.csv", sheet_views.inventory_csv, name="inventory-csv"),
    path("<int:pk>/import/", sheet_views.lines_import, name="inventory-import"),
]
