"""Two versions of an entry side by side, as a reviewer reads them: every field of the kind in
reading order, codes shown as their labels, changed fields marked."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Organization
from mercuryhub.review.queries import diff
from mercuryhub.review.registry import EntryKind, VersionField
from mercuryhub.review.translations import language_name, language_of
from mercuryhub.taxonomy.models import Country, Language, Term


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    old: str
    new: str
    changed: bool


def labelled_rows(kind: EntryKind, old: dict | None, new: dict) -> list[Row]:
    """Every field either version has, in the kind's reading order, with codes shown as their
    labels; against nothing (a new entry), no field is marked as changed."""
    changed = {name for name, _old, _new in diff(old, new)} if old is not None else set()
    old = old or {}
    known = {field.name: field for field in kind.reading_fields()}
    names = [name for name in known if name in old or name in new]
    names += sorted((set(old) | set(new)) - set(known))
    fields = [
        known.get(name) or VersionField(name, name.replace("_", " ").capitalize()) for name in names
    ]
    labels = _labels_for(fields, [old, new])
    rows = []
    for field in fields:
        before = _shown(field, old.get(field.name), labels)
        after = _shown(field, new.get(field.name), labels)
        if before or after:
            rows.append(Row(field.name, str(field.label), before, after, field.name in changed))
    return rows


def _codes(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    return []


def _lookup(field: VersionField) -> str | None:
    """What a field's codes are looked up in: a vocabulary's name, "countries", "languages",
    "organization"; None for a value shown as it is."""
    if field.shows.startswith("terms:"):
        return field.shows.removeprefix("terms:")
    if field.shows in {"countries", "languages", "organization"}:
        return field.shows
    return None


def _key(lookup: str, code: str) -> tuple[str, str]:
    if lookup == "countries":
        return lookup, code.upper()
    if lookup == "languages":
        return lookup, code.lower()
    return lookup, code


def _labels_for(fields: list[VersionField], datas: list[dict]) -> dict[tuple[str, str], str]:
    """(lookup, code) → label for every code in the given versions, in four queries at most."""
    wanted: dict[str, set[str]] = {}
    for field in fields:
        lookup = _lookup(field)
        if lookup is None:
            continue
        for data in datas:
            wanted.setdefault(lookup, set()).update(
                _key(lookup, code)[1] for code in _codes(data.get(field.name))
            )
    labels = {}
    vocabularies = {k: v for k, v in wanted.items() if k not in _OTHER_LOOKUPS and v}
    if vocabularies:
        codes = set().union(*vocabularies.values())
        terms = Term.objects.filter(vocabulary__name__in=vocabularies, code__in=codes)
        for term in terms.select_related("vocabulary"):
            labels[(term.vocabulary.name, term.code)] = term.localized_label
    if wanted.get("countries"):
        codes = wanted["countries"]
        for country in Country.objects.filter(iso3__in=codes) | Country.objects.filter(
            iso2__in=codes
        ):
            labels[("countries", country.iso3)] = str(country)
            labels[("countries", country.iso2)] = str(country)
    if wanted.get("languages"):
        for language in Language.objects.filter(code__in=wanted["languages"]):
            labels[("languages", language.code)] = language.localized_name
    if wanted.get("organization"):
        organizations = Organization.objects.filter(slug__in=wanted["organization"])
        for slug, name in organizations.values_list("slug", "name"):
            labels[("organization", slug)] = name
    return labels


_OTHER_LOOKUPS = {"countries", "languages", "organization"}


def _row_value(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _shown(field: VersionField, value, labels) -> str:
    """A stored value as a reviewer reads it."""
    if value is None or value in ("", []):
        return ""
    if field.shows == "boolean" or isinstance(value, bool):
        truth = value if isinstance(value, bool) else str(value).strip().lower()
        if truth in (True, "yes", "true", "1", "y"):
            return _("Yes")
        if truth in (False, "no", "false", "0", "n"):
            return _("No")
        return str(value)
    if field.shows == "choice":
        return str(dict(field.choices).get(value, value))
    if field.shows == "mapping":
        return "\n".join(f"{key}: {item}" for key, item in value.items() if item not in ("", None))
    if field.shows == "rows":
        return "\n".join(
            "; ".join(f"{key}: {_row_value(item)}" for key, item in row.items() if item)
            for row in value
        )
    if field.shows == "content_language":
        language = language_of(value)
        return language_name(language) if language else str(value)
    lookup = _lookup(field)
    if lookup is None:
        return ", ".join(_codes(value)) if isinstance(value, list) else str(value)
    return ", ".join(labels.get(_key(lookup, code), code) for code in _codes(value))
