from django.urls import path

from mercuryhub.library import case_study_views, factsheet_views, views, wheel_views

urlpatterns = [
    path("", views.library_home, name="library-home"),
    path("resources/", views.resource_list, name="library-resource-list"),
    path("resources/<int:pk>/", views.resource_detail, name="library-resource-detail"),
    path("case-studies/", case_study_views.case_study_list, name="library-case-study-list"),
    path(
        "case-studies/criteria/",
        case_study_views.criteria_list,
        name="library-case-study-criteria",
    ),
    path("case-studies/<int:pk>/", views.case_study_detail, name="library-case-study-detail"),
    path("files/<int:pk>/", views.document_file, name="library-file"),
    path(
        "case-studies/<int:pk>/judgements/",
        case_study_views.judge_criterion,
        name="library-case-study-judge",
    ),
    path("wheel/", wheel_views.wheel_page, name="library-wheel"),
    path("factsheets/", factsheet_views.factsheet_index, name="library-factsheets"),
    path("factsheets/<slug:code>/", factsheet_views.factsheet, name="library-factsheet"),
    path(
        "factsheets/<slug:code>/docx/",
        factsheet_views.factsheet_docx,
        name="library-factsheet-docx",
    ),
]
