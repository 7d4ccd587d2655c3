"""The OpenRosa routes, at the addresses ODK Collect derives from a project's server address:
not language-prefixed, under /v1/key/<token>/projects/<slug>/ (mounted in mercuryhub.urls)."""

from django.urls import path

from mercuryhub.forms import openrosa

urlpatterns = [
    path("formList", openrosa.form_list, name="forms-openrosa-form-list"),
    path("submission", openrosa.submission, name="forms-openrosa-submission"),
    path("forms/<str:xml_form_id>.xml", openrosa.form_xml, name="forms-openrosa-form"),
    path("forms/<str:xml_form_id>/manifest", openrosa.manifest, name="forms-openrosa-manifest"),
    path(
        "forms/<str:xml_form_id>/attachments/<str:name>",
        openrosa.media_file,
        name="forms-openrosa-media",
    ),
]
