"""Loading the reference data: vocabularies from the taxonomy file, countries and languages from
maintained packages. Every loader validates first, writes in one transaction, and only touches a
row whose content changed, so a second run changes nothing."""

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry
from django.conf import settings
from django.db import transaction

from mercuryhub.taxonomy.models import (
    Country,
    Language,
    ReferenceMark,
    Term,
    Vocabulary,
    vocabulary_label,
)
from mercuryhub.taxonomy.queries import forget_reference_mark

UN_LANGUAGES = {"ar", "zh", "en", "fr", "ru", "es"}
_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VOCABULARY_PATTERN = re.compile(r"^[a-z][a-z_]*$")
_KNOWN_KEYS = {"code", "label", "parent", "synonyms"}


class ReferenceDataError(ValueError):
    """The reference file is malformed; ``problems`` names every bad entry."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source} is not valid reference data:\n{listing}")


def read_reference_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """A reference CSV's rows as (line number in the file, {column: stripped value}); a header other
    than ``columns`` is refused. Line numbers count the header as line 1 and a quoted value
    spanning lines as the line it starts on."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ReferenceDataError(str(path), [f"cannot be read: {error.strerror}"]) from None
    except UnicodeDecodeError:
        raise ReferenceDataError(str(path), ["is not UTF-8 text"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if header != list(columns):
        raise ReferenceDataError(
            str(path), [f"the columns must be {', '.join(columns)}; found {', '.join(header)}"]
        )
    rows = []
    line = reader.line_num + 1
    for fields in reader:
        if any(field.strip() for field in fields):
            values = [field.strip() for field in fields]
            row = dict(zip(columns, values + [""] * (len(columns) - len(values)), strict=False))
            if len(values) > len(columns):
                row["<extra>"] = "yes"
            rows.append((line, row))
        line = reader.line_num + 1
    return rows


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def save_reference_row(model, key: dict, values: dict, report: LoadReport):
    """The row of ``model`` found by ``key``: created with ``values``, updated where a value
    changed, or left as it is; counted in ``report``."""
    row = model.objects.filter(**key).first()
    if row is None:
        row = model.objects.create(**key, **values)
        report.add("created")
    elif any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        report.add("updated")
    else:
        report.add("unchanged")
    return row


REFERENCE_MODELS = (Vocabulary, Term, Country, Language)


def do_mark_reference_changed(**_signal) -> None:
    """Give the reference data a new change mark, in the transaction that changes it: every
    worker then reads the records it keeps again (``taxonomy.queries.kept``). Called for each
    saved or deleted vocabulary, term, country or language (connected in TaxonomyConfig.ready),
    and by whatever writes them otherwise (a restore)."""
    forget_reference_mark()
    token = uuid.uuid4().hex
    if not ReferenceMark.objects.filter(pk=1).update(token=token):
        ReferenceMark.objects.create(pk=1, token=token)


# What apps above the taxonomy do when a term's label, synonyms or place in its tree changed (the
# review layer reindexes the entries tagged with it); they register in their AppConfig.ready.
_TERMS_CHANGED: list[Callable[[set[int]], object]] = []


def on_terms_changed(callback: Callable[[set[int]], object]) -> None:
    if callback not in _TERMS_CHANGED:
        _TERMS_CHANGED.append(callback)


def _announce_terms_changed(term_ids: set[int]) -> None:
    if term_ids:
        for callback in _TERMS_CHANGED:
            callback(set(term_ids))


_SEARCHED_TERM_FIELDS = {"label", "synonyms", "translations", "parent"}


def _translations_of(translations: dict, vocabulary: str, code: str) -> dict:
    found = {}
    for language, data in translations.items():
        entry = (data.get(vocabulary) or {}).get(code)
        if entry:
            found[language] = {
                "label": entry["label"].strip(),
                "synonyms": [word.strip() for word in entry.get("synonyms", [])],
            }
    return found


@transaction.atomic
def do_save_term(term: Term, changed_fields) -> Term:
    """Save a term changed in the administration; entries tagged with it are reindexed when
    what search reads of it (label, synonyms, broader term) changed."""
    term.save()
    if _SEARCHED_TERM_FIELDS & set(changed_fields) and term.pk:
        _announce_terms_changed({term.pk})
    return term


def default_taxonomy_path() -> Path:
    return Path(str(resources.files("mercuryhub.taxonomy") / "data" / "taxonomy.json"))


def _save_if_changed(model, lookup: dict, values: dict, report: LoadReport, changed=None):
    """The saved instance; the names of the fields that changed go into ``changed``."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.add("created")
        return instance
    names = [name for name, value in values.items() if getattr(instance, name) != value]
    if names:
        for name in names:
            setattr(instance, name, values[name])
        instance.save(update_fields=names)
        report.add("updated")
        if changed is not None:
            changed.extend(names)
    else:
        report.add("unchanged")
    return instance


def _check_entry(vocabulary: str, index: int, entry, problems: list[str]) -> None:
    where = f"{vocabulary}[{index}]"
    if not isinstance(entry, dict):
        problems.append(f"{where}: each entry must be an object, got {type(entry).__name__}")
        return
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE_PATTERN.match(code):
        problems.append(
            f"{where}.code: must be lower-case letters, digits and hyphens, got {code!r}"
        )
    else:
        where = f"{vocabulary}[{index}] ({code})"
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(f"{where}.label: a non-empty text is required")
    synonyms = entry.get("synonyms", [])
    if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
        problems.append(f"{where}.synonyms: must be a list of texts")
    parent = entry.get("parent")
    if parent is not None and not isinstance(parent, str):
        problems.append(f"{where}.parent: must be a code or null, got {parent!r}")


def _check_parents(vocabulary: str, entries: list[dict], problems: list[str]) -> None:
    codes = [entry.get("code") for entry in entries if isinstance(entry, dict)]
    seen = set()
    for code in codes:
        if code in seen:
            problems.append(f"{vocabulary}: code {code!r} appears more than once")
        seen.add(code)
    parents = {
        entry["code"]: entry.get("parent")
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("code"), str)
    }
    for code, parent in parents.items():
        if parent is not None and parent not in parents:
            problems.append(f"{vocabulary} ({code}).parent: unknown code {parent!r}")
    for code in parents:
        chain, current = [], code
        while current is not None and current in parents:
            if current in chain:
                problems.append(f"{vocabulary} ({code}).parent: the parents form a cycle")
                break
            chain.append(current)
            current = parents[current]


def validate_taxonomy(data, source: str = "taxonomy file") -> None:
    problems: list[str] = []
    if not isinstance(data, dict) or not data:
        raise ReferenceDataError(source, ["the file must hold an object of vocabularies"])
    for vocabulary, entries in data.items():
        if not _VOCABULARY_PATTERN.match(vocabulary):
            problems.append(f"{vocabulary!r}: vocabulary names are lower-case words with _")
        if not isinstance(entries, list) or not entries:
            problems.append(f"{vocabulary}: must be a non-empty list of entries")
            continue
        for index, entry in enumerate(entries):
            _check_entry(vocabulary, index, entry, problems)
        _check_parents(vocabulary, entries, problems)
    if problems:
        raise ReferenceDataError(source, problems)


def _read_json(path: Path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ReferenceDataError(str(path), [f"cannot be read: {error.strerror}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReferenceDataError(
            str(path), [f"line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    return data


def read_taxonomy_file(path: Path) -> dict:
    data = _read_json(path)
    validate_taxonomy(data, str(path))
    return data


def translation_paths(path: Path) -> dict[str, Path]:
    """The vocabulary translation files beside a taxonomy file, by interface language:
    ``translations/fr.json`` next to ``taxonomy.json``."""
    folder = Path(path).parent / "translations"
    return {
        code: folder / f"{code}.json"
        for code, _name in settings.LANGUAGES
        if code != "en" and (folder / f"{code}.json").exists()
    }


def read_translations(path: Path, taxonomy: dict) -> dict[str, dict[str, dict]]:
    """A translation file, checked against the taxonomy: {vocabulary: {code: {"label",
    "synonyms"}}}; ReferenceDataError naming every unknown vocabulary or code and every bad
    entry."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise ReferenceDataError(str(path), ["the file must hold an object of vocabularies"])
    problems = []
    codes = {name: {entry["code"] for entry in entries} for name, entries in taxonomy.items()}
    for vocabulary, terms in data.items():
        if vocabulary not in codes:
            problems.append(f"{vocabulary!r}: no such vocabulary in the taxonomy")
            continue
        for code, entry in (terms or {}).items():
            where = f"{vocabulary} ({code})"
            if code not in codes[vocabulary]:
                problems.append(f"{where}: no such code in the taxonomy")
            elif not isinstance(entry, dict) or not str(entry.get("label", "")).strip():
                problems.append(f"{where}: give a non-empty label")
            elif not all(isinstance(w, str) and w.strip() for w in entry.get("synonyms", [])):
                problems.append(f"{where}: synonyms must be a list of non-empty words")
    if problems:
        raise ReferenceDataError(str(path), problems)
    return data


@transaction.atomic
def do_load_taxonomy(path: Path | None = None) -> LoadReport:
    """Load the vocabularies and their translations (``translations/<language>.json`` beside
    the file); the entries tagged with a term whose label, synonyms, translations or broader
    term changed are reindexed (by the apps that registered with ``on_terms_changed``)."""
    path = path or default_taxonomy_path()
    data = read_taxonomy_file(path)
    translations = {
        code: read_translations(file, data) for code, file in translation_paths(path).items()
    }
    report = LoadReport()
    searched_changes: set[int] = set()
    for position, (name, entries) in enumerate(data.items()):
        vocabulary = _save_if_changed(
            Vocabulary,
            {"name": name},
            {
                "label": vocabulary_label(name),
                "hierarchical": any("parent" in entry for entry in entries),
                "position": position,
            },
            report,
        )
        terms = {}
        for index, entry in enumerate(entries):
            changed: list[str] = []
            terms[entry["code"]] = term = _save_if_changed(
                Term,
                {"vocabulary": vocabulary, "code": entry["code"]},
                {
                    "label": entry["label"].strip(),
                    "synonyms": entry.get("synonyms", []),
                    "translations": _translations_of(translations, name, entry["code"]),
                    "attributes": {k: v for k, v in entry.items() if k not in _KNOWN_KEYS},
                    "position": index,
                },
                report,
                changed,
            )
            if _SEARCHED_TERM_FIELDS & set(changed):
                searched_changes.add(term.pk)
        for entry in entries:
            term = terms[entry["code"]]
            parent = terms.get(entry.get("parent")) if entry.get("parent") else None
            if term.parent_id != (parent.pk if parent else None):
                term.parent = parent
                term.save(update_fields=["parent"])
                searched_changes.add(term.pk)
    report.details["vocabularies"] = len(data)
    report.details["terms"] = sum(len(entries) for entries in data.values())
    _announce_terms_changed(searched_changes)
    return report


def _m49_records() -> dict[str, dict]:
    """UN M49 regions and names in the six UN languages, from hdx-python-country's packaged table
    (read offline: the package is never asked to go to the internet)."""
    from hdx.location.country import Country as HdxCountry

    return HdxCountry.countriesdata(use_live=False)["countries"]


def _names_by_language(record: dict) -> dict[str, str]:
    columns = {
        "en": "M49 English",
        "fr": "M49 French",
        "es": "M49 Spanish",
        "ru": "M49 Russian",
        "zh": "M49 Chinese",
        "ar": "M49 Arabic",
    }
    return {language: record[column] for language, column in columns.items() if record.get(column)}


def _m49_code(value) -> str:
    """M49 codes are three digits: 5 is written 005."""
    return str(value).zfill(3) if value else ""


def _float_or_none(value) -> float | None:
    try:
        return round(float(value), 5)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def do_load_countries() -> LoadReport:
    m49 = _m49_records()
    report = LoadReport()
    for country in pycountry.countries:
        record = m49.get(country.alpha_3, {})
        _save_if_changed(
            Country,
            {"iso3": country.alpha_3},
            {
                "iso2": country.alpha_2,
                "numeric": country.numeric,
                "name": getattr(country, "common_name", None) or country.name,
                "official_name": getattr(country, "official_name", "") or "",
                "names": _names_by_language(record),
                "region_code": _m49_code(record.get("Region Code")),
                "region": record.get("Region Name") or "",
                "subregion_code": _m49_code(record.get("Sub-region Code")),
                "subregion": record.get("Sub-region Name") or "",
                "intermediate_region_code": _m49_code(record.get("Intermediate Region Code")),
                "intermediate_region": record.get("Intermediate Region Name") or "",
                "income_level": record.get("World Bank Income Level") or "",
                "latitude": _float_or_none(record.get("Latitude")),
                "longitude": _float_or_none(record.get("Longitude")),
            },
            report,
        )
    return report


@transaction.atomic
def do_load_languages() -> LoadReport:
    report = LoadReport()
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code:
            continue
        _save_if_changed(
            Language,
            {"code": code},
            {
                "iso3": language.alpha_3,
                "name": language.name,
                "is_un_language": code in UN_LANGUAGES,
            },
            report,
        )
    return report


def do_load_reference_data(taxonomy_path: Path | None = None) -> dict[str, LoadReport]:
    with transaction.atomic():
        return {
            "taxonomy": do_load_taxonomy(taxonomy_path),
            "countries": do_load_countries(),
            "languages": do_load_languages(),
        }
