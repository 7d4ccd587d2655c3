from django.urls import path

from mercuryhub.forms import (
    analysis_views,
    app_user_views,
    export_views,
    fill_views,
    form_views,
    import_views,
    submission_views,
    views,
)

_FORM = "<slug:slug>/forms/<str:xml_form_id>/"
_SUBMISSION = _FORM + "submissions/<str:instance_id>/"

urlpatterns = [
    path("", views.project_list, name="forms-project-list"),
    path("new/", views.project_create, name="forms-project-create"),
    path("<slug:slug>/", views.project_detail, name="forms-project-detail"),
    path("<slug:slug>/members/", views.project_member, name="forms-project-member"),
    path(
        "<slug:slug>/members/<int:user_id>/remove/",
        views.project_member_remove,
        name="forms-project-member-remove",
    ),
    path("<slug:slug>/forms/", form_views.form_upload, name="forms-form-upload"),
    path(_FORM, form_views.form_detail, name="forms-form-detail"),
    path(_FORM + "versions/", form_views.form_version_upload, name="forms-form-version-upload"),
    path(_FORM + "media/", form_views.form_media, name="forms-form-media"),
    path(_FORM + "import/", import_views.submission_import, name="forms-submission-import"),
    path(_FORM + "state/", form_views.form_state, name="forms-form-state"),
    path(_FORM + "versions/<int:pk>/xlsform/", form_views.form_xlsform, name="forms-form-xlsform"),
    path(_FORM + "versions/<int:pk>/xform/", form_views.form_xform, name="forms-form-xform"),
    path(_FORM + "summary/", analysis_views.form_summary, name="forms-form-summary"),
    path(
        _FORM + "summary/crosstab.csv",
        analysis_views.form_crosstab_csv,
        name="forms-form-crosstab-csv",
    ),
    path(_FORM + "summary/report.docx", analysis_views.form_report, name="forms-form-report"),
    path(_FORM + "export.<str:file_format>", export_views.form_export, name="forms-form-export"),
    path(_FORM + "fill/", fill_views.form_fill, name="forms-form-fill"),
    path(_FORM + "fill/relevance/", fill_views.form_fill_relevance, name="forms-fill-relevance"),
    path(_FORM + "submissions/", submission_views.submission_list, name="forms-submission-list"),
    path(_SUBMISSION, submission_views.submission_detail, name="forms-submission-detail"),
    path(_SUBMISSION + "edit/", fill_views.submission_edit, name="forms-submission-edit"),
    path(
        _SUBMISSION + "review/", submission_views.submission_review, name="forms-submission-review"
    ),
    path(
        _SUBMISSION + "attachments/<str:name>",
        submission_views.submission_attachment,
        name="forms-submission-attachment",
    ),
    path("<slug:slug>/app-users/", app_user_views.app_user_list, name="forms-app-user-list"),
    path(
        "<slug:slug>/app-users/<int:pk>/",
        app_user_views.app_user_detail,
        name="forms-app-user-detail",
    ),
    path(
        "<slug:slug>/app-users/<int:pk>/revoke/",
        app_user_views.app_user_revoke,
        name="forms-app-user-revoke",
    ),
]
