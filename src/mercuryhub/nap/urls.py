from django.urls import path, register_converter

from mercuryhub.nap import (
    assistance_views,
    builder_views,
    export_views,
    reference_views,
    review_views,
    views,
)
from mercuryhub.nap.forms import PARTS


class PartConverter:
    """The structured parts of a plan the builder edits row by row, and nothing else (other
    builder pages stay free to take their own names)."""

    regex = "|".join(PARTS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PartConverter, "nap_part")
_builder = "plans/<int:pk>/builder/"

urlpatterns = [
    path("", views.plan_list, name="nap-plan-list"),
    path("new/", views.plan_create, name="nap-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="nap-plan-detail"),
    # The builder (builder_views): the country team's pages
    path(_builder, builder_views.plan_builder, name="nap-plan-builder"),
    path(_builder + "sections/<str:code>/", builder_views.section_edit, name="nap-plan-section"),
    path(_builder + "baseline/", builder_views.fill_baseline, name="nap-plan-fill-baseline"),
    path(_builder + "publish/", builder_views.publish, name="nap-plan-publish"),
    path(_builder + "<nap_part:part>/", builder_views.rows, name="nap-plan-rows"),
    path(_builder + "<nap_part:part>/new/", builder_views.row_edit, name="nap-plan-row-add"),
    path(
        _builder + "<nap_part:part>/<int:number>/", builder_views.row_edit, name="nap-plan-row-edit"
    ),
    path(
        _builder + "<nap_part:part>/<int:number>/remove/",
        builder_views.row_remove,
        name="nap-plan-row-remove",
    ),
]

# Peer review of a plan (review_views.py) and assistance requests (assistance_views.py).
urlpatterns += [
    path("plans/<int:pk>/review/", review_views.plan_review, name="nap-plan-review"),
    path(
        "plans/<int:pk>/review/rounds/",
        review_views.review_round_open,
        name="nap-review-round-open",
    ),
    path(
        "plans/<int:pk>/review/rounds/<int:number>/",
        review_views.review_round_detail,
        name="nap-review-round-detail",
    ),
    path(
        "plans/<int:pk>/review/rounds/<int:number>/invitations/",
        review_views.review_round_invite,
        name="nap-review-round-invite",
    ),
    path(
        "plans/<int:pk>/review/rounds/<int:number>/close/",
        review_views.review_round_close,
        name="nap-review-round-close",
    ),
    path(
        "plans/<int:pk>/review/comments/",
        review_views.review_comment_create,
        name="nap-review-comment-create",
    ),
    path(
        "plans/<int:pk>/review/comments/<int:comment_id>/resolve/",
        review_views.review_comment_resolve,
        name="nap-review-comment-resolve",
    ),
    path(
        "plans/<int:pk>/review/comments/<int:comment_id>/reopen/",
        review_views.review_comment_reopen,
        name="nap-review-comment-reopen",
    ),
    path("assistance/", assistance_views.assistance_list, name="nap-assistance-list"),
    path("assistance/new/", assistance_views.assistance_new, name="nap-assistance-new"),
    path("assistance/<int:pk>/", assistance_views.assistance_detail, name="nap-assistance-detail"),
    path(
        "assistance/<int:pk>/assign/",
        assistance_views.assistance_assign,
        name="nap-assistance-assign",
    ),
    path(
        "assistance/<int:pk>/complete/",
        assistance_views.assistance_complete,
        name="nap-assistance-complete",
    ),
    path(
        "assistance/<int:pk>/decline/",
        assistance_views.assistance_decline,
        name="nap-assistance-decline",
    ),
]

# The plan as a Word document, and its objectives and actions imported from a spreadsheet.
urlpatterns += [
    path("plans/<int:pk>/plan.docx", export_views.plan_docx, name="nap-plan-docx"),
    path("plans/<int:pk>/import/", export_views.plan_import, name="nap-plan-import"),
    path(
        "plans/<int:pk>/import/template.xlsx",
        export_views.plan_import_template,
        name="nap-plan-import-template",
    ),
    path("world/", reference_views.world, name="nap-world"),
    path("countries/<str:iso3>/", reference_views.country, name="nap-country"),
    path("budgets/", reference_views.budgets_compared, name="nap-budgets"),
]
