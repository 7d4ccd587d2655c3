"""The columns of each kind of entry in a spreadsheet: what imports read and exports write, in
this order. docs/import-format.md documents them for partners."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from mercuryhub.catalogue.fields import LIST_SEPARATOR, CleanEntry
from mercuryhub.catalogue.kinds import KINDS
from mercuryhub.lib.text import without_control_characters
from mercuryhub.review import translations


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    is_list: bool = False
    # The key of the clean_* input it feeds (None: the importer reads it itself) and the model
    # field it fills, when these differ from the column name.
    key: str | None = ""
    model_field: str = ""

    @property
    def input_key(self) -> str | None:
        return self.name if self.key == "" else self.key

    @property
    def field_name(self) -> str:
        return self.model_field or self.input_key or self.name


@dataclass(frozen=True)
class Layout:
    kind: str
    plural: str
    columns: tuple[Column, ...]
    clean: Callable[[dict], CleanEntry]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column_for_input(self, key: str) -> str:
        """The column a clean_* error key comes from."""
        for column in self.columns:
            if column.input_key == key:
                return column.name
        return key


def _clean(kind: str) -> Callable[[dict], CleanEntry]:
    """The kind's own checks (``EntryKind.clean``), the texts in other languages included."""
    return next(k for k in KINDS if k.name == kind).clean


def language_columns(kind) -> tuple[Column, ...]:
    """The language of the entry's texts, then each translatable text in each language:
    ``name_fr``, ``description_es``, ``name_zh``…"""
    if isinstance(kind, str):
        kind = next(k for k in KINDS if k.name == kind)
    keys = translations.translation_keys(kind.translated_fields)
    return (Column("content_language"), *(Column(name) for name, _f, _l in keys))


# When the row's public sources were read, and when a person answerable for the entry last
# confirmed it (a partner's own spreadsheet may say so; public sources never do).
_SOURCE_CHECKED_ON = Column("source_checked_on", key=None)
_LAST_CONFIRMED = Column("last_confirmed", key=None, model_field="last_confirmed_at")

LAYOUTS = {
    "facility": Layout(
        "facility",
        "facilities",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("operator", required=True),
            Column("country", required=True),
            Column("city"),
            Column("latitude"),
            Column("longitude"),
            Column("coordinates_precision"),
            Column("status"),
            Column("accepted_wastes", required=True, is_list=True),
            Column("technologies", is_list=True),
            Column("phases", is_list=True),
            Column("capacity"),
            Column("website"),
            Column("source"),
            Column("summary", key="description"),
            Column("capacity_tonnes_per_year"),
            Column("permits"),
            Column("accepts_foreign_waste"),
            Column("languages", is_list=True),
            Column("contact_route"),
            _SOURCE_CHECKED_ON,
            _LAST_CONFIRMED,
            *language_columns("facility"),
        ),
        _clean("facility"),
    ),
    "offering": Layout(
        "offering",
        "offerings",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("provider", required=True),
            Column("kind", required=True),
            Column("waste_categories", is_list=True),
            Column("phases", is_list=True),
            Column("technologies", is_list=True),
            Column("support_types", is_list=True),
            Column("countries_served", is_list=True),
            Column("regions_served", is_list=True),
            Column("languages", is_list=True),
            Column("website"),
            Column("source"),
            Column("summary", key="description"),
            Column("provider_country"),
            _SOURCE_CHECKED_ON,
            _LAST_CONFIRMED,
            *language_columns("offering"),
        ),
        _clean("offering"),
    ),
    "expert": Layout(
        "expert",
        "experts",
        (
            Column("external_id", required=True),
            Column("name", required=True),
            Column("organization"),
            Column("email", required=True),
            Column("country", required=True),
            Column("languages", is_list=True),
            Column("waste_categories", is_list=True),
            Column("phases", is_list=True),
            Column("support_types", is_list=True),
            Column("nap_elements", is_list=True),
            Column("countries_of_experience", is_list=True),
            Column("consent_to_publication"),
            Column("biography", model_field="description"),
            Column("website"),
            Column("source"),
            _SOURCE_CHECKED_ON,
            _LAST_CONFIRMED,
            *language_columns("expert"),
        ),
        _clean("expert"),
    ),
}


def register_layout(layout: Layout) -> None:
    """The layout of a kind of another app, so that the importer, ``mercuryhub import`` and the
    exports serve it too (called from that app's ``AppConfig.ready``)."""
    LAYOUTS[layout.kind] = layout


def cell_text(value) -> str:
    """A value as a spreadsheet cell writes it: yes/no, dates YYYY-MM-DD, lists ``;``-separated,
    and never a character a workbook cannot hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return without_control_characters(str(value))
