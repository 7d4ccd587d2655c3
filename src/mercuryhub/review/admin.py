from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions, registry
from mercuryhub.review.models import EntryVersion, ReviewDecision, ReviewDigest, UpdateCampaign


def _plain(value):
    """A form's cleaned value in the shape of a kind's serialization: an organization by slug, a
    country by ISO code, terms and languages by code."""
    if isinstance(value, QuerySet | list | tuple):
        return sorted(str(_plain(item)) for item in value)
    if isinstance(value, Model):
        for attribute in ("slug", "iso3", "code"):
            if hasattr(value, attribute):
                return getattr(value, attribute)
        return value.pk
    return "" if value is None and not isinstance(value, bool) else value


class ReviewedEntryAdmin(SimpleHistoryAdmin):
    """An entry of a registered kind in the administration. A change goes through the review
    layer's ``do_correct_entry``: checked by the kind's own rules, kept as a new version with a
    decision, published at once when the entry is published, and reindexed. New entries are
    added and deleted on the platform's own pages, which keep their review."""

    # An address typed without a scheme is taken as https, as the platform's own forms do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = [
        "review_state",
        "published",
        "version",
        "published_version",
        "submitted_at",
        "submitted_by",
        "validated_at",
        "validated_by",
        "return_reason",
        "last_confirmed_at",
        "created_at",
        "updated_at",
        "review_pages",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Versions and review"))
    def review_pages(self, obj):
        if obj is None or obj.pk is None:
            return ""
        kind = registry.kind_of(obj)
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("review-entry-versions", args=[kind.name, obj.pk]),
            _("every version, compared and restorable"),
            kind.edit_url(obj),
            _("edit form"),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        admin_form = self

        class CheckedByTheKind(form_class):
            def clean(self):
                cleaned = super().clean()
                if self.instance.pk is not None and not self.errors:
                    self.entry_data = admin_form.entry_data(self.instance, cleaned)
                    kind = registry.kind_of(self.instance)
                    try:
                        kind.clean(self.entry_data)
                    except InvalidInputError as error:
                        raise ValidationError(
                            [f"{name}: {message}" for name, message in error.errors.items()]
                        ) from None
                return cleaned

        return CheckedByTheKind

    def entry_data(self, entry, cleaned: dict) -> dict:
        """The entry's serialization with the form's values in place of its own."""
        kind = registry.kind_of(entry)
        data = kind.serialize(type(entry).objects.get(pk=entry.pk))
        for name, value in cleaned.items():
            key = name if name in data else kind.serialized_name(name)
            if key in data:
                data[key] = _plain(value)
        return data

    def save_model(self, request, obj, form, change):
        try:
            form.instance = actions.do_correct_entry(
                registry.kind_of(obj).name, request.user, obj, form.entry_data
            )
        except PermissionDenied as error:
            messages.error(request, str(error))

    def save_related(self, request, form, formsets, change):
        """The many-to-many values were saved by ``do_correct_entry`` with the rest."""


class _ReadOnly(admin.ModelAdmin):
    """Versions and decisions are the record of what happened: readable, never editable."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EntryVersion)
class EntryVersionAdmin(_ReadOnly):
    list_display = ["kind", "object_id", "number", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["object_id", "note", "created_by__email"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(_ReadOnly):
    list_display = ["kind", "object_id", "version", "action", "made_by", "made_at"]
    list_filter = ["kind", "action"]
    search_fields = ["object_id", "reason", "made_by__email"]


@admin.register(UpdateCampaign)
class UpdateCampaignAdmin(_ReadOnly):
    list_display = ["name", "year", "opened_at", "deadline", "closed_at"]
    search_fields = ["name", "message"]


@admin.register(ReviewDigest)
class ReviewDigestAdmin(_ReadOnly):
    list_display = ["sent_at"]
