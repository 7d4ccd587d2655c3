"""The catalogue's three kinds of entry, described once for the review layer's registry: what a
version holds, how input is checked and saved, who owns an entry, what the public sees, what the
search index holds, what an editor confirms. Registered in ``CatalogueConfig.ready``."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.queries import can_edit_organization, is_administrator
from mercuryhub.catalogue import fields, queries
from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review.registry import EntryKind, VersionField
from mercuryhub.review.translations import DEFAULT_LANGUAGE, TranslatedField
from mercuryhub.search.engine import Document
from mercuryhub.search.words import SEPARATOR


def _field(name, label, shows="text", choices=()):
    return VersionField(name, label, shows, tuple(choices))


_NAME = _field("name", gettext_lazy("Name"))
_TRANSLATED_NAME = TranslatedField("name", max_length=300)
_TRANSLATED_DESCRIPTION = TranslatedField("description", multiline=True)
_COMMON_END = (
    _field("website", gettext_lazy("Website")),
    _field("source", gettext_lazy("Source of the information")),
    _field("external_id", gettext_lazy("External identifier")),
)
_LANGUAGES = _field("languages", gettext_lazy("Languages"), "languages")
_WASTES = _field("waste_categories", gettext_lazy("Waste categories"), "terms:waste_categories")
_PHASES = _field("phases", gettext_lazy("Management phases"), "terms:management_phases")
_TECHNOLOGIES = _field("technologies", gettext_lazy("Technologies"), "terms:treatment_technologies")
_SUPPORT = _field("support_types", gettext_lazy("Types of support"), "terms:support_types")


class SavedKind(EntryKind):
    """A kind whose entries are saved through the catalogue's one save (``do_save_entry``): the
    catalogue's kinds and the later ones built on its field checks (library, exchange)."""

    def save(self, checked, *, instance=None, user=None, **state):
        from mercuryhub.catalogue.actions import do_save_entry

        return do_save_entry(
            self.name,
            checked,
            instance=instance,
            user=user,
            review_state=state.get("review_state"),
            published=state.get("published"),
            confirmed_on=state.get("last_confirmed_at"),
        )

    # The fields whose terms the search document holds as its tags (search/tags.py: a word of
    # their labels and synonyms, or of their narrower terms', finds the entry).
    tag_fields: tuple[str, ...] = ()

    def search_document(self, entry, context) -> Document:
        """Names (titles) in every language as the title; the terms of ``tag_fields`` as its
        tags; descriptions in every language and the kind's own texts (``search_texts``) in the
        body; the text of an attached file (``search_attachment``) apart."""
        tags = [term for name in self.tag_fields for term in getattr(entry, name).all()]
        texts = [entry.translations.get(language, {}) for language in sorted(entry.translations)]
        names = [entry.name, *(text.get("name", "") for text in texts)]
        descriptions = [entry.description, *(text.get("description", "") for text in texts)]
        return Document(
            kind=self.name,
            object_id=entry.pk,
            title=SEPARATOR.join(dict.fromkeys(name for name in names if name)),
            tags=tuple(term.pk for term in tags),
            body=SEPARATOR.join(p for p in [*descriptions, *self.search_texts(entry)] if p),
            attachment=self.search_attachment(entry),
        )

    def search_texts(self, entry) -> list[str]:
        return []

    def search_attachment(self, entry) -> str:
        return ""


class KeptByPersonOrOrganizationKind(SavedKind):
    """A kind whose entries an organization may keep (its editors change them) or, without
    one, the person who added them."""

    organization_refusal = "Only editors of {name} can add or move entries to it"

    def check_organization(self, user, checked) -> None:
        organization = checked.values.get("organization")
        if organization is None:
            return  # the person who adds it keeps it (after_draft)
        if not (can_edit_organization(user, organization) or is_administrator(user)):
            raise PermissionDenied(self.organization_refusal.format(name=organization.name))


class DocumentKind(KeptByPersonOrOrganizationKind):
    """A kind kept by an organization whose app checks and serializes its content with
    functions of its own (``check(data)``, ``data_of(entry)``, ``stored_of(checked)``: a
    National Action Plan, an inventory, a workplan…) and whose title (``name``) and one text
    (``description_field``) are translated. Its search document holds both in every language
    and the texts ``search_texts(entry)`` gives."""

    check = None  # staticmethod(fields.clean_x): data → CleanEntry
    data_of = None  # staticmethod: entry → the serialization
    stored_of = None  # staticmethod: CleanEntry → the serialization

    def serialize(self, entry) -> dict:
        return {**self.data_of(entry), **self.translation_data(entry)}

    def clean(self, data: dict):
        return self.clean_with_translations(data, self.check)

    def stored(self, checked) -> dict:
        own, languages = self.without_translations(checked)
        return {**self.stored_of(own), **self.stored_translations(languages)}

    def normalized(self, data: dict) -> dict:
        return {"content_language": DEFAULT_LANGUAGE, **data}

    def search_document(self, entry, context) -> Document:
        texts = [entry.translations.get(language, {}) for language in sorted(entry.translations)]
        names = [entry.name, *(text.get("name", "") for text in texts)]
        field = self.description_field
        described = [getattr(entry, field), *(text.get(field, "") for text in texts)]
        return Document(
            kind=self.name,
            object_id=entry.pk,
            title=SEPARATOR.join(dict.fromkeys(name for name in names if name)),
            body=SEPARATOR.join(p for p in [*described, *self.search_texts(entry)] if p),
        )

    def search_texts(self, entry) -> list[str]:
        return []


class CatalogueKind(SavedKind):
    """What the three catalogue kinds share: checked through catalogue/fields.py, saved through
    ``catalogue.actions.do_save_entry``, tagged with the vocabularies."""

    edit_url_name = "catalogue-entry-edit"

    translated_fields = (_TRANSLATED_NAME, _TRANSLATED_DESCRIPTION)

    def clean(self, data: dict):
        return self.clean_with_translations(data, fields.CLEAN[self.name])

    def serialize(self, entry) -> dict:
        return {**fields.entry_data(self.name, entry), **self.translation_data(entry)}

    def stored(self, checked) -> dict:
        own, languages = self.without_translations(checked)
        own = fields.stored_data(self.name, own)
        return {**own, **self.stored_translations(languages)}

    def normalized(self, data: dict) -> dict:
        return {"content_language": DEFAULT_LANGUAGE, **fields.normalized(self.name, data)}

    def check_organization(self, user, checked) -> None:
        field_name = self.organization_field
        organization = checked.values.get(field_name)
        if checked.operator_name:
            raise InvalidInputError(
                {field_name: f"Unknown organization {checked.operator_name!r}; register it first"}
            )
        if organization is None:
            if self.owner_field is None:
                raise PermissionDenied("An organization is required")
            return
        if not (can_edit_organization(user, organization) or is_administrator(user)):
            raise PermissionDenied(
                f"Only editors of {organization.name} can add or move entries to it"
            )

    def tagged_with(self, term_ids):
        condition = Q()
        for name in sorted({*self.tag_fields, *self.term_fields.values()}):
            condition |= Q(**{f"{name}__in": term_ids})
        return self.model.objects.filter(condition)

    def search_texts(self, entry) -> list[str]:
        return self.places(entry)

    def places(self, entry) -> list[str]:
        return []


class FacilityKind(CatalogueKind):
    name = "facility"
    model = Facility
    label = gettext_lazy("Facility")
    label_plural = gettext_lazy("Facilities")
    organization_field = "operator"
    detail_url_name = "catalogue-facility-detail"
    select_related = ("operator", "country")
    prefetch_related = ("accepted_wastes", "phases", "technologies", "languages", "offerings")
    hit_select_related = ("operator", "country")
    hit_prefetch_related = ("accepted_wastes",)
    term_fields = {"waste": "accepted_wastes", "phase": "phases", "technology": "technologies"}
    tag_fields = ("accepted_wastes", "technologies", "phases")
    document_prefetch_related = tag_fields
    fields = (
        _NAME,
        _field("operator", gettext_lazy("Operator"), "organization"),
        _field("country", gettext_lazy("Country"), "countries"),
        _field("city", gettext_lazy("City or address")),
        _field("latitude", gettext_lazy("Latitude")),
        _field("longitude", gettext_lazy("Longitude")),
        _field(
            "coordinates_precision",
            gettext_lazy("Precision of the coordinates"),
            "choice",
            Facility.Precision.choices,
        ),
        _field("status", gettext_lazy("Status"), "choice", Facility.Status.choices),
        _field("description", gettext_lazy("Description")),
        _field("accepted_wastes", gettext_lazy("Accepted wastes"), "terms:waste_categories"),
        _PHASES,
        _TECHNOLOGIES,
        _field("capacity", gettext_lazy("Capacity")),
        _field("capacity_tonnes_per_year", gettext_lazy("Capacity (t/year)")),
        _field("permits", gettext_lazy("Permits and certifications")),
        _field(
            "accepts_foreign_waste", gettext_lazy("Accepts waste from other countries"), "boolean"
        ),
        _LANGUAGES,
        _field("contact_route", gettext_lazy("Public contact route")),
        *_COMMON_END,
    )

    def visible_to(self, user):
        return queries.facilities_visible_to(user)

    def search_texts(self, entry) -> list[str]:
        return self.places(entry)

    def places(self, entry) -> list[str]:
        return [entry.city, entry.country.name, *entry.country.names.values(), entry.operator.name]


class OfferingKind(CatalogueKind):
    name = "offering"
    model = Offering
    label = gettext_lazy("Technology or service")
    label_plural = gettext_lazy("Technologies and services")
    organization_field = "provider"
    # An offering has no country of its own: it counts in its provider's.
    country_field = "provider__country"
    queue_country_field = "countries_served"
    detail_url_name = "catalogue-offering-detail"
    select_related = ("provider",)
    prefetch_related = (
        "waste_categories",
        "phases",
        "technologies",
        "support_types",
        "countries_served",
        "languages",
        "facilities",
    )
    hit_select_related = ("provider",)
    hit_prefetch_related = ("waste_categories",)
    term_fields = {"waste": "waste_categories", "phase": "phases", "technology": "technologies"}
    tag_fields = ("waste_categories", "technologies", "support_types")
    document_prefetch_related = tag_fields
    fields = (
        _NAME,
        _field("kind", gettext_lazy("Kind of offering"), "choice", Offering.Kind.choices),
        _field("provider", gettext_lazy("Provider"), "organization"),
        _field("description", gettext_lazy("Description")),
        _WASTES,
        _PHASES,
        _TECHNOLOGIES,
        _SUPPORT,
        _field("countries_served", gettext_lazy("Countries served"), "countries"),
        _field("regions_served", gettext_lazy("Regions served")),
        _LANGUAGES,
        *_COMMON_END,
    )

    def visible_to(self, user):
        return queries.offerings_visible_to(user)

    def search_texts(self, entry) -> list[str]:
        return self.places(entry)

    def places(self, entry) -> list[str]:
        return [entry.provider.name, *entry.regions_served]


class ExpertKind(CatalogueKind):
    name = "expert"
    model = Expert
    label = gettext_lazy("Expert")
    label_plural = gettext_lazy("Experts")
    organization_field = "organization"
    # A person who nominated themself edits their own profile.
    owner_field = "user"
    private_fields = ("email",)
    detail_url_name = "catalogue-expert-detail"
    select_related = ("organization", "country")
    prefetch_related = (
        "languages",
        "waste_categories",
        "phases",
        "support_types",
        "nap_elements",
        "countries_of_experience",
    )
    hit_select_related = ("organization", "country")
    hit_prefetch_related = ("waste_categories",)
    term_fields = {"waste": "waste_categories", "phase": "phases"}
    tag_fields = ("waste_categories", "support_types", "nap_elements")
    document_prefetch_related = tag_fields
    translated_fields = (
        _TRANSLATED_NAME,
        TranslatedField("biography", model_field="description", multiline=True),
    )
    fields = (
        _NAME,
        _field("organization", gettext_lazy("Organization"), "organization"),
        _field("email", gettext_lazy("E-mail address (never shown publicly)")),
        _field("consent_to_publication", gettext_lazy("Consents to publication"), "boolean"),
        _field("country", gettext_lazy("Country"), "countries"),
        _field("biography", gettext_lazy("Biography")),
        _WASTES,
        _PHASES,
        _SUPPORT,
        _field("nap_elements", gettext_lazy("NAP elements"), "terms:nap_elements"),
        _field("countries_of_experience", gettext_lazy("Countries of experience"), "countries"),
        _LANGUAGES,
        *_COMMON_END,
    )

    def visible_to(self, user):
        return queries.experts_visible_to(user)

    def search_texts(self, entry) -> list[str]:
        return self.places(entry)

    def places(self, entry) -> list[str]:
        return [entry.country.name, entry.organization.name if entry.organization else ""]

    def serialized_name(self, field_name: str) -> str:
        return "biography" if field_name == "description" else field_name

    def prepare_draft(self, user, checked) -> None:
        if checked.values.get("organization") is None and not checked.operator_name:
            if not checked.values.get("consent_to_publication"):
                raise InvalidInputError(
                    {"consent_to_publication": "Experts must consent to publication to be listed"}
                )
            return
        self.check_organization(user, checked)

    def after_draft(self, user, entry) -> None:
        if entry.organization_id is None:
            Expert.objects.filter(pk=entry.pk).update(user=user)
            entry.user = user

    def merge_edit(self, current: dict, changes: dict) -> dict:
        merged = {**current, **changes}
        if not changes.get("email", True):
            merged["email"] = current.get("email")  # a blank address in a form keeps the known one
        return merged


KINDS = (FacilityKind(), OfferingKind(), ExpertKind())
