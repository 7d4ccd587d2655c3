from django.urls import path

from mercuryhub.nap import views

urlpatterns = [
    path("", views.plan_list, name="nap-plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="nap-plan-detail"),
    path("plans/<int:pk>/builder/", views.plan_builder, name="nap-plan-builder"),
]

from mercuryhub.nap import export_views  # noqa: E402 - the export's routes, after the pages'

urlpatterns += [
    path("plans/<int:pk>/plan.docx", export_views.plan_docx, name="nap-plan-docx"),
    path("plans/<int:pk>/import/", export_views.plan_import, name="nap-plan-import"),
    path(
        "plans/<int:pk>/import/template.xlsx",
        export_views.plan_import_template,
        name="nap-plan-import-template",
    ),
]
