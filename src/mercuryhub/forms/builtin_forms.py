"""The built-in XLSForms, written from this module so that they can be regenerated
(``mercuryhub write_builtin_forms``) and committed under ``forms/data/builtin/``: the WMA needs
questionnaire and the ASGM mining-site baseline. Labels in the platform's six languages (English,
French, Spanish, Russian, Chinese, Arabic; the texts are in ``builtin_labels.py``); the choices
of stakeholder types, waste categories, management phases, types of support and Annex C worst
practices are the platform's own vocabularies (``taxonomy/data``), with their codes as choice
names so that answers map to the platform's terms; countries are ISO 3166-1 alpha-3 codes,
filtered by UN M49 region.

A changed form must change its ``"version"``: ``serve`` deploys a new version of a built-in form
whose version is new, and refuses one whose version is the same with other content."""

import json
from importlib import resources
from pathlib import Path

from django.utils import translation
from openpyxl import Workbook

from mercuryhub.forms.builtin_labels import CHALLENGE, CHOICES, LANGUAGES, QUESTIONS, Label
from mercuryhub.taxonomy.regions import region_label

BUILTIN_DIR = Path(__file__).resolve().parent / "data" / "builtin"
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def _taxonomy() -> tuple[dict, dict]:
    """The vocabularies, and their translations by language code (none for English)."""
    data = resources.files("mercuryhub.taxonomy") / "data"
    terms = json.loads((data / "taxonomy.json").read_text(encoding="utf-8"))
    translations = {
        language.code: json.loads(
            (data / "translations" / f"{language.code}.json").read_text(encoding="utf-8")
        )
        for language in LANGUAGES[1:]
    }
    return terms, translations


def _vocabulary(list_name: str, vocabulary: str) -> list[tuple]:
    """A vocabulary's terms as choices: (list_name, code, label)."""
    terms, translations = _taxonomy()
    return [
        (
            list_name,
            term["code"],
            Label(
                term["label"],
                *(
                    translations[language.code][vocabulary][term["code"]]["label"]
                    for language in LANGUAGES[1:]
                ),
            ),
        )
        for term in terms[vocabulary]
    ]


def _regions_and_countries() -> list[tuple]:
    """The M49 regions, then the countries with the region they are filtered by:
    (list_name, code, label, region)."""
    from hdx.location.country import Country as HdxCountry

    def slug(name):
        return name.lower().replace(" ", "-")

    def in_each_language(region):
        for language in LANGUAGES:
            with translation.override(language.code):
                yield region_label(region)

    rows = [("region", slug(region), Label(*in_each_language(region)), "") for region in REGIONS]
    records = HdxCountry.countriesdata(use_live=False)["countries"]
    countries = sorted(
        (record for record in records.values() if record.get("Region Name") in REGIONS),
        key=lambda record: record["ISO 3166-1 Alpha 3-Codes"],
    )
    for record in countries:
        english = record.get("M49 English") or record["Preferred Term"]
        label = Label(*(record.get(language.m49) or english for language in LANGUAGES))
        rows.append(
            ("country", record["ISO 3166-1 Alpha 3-Codes"], label, slug(record["Region Name"]))
        )
    return rows


def _q(kind: str, name: str, label: Label | None = None, **extra) -> dict:
    """A question or note, labelled with ``QUESTIONS[name]`` unless given its label."""
    return {"type": kind, "name": name, "label": label or QUESTIONS[name], **extra}


def _choices(list_name: str) -> list[tuple]:
    """The choices of a list written in ``CHOICES``: (list_name, name, label)."""
    return [(list_name, name, label) for name, label in CHOICES[list_name].items()]


def _wma_needs() -> dict:
    phases = _vocabulary("phases", "management_phases")
    survey = [
        _q("note", "intro"),
        _q("select_one stakeholder_types", "stakeholder_type", required="yes"),
        _q("text", "organization"),
        _q("select_one region", "region", required="yes"),
        _q("select_one country", "country", required="yes", choice_filter="region=${region}"),
        _q("select_multiple waste_categories", "waste_categories", required="yes"),
        _q("select_multiple phases", "phases"),
    ]
    for _list, code, phase in phases:
        survey.append(
            _q(
                "text",
                "challenge_" + code.replace("-", "_"),
                Label(*(text.format(name) for text, name in zip(CHALLENGE, phase, strict=True))),
                relevant=f"selected(${{phases}}, '{code}')",
            )
        )
    survey += [
        _q("select_multiple support_types", "support_types", required="yes"),
        _q("text", "needs_description"),
        _q("select_one yes_no", "consent_exchange", required="yes"),
    ]
    choices = [
        *_vocabulary("stakeholder_types", "stakeholder_types"),
        *_vocabulary("waste_categories", "waste_categories"),
        *phases,
        *_vocabulary("support_types", "support_types"),
        *_choices("yes_no"),
    ]
    return {
        "form_id": "wma_needs",
        "version": "2",
        "title": "WMA needs questionnaire",
        "survey": survey,
        "choices": choices,
        "places": _regions_and_countries(),
    }


def _asgm_baseline() -> dict:
    amalgamating = "selected(${processing_methods}, 'amalgamation')"
    survey = [
        _q("text", "site_name", required="yes"),
        _q("text", "site_code", required="yes"),
        _q("geopoint", "location"),
        _q("select_one region", "region", required="yes"),
        _q("select_one country", "country", required="yes", choice_filter="region=${region}"),
        _q("text", "admin_area"),
        _q("select_one deposit_type", "deposit_type", required="yes"),
        _q("integer", "miners"),
        _q("integer", "women"),
        _q("integer", "children"),
        _q("select_multiple processing", "processing_methods"),
        _q("select_one amalgamation", "amalgamation", relevant=amalgamating),
        _q("select_one frequency", "retort_use", relevant=amalgamating),
        _q("select_multiple burning_place", "burning_place", relevant=amalgamating),
        _q("select_one yes_no", "cyanidation_of_mercury_tailings"),
        _q("decimal", "mercury_kg_per_month", constraint=". >= 0"),
        _q("select_multiple mercury_source", "mercury_source"),
        _q("decimal", "gold_g_per_month", constraint=". >= 0"),
        _q("select_one licensing", "licensing_status"),
        _q("select_multiple worst_practices", "worst_practices_observed"),
        _q("image", "site_photo", parameters="max-pixels=1600"),
        _q("text", "health_observations"),
    ]
    choices = [
        *_choices("deposit_type"),
        *_choices("processing"),
        *_choices("amalgamation"),
        *_choices("frequency"),
        *_choices("burning_place"),
        *_choices("mercury_source"),
        *_choices("licensing"),
        *_vocabulary("worst_practices", "worst_practices"),
        *_choices("yes_no"),
    ]
    return {
        "form_id": "asgm_site_baseline",
        "version": "2",
        "title": "ASGM mining-site baseline",
        "survey": survey,
        "choices": choices,
        "places": _regions_and_countries(),
    }


BUILTIN = {"wma_needs": _wma_needs, "asgm_site_baseline": _asgm_baseline}


def workbook(definition: dict) -> Workbook:
    """The XLSForm of a definition: survey, choices (with the countries' ``region`` column for
    the choice filter) and settings sheets, labels in every language."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    labels = [f"label::{language.column}" for language in LANGUAGES]
    extras = ("required", "relevant", "constraint", "choice_filter", "parameters")
    survey.append(["type", "name", *labels, *extras])
    for row in definition["survey"]:
        survey.append(
            [row["type"], row["name"], *row["label"], *(row.get(extra, "") for extra in extras)]
        )
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *labels, "region"])
    for list_name, name, label in definition["choices"]:
        choices.append([list_name, name, *label, ""])
    for list_name, name, label, region in definition["places"]:
        choices.append([list_name, name, *label, region])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append(
        [definition["form_id"], definition["version"], definition["title"], LANGUAGES[0].column]
    )
    return book


def write_builtin_xlsforms(directory: Path = BUILTIN_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for form_id, definition in BUILTIN.items():
        path = directory / f"{form_id}.xlsx"
        workbook(definition()).save(path)
        written.append(path)
    return written
