"""The one registry of the kinds of entry that go through review.

Each domain app describes each of its kinds once, as a subclass of ``EntryKind``, and registers it
from its ``AppConfig.ready``. Versions, review decisions, the reviewers' queue and comparison,
revert, reconfirmation, update campaigns, digests and the search index all work from these
descriptions: a new kind joins them by registering, without a line of the review layer changing.
"""

from dataclasses import dataclass, replace

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import translations
from mercuryhub.review.translations import TranslatedField
from mercuryhub.search.engine import register_kinds


@dataclass(frozen=True)
class VersionField:
    """One field of a version, in the order a reviewer reads it.

    ``shows`` says how a stored value reads: ``text``, ``boolean``, ``choice`` (with
    ``choices``), ``terms:<vocabulary>``, ``countries``, ``languages``, ``organization``,
    ``mapping`` (a name → text mapping, one line each) or ``rows`` (a list of rows, one line
    each).
    """

    name: str
    label: str
    shows: str = "text"
    choices: tuple = ()


_CONTENT_LANGUAGE = gettext_lazy("Language of the texts")


class _InLanguage:
    """A field's label with the language of its text: "Name (French)"."""

    def __init__(self, label, language: str):
        self.label, self.language = label, language

    def __str__(self):
        return gettext("%(field)s (%(language)s)") % {
            "field": self.label,
            "language": translations.language_name(self.language),
        }


class EntryKind:
    """The description of one kind of entry. Subclasses set the attributes and implement the
    methods that raise NotImplementedError."""

    name: str  # the registry key, stored in versions and decisions: "facility"
    model: type[Model]
    label = ""  # "Facility" (lazy translation)
    label_plural = ""
    # The field naming the organization that owns an entry (its editors edit it), or None.
    organization_field: str | None = None
    # The field naming the person who owns an entry of their own (an expert's profile), or None.
    owner_field: str | None = None
    # Where the entry counts by country in campaign progress ("provider__country").
    country_field: str = "country"
    # What the reviewers' queue filters on to find the entries of a country.
    queue_country_field: str = "country"
    # The fields a version holds, in reading order.
    fields: tuple[VersionField, ...] = ()
    # The fields of the serialization the public never sees (the open-data dump leaves them out).
    private_fields: tuple[str, ...] = ()
    # The fields that can be given in each of the six languages (review/translations.py): the
    # serialization carries them as ``name_fr``…, with ``content_language``.
    translated_fields: tuple[TranslatedField, ...] = ()
    # What every page, API item and export reads of an entry: select_related, prefetch_related.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # What a search hit reads of an entry (its hit template, the search API's item, the
    # snippet): None reads what select_related and prefetch_related name.
    hit_select_related: tuple[str, ...] | None = None
    hit_prefetch_related: tuple[str, ...] | None = None
    # What building an entry's search document reads (``search_document``): None reads what
    # select_related and prefetch_related name.
    document_select_related: tuple[str, ...] | None = None
    document_prefetch_related: tuple[str, ...] | None = None
    # The fields tagging an entry with vocabulary terms, by the search facet they answer:
    # {"waste": "accepted_wastes", "phase": "phases"}.
    term_fields: dict[str, str] = {}
    # How often the editors reconfirm a published entry.
    update_cycle_days = 365
    # Whether the yearly update campaigns ask its editors to reconfirm it (a need is closed by
    # its owner instead).
    in_update_campaigns = True
    # Whether the pages on a term (the wheel of knowledge, the factsheets) list it with what the
    # platform knows of that term (a need asks for knowledge rather than holds it).
    on_topic_pages = True
    # The text a search result quotes around the words found.
    description_field = "description"
    # The names of the URLs of the entry's public page (taking its pk) and of its edit page
    # (taking the kind's name and its pk).
    detail_url_name = ""
    edit_url_name = ""

    # -- reads ---------------------------------------------------------------------------

    def reading_fields(self) -> tuple[VersionField, ...]:
        """The fields of a version in reading order, the texts in other languages included."""
        if not self.translated_fields:
            return self.fields
        labels = {field.name: field.label for field in self.fields}
        added = [VersionField("content_language", _CONTENT_LANGUAGE, "content_language")]
        for name, field, language in translations.translation_keys(self.translated_fields):
            added.append(VersionField(name, _InLanguage(labels.get(field.name, name), language)))
        return (*self.fields, *added)

    def translation_data(self, entry) -> dict:
        """What the serialization holds of the entry's languages: ``content_language`` and the
        translations given (``name_fr``…). Every kind's ``serialize`` includes it."""
        return translations.translation_data(entry, self.translated_fields)

    def clean_translations(self, data: dict, errors: dict) -> dict:
        """Checked ``content_language`` and ``translations`` model values from input in the
        serialization's shape; every kind's ``clean`` uses it."""
        return translations.clean_translations(data, self.translated_fields, errors)

    def clean_with_translations(self, data: dict, clean_own):
        """The kind's own checks (``clean_own(data)``, giving a CleanEntry) and its texts in
        other languages, every bad field of both named at once; the languages join the checked
        values."""
        errors: dict[str, str] = {}
        languages = self.clean_translations(data, errors)
        try:
            checked = clean_own(data)
        except InvalidInputError as error:
            raise InvalidInputError({**error.errors, **errors}) from None
        if errors:
            raise InvalidInputError(errors)
        checked.values.update(languages)
        return checked

    def without_translations(self, checked) -> tuple:
        """Checked input split into the kind's own (the same type, without the languages) and
        the languages' values, for ``stored``."""
        values = dict(checked.values)
        languages = {name: values.pop(name) for name in ("content_language", "translations")}
        return replace(checked, values=values), languages

    def stored_translations(self, values: dict) -> dict:
        return translations.stored_translations(values, self.translated_fields)

    def visible_to(self, user) -> QuerySet:
        """The entries the public may see; the search index holds exactly these."""
        raise NotImplementedError

    def serialize(self, entry) -> dict:
        """The one serialization of an entry: what a version stores, what the API's ``data`` and
        the exports show, what an edit starts from and what two versions are compared on."""
        raise NotImplementedError

    def clean(self, data: dict):
        """Check input in the serialization's shape; raise InvalidInputError naming each bad
        field. Returns what ``save`` and ``stored`` take."""
        raise NotImplementedError

    def stored(self, checked) -> dict:
        """Checked input in the serialization's shape, as a version stores it."""
        raise NotImplementedError

    def serialized_name(self, field_name: str) -> str:
        """The serialization's name of a model field, where the two differ."""
        return field_name

    def normalized(self, data: dict) -> dict:
        """Data as it would be stored (lists sorted), so that comparisons show real changes."""
        return data

    def search_document(self, entry, context):
        """The search engine's Document for an entry; ``context`` comes from
        ``search_context()``, computed once per batch."""
        raise NotImplementedError

    def search_context(self):
        return None

    def tagged_with(self, term_ids) -> QuerySet | None:
        """The entries tagged with any of the terms; None for a kind without tags."""
        if not self.term_fields:
            return None
        condition = Q()
        for field_name in self.term_fields.values():
            condition |= Q(**{f"{field_name}__in": term_ids})
        return self.model.objects.filter(condition)

    def organization_of(self, entry):
        return getattr(entry, self.organization_field) if self.organization_field else None

    def owner_id_of(self, entry) -> int | None:
        return getattr(entry, f"{self.owner_field}_id") if self.owner_field else None

    def detail_url(self, entry) -> str:
        return reverse(self.detail_url_name, args=[entry.pk])

    def edit_url(self, entry) -> str:
        return reverse(self.edit_url_name, args=[self.name, entry.pk])

    # -- writes --------------------------------------------------------------------------

    def save(self, checked, *, instance=None, user=None, **state):
        """Create or update an entry from checked input, setting the review ``state`` fields
        given; keeps the search index in step."""
        raise NotImplementedError

    def check_organization(self, user, checked) -> None:
        """Raise PermissionDenied or InvalidInputError when ``user`` may not put the entry in
        the organization the checked input names."""

    def prepare_draft(self, user, checked) -> None:
        """Checks before a new draft is created (beyond the organization)."""
        self.check_organization(user, checked)

    def after_draft(self, user, entry) -> None:
        """Called once a new draft is saved."""

    def check_edit(self, user, current: dict, checked) -> None:
        """Checks of an edit by ``user`` (beyond the organization): raise InvalidInputError or
        PermissionDenied for a change this person may not make. ``current`` is the entry's
        latest data."""

    def publishes_on_submission(self, user, entry) -> bool:
        """Whether ``user``'s submission of ``entry`` is validated at once by the review layer,
        without waiting in the reviewers' queue (a need from an established account); the
        validation is recorded as such, by nobody, with its reason."""
        return False

    def check_before_validation(self, entry) -> None:
        """Raise review.errors.WorkflowError, saying what is missing, when the entry's current
        version may not be validated yet (a case study not judged on every criterion)."""

    def after_revert(self, entry, number: int, user) -> None:
        """Called once the content of version ``number`` is recorded as the entry's new
        version (what was judged of that version holds for its copy)."""

    def review_extension(self, entry, user) -> tuple[str, dict] | None:
        """The kind's own part of the review page of one entry: the name of the template that
        shows it and that template's context (as ``part``), or None."""
        return None

    def merge_edit(self, current: dict, changes: dict) -> dict:
        """The new data of an edit: the changes over the current data."""
        return {**current, **changes}


_KINDS: dict[str, EntryKind] = {}


def register(kind: EntryKind) -> EntryKind:
    if kind.name in _KINDS and type(_KINDS[kind.name]) is not type(kind):
        raise ValueError(f"The kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    register_kinds(kind.name)
    return kind


def kinds() -> list[EntryKind]:
    return list(_KINDS.values())


def names() -> tuple[str, ...]:
    return tuple(_KINDS)


def get(name: str) -> EntryKind:
    """The registered kind; LookupError for a name that is not one."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No kind of entry {name!r}") from None


def get_or_404(name: str) -> EntryKind:
    try:
        return get(name)
    except LookupError as error:
        raise Http404(str(error)) from None


def kind_of(entry) -> EntryKind:
    for kind in _KINDS.values():
        if type(entry) is kind.model:
            return kind
    raise LookupError(f"{type(entry).__name__} is not a registered kind of entry")
