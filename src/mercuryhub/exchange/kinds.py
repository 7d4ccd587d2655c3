"""The need, described once for the review layer's registry: drafts, submission, validation,
versions, revert and search come from the review layer, as for the catalogue's and the library's
kinds. Registered in ``ExchangeConfig.ready``."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.queries import (
    is_reviewer,
    organizations_editable_by,
)
from mercuryhub.catalogue.fields import normalized
from mercuryhub.catalogue.kinds import KeptByPersonOrOrganizationKind
from mercuryhub.exchange import fields
from mercuryhub.exchange.models import Need
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import DEFAULT_LANGUAGE, TranslatedField


def _field(name, label, shows="text", choices=()):
    return VersionField(name, label, shows, tuple(choices))


def may_see_partners_only(user) -> bool:
    """Partners-only needs show to signed-in members of an organization and to reviewers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_reviewer(user) or user.memberships.exists()


def _check_not_past(needed_by) -> None:
    """A need is posted, or its end moved, to a date still ahead."""
    if needed_by is not None and needed_by < timezone.localdate():
        raise InvalidInputError(
            {"needed_by": f"{needed_by.isoformat()} is in the past; give a date still ahead"}
        )


class NeedKind(KeptByPersonOrOrganizationKind):
    organization_refusal = "Only editors of {name} can post needs for it"

    name = "need"
    model = Need
    label = gettext_lazy("Need")
    label_plural = gettext_lazy("Needs")
    organization_field = "organization"
    owner_field = "owner"
    queue_country_field = "country"
    detail_url_name = "exchange-need-detail"
    edit_url_name = "catalogue-entry-edit"
    hit_template = "exchange/_hit.html"
    select_related = ("country", "funding_status", "organization", "owner")
    prefetch_related = ("waste_categories", "phases", "support_types", "languages")
    term_fields = {"waste": "waste_categories", "phase": "phases"}
    tag_fields = ("waste_categories", "phases", "support_types")
    # A need is current while it is open: its owner closes it rather than reconfirm it.
    in_update_campaigns = False
    # What the platform is asked, not what it knows: not on the wheel nor the factsheets.
    on_topic_pages = False
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("description", multiline=True),
    )
    fields = (
        _field("name", gettext_lazy("Title")),
        _field("description", gettext_lazy("Description")),
        _field("country", gettext_lazy("Country"), "countries"),
        _field("waste_categories", gettext_lazy("Waste categories"), "terms:waste_categories"),
        _field("phases", gettext_lazy("Management phases"), "terms:management_phases"),
        _field("support_types", gettext_lazy("Types of support"), "terms:support_types"),
        _field("languages", gettext_lazy("Languages"), "languages"),
        _field("needed_from", gettext_lazy("Needed from")),
        _field("needed_by", gettext_lazy("Needed by")),
        _field("funding_status", gettext_lazy("Funding status"), "terms:funding_statuses"),
        _field(
            "visibility",
            gettext_lazy("Visibility"),
            "choice",
            Need.Visibility.choices,
        ),
        _field("organization", gettext_lazy("Organization"), "organization"),
    )

    # -- reads ---------------------------------------------------------------------------

    def visible_to(self, user):
        """Published needs; partners-only ones to members of an organization and reviewers.
        The search index (``visible_to(None)``) holds the public ones only."""
        published = Need.objects.filter(published=True)
        if may_see_partners_only(user):
            return published
        return published.filter(visibility=Need.Visibility.PUBLIC)

    def serialize(self, entry) -> dict:
        return {**fields.need_data(entry), **self.translation_data(entry)}

    def clean(self, data: dict):
        return self.clean_with_translations(data, fields.clean_need)

    def stored(self, checked) -> dict:
        own, languages = self.without_translations(checked)
        own = fields.stored_data(own)
        return {
            **normalized(self.name, own, fields.LIST_FIELDS),
            **self.stored_translations(languages),
        }

    def normalized(self, data: dict) -> dict:
        return {
            "content_language": DEFAULT_LANGUAGE,
            **normalized(self.name, data, fields.LIST_FIELDS),
        }

    def tagged_with(self, term_ids):
        condition = Q()
        for name in self.tag_fields:
            condition |= Q(**{f"{name}__in": term_ids})
        return Need.objects.filter(condition).distinct()

    def search_texts(self, entry) -> list[str]:
        return [entry.country.name, entry.funding_status.label]

    # -- writes --------------------------------------------------------------------------

    def prepare_draft(self, user, checked) -> None:
        super().prepare_draft(user, checked)
        _check_not_past(checked.values.get("needed_by"))

    def check_edit(self, user, current: dict, checked) -> None:
        needed_by = checked.values.get("needed_by")
        if needed_by is not None and needed_by.isoformat() != current.get("needed_by"):
            _check_not_past(needed_by)

    def after_draft(self, user, entry) -> None:
        if user is not None and entry.owner_id is None:
            Need.objects.filter(pk=entry.pk).update(owner=user)
            entry.owner = user

    def publishes_on_submission(self, user, entry) -> bool:
        """A new account's first public need waits for the secretariat; partners-only needs,
        and the needs of reviewers, of editors of an organization and of people the
        secretariat already validated a need of, are published on submission."""
        if entry.visibility == Need.Visibility.PARTNERS:
            return True
        if is_reviewer(user) or organizations_editable_by(user).exists():
            return True
        return Need.objects.filter(owner=user, validated_by__isnull=False).exists()


KIND = NeedKind()
