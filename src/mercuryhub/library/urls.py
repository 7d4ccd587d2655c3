from django.urls import path

from mercuryhub.library import factsheet_views, views, wheel_views

urlpatterns = [
    path("", views.library_home, name="library-home"),
    path("resources/<int:pk>/", views.resource_detail, name="library-resource-detail"),
    path("case-studies/<int:pk>/", views.case_study_detail, name="library-case-study-detail"),
    path("wheel/", wheel_views.wheel_page, name="library-wheel"),
    path("factsheets/", factsheet_views.factsheet_index, name="library-factsheets"),
    path("factsheets/<slug:code>/", factsheet_views.factsheet, name="library-factsheet"),
    path(
        "factsheets/<slug:code>/docx/",
        factsheet_views.factsheet_docx,
        name="library-factsheet-docx",
    ),
]
