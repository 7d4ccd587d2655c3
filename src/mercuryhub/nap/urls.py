from django.urls import path, register_converter

from mercuryhub.nap import builder_views, views
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
