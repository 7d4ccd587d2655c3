"""The built-in XLSForms, written from this module so that they can be regenerated
(``mercuryhub write_builtin_forms``) and committed under ``forms/data/builtin/``: the WMA needs
questionnaire and the ASGM mining-site baseline. Labels in English, French and Spanish; the
choices of stakeholder types, waste categories, management phases, types of support and Annex C
worst practices are the platform's own vocabularies (``taxonomy/data``), with their codes as
choice names so that answers map to the platform's terms; countries are ISO 3166-1 alpha-3
codes, filtered by UN M49 region.

A changed form must change its ``VERSION``: ``serve`` deploys a new version of a built-in form
whose version is new, and refuses one whose version is the same with other content."""

import json
from importlib import resources
from pathlib import Path

from django.utils import translation
from openpyxl import Workbook

from mercuryhub.taxonomy.regions import region_label

BUILTIN_DIR = Path(__file__).resolve().parent / "data" / "builtin"
LANGUAGES = (("English (en)", "en"), ("French (fr)", "fr"), ("Spanish (es)", "es"))
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


def _taxonomy() -> tuple[dict, dict]:
    data = resources.files("mercuryhub.taxonomy") / "data"
    terms = json.loads((data / "taxonomy.json").read_text(encoding="utf-8"))
    translations = {
        code: json.loads((data / "translations" / f"{code}.json").read_text(encoding="utf-8"))
        for code in ("fr", "es")
    }
    return terms, translations


def _vocabulary(list_name: str, vocabulary: str) -> list[tuple]:
    """A vocabulary's terms as choices: (list_name, code, en, fr, es)."""
    terms, translations = _taxonomy()
    return [
        (
            list_name,
            term["code"],
            term["label"],
            translations["fr"][vocabulary][term["code"]]["label"],
            translations["es"][vocabulary][term["code"]]["label"],
        )
        for term in terms[vocabulary]
    ]


def _regions_and_countries() -> list[tuple]:
    """The M49 regions, then the countries with the region they are filtered by."""
    from hdx.location.country import Country as HdxCountry

    def slug(name):
        return name.lower().replace(" ", "-")

    rows = []
    for region in REGIONS:
        labels = []
        for language in ("en", "fr", "es"):
            with translation.override(language):
                labels.append(region_label(region))
        rows.append(("region", slug(region), *labels, ""))
    records = HdxCountry.countriesdata(use_live=False)["countries"]
    countries = sorted(
        (record for record in records.values() if record.get("Region Name") in REGIONS),
        key=lambda record: record["ISO 3166-1 Alpha 3-Codes"],
    )
    for record in countries:
        english = record.get("M49 English") or record["Preferred Term"]
        rows.append(
            (
                "country",
                record["ISO 3166-1 Alpha 3-Codes"],
                english,
                record.get("M49 French") or english,
                record.get("M49 Spanish") or english,
                slug(record["Region Name"]),
            )
        )
    return rows


YES_NO = [
    ("yes_no", "yes", "Yes", "Oui", "Sí"),
    ("yes_no", "no", "No", "Non", "No"),
]


def _q(kind, name, en, fr, es, **extra) -> dict:
    return {"type": kind, "name": name, "label": (en, fr, es), **extra}


def _wma_needs() -> dict:
    _terms, translations = _taxonomy()
    phases = _vocabulary("phases", "management_phases")
    survey = [
        _q(
            "note",
            "intro",
            "Tell the Mercury Waste Management Area what you need.",
            "Dites au domaine des déchets de mercure ce dont vous avez besoin.",
            "Diga al área de gestión de desechos de mercurio lo que necesita.",
        ),
        _q(
            "select_one stakeholder_types",
            "stakeholder_type",
            "What kind of organization do you answer for?",
            "Pour quel type d'organisation répondez-vous ?",
            "¿Por qué tipo de organización responde?",
            required="yes",
        ),
        _q(
            "text",
            "organization",
            "Name of your organization",
            "Nom de votre organisation",
            "Nombre de su organización",
        ),
        _q("select_one region", "region", "Region", "Région", "Región", required="yes"),
        _q(
            "select_one country",
            "country",
            "Country",
            "Pays",
            "País",
            required="yes",
            choice_filter="region=${region}",
        ),
        _q(
            "select_multiple waste_categories",
            "waste_categories",
            "Which mercury wastes concern you?",
            "Quels déchets de mercure vous concernent ?",
            "¿Qué desechos de mercurio le preocupan?",
            required="yes",
        ),
        _q(
            "select_multiple phases",
            "phases",
            "In which management phases do you face challenges?",
            "Dans quelles phases de gestion rencontrez-vous des difficultés ?",
            "¿En qué fases de la gestión encuentra dificultades?",
        ),
    ]
    for _list, code, en, fr, es in phases:
        survey.append(
            _q(
                "text",
                "challenge_" + code.replace("-", "_"),
                f"Challenges in this phase: {en}",
                f"Difficultés dans cette phase : {fr}",
                f"Dificultades en esta fase: {es}",
                relevant=f"selected(${{phases}}, '{code}')",
            )
        )
    survey += [
        _q(
            "select_multiple support_types",
            "support_types",
            "What types of support do you need?",
            "De quels types de soutien avez-vous besoin ?",
            "¿Qué tipos de apoyo necesita?",
            required="yes",
        ),
        _q(
            "text",
            "needs_description",
            "Describe your needs in your own words",
            "Décrivez vos besoins avec vos propres mots",
            "Describa sus necesidades con sus propias palabras",
        ),
        _q(
            "select_one yes_no",
            "consent_exchange",
            "May the needs you declare be posted in the solution exchange?",
            "Les besoins que vous déclarez peuvent-ils être publiés dans la bourse de solutions ?",
            "¿Pueden publicarse las necesidades que declara en el intercambio de soluciones?",
            required="yes",
        ),
    ]
    choices = [
        *_vocabulary("stakeholder_types", "stakeholder_types"),
        *_vocabulary("waste_categories", "waste_categories"),
        *phases,
        *_vocabulary("support_types", "support_types"),
        *YES_NO,
    ]
    return {
        "form_id": "wma_needs",
        "version": "1",
        "title": "WMA needs questionnaire",
        "survey": survey,
        "choices": choices,
        "places": _regions_and_countries(),
    }


def _choices(list_name, *options) -> list[tuple]:
    return [(list_name, *option) for option in options]


def _asgm_baseline() -> dict:
    worst = _vocabulary("worst_practices", "worst_practices")
    survey = [
        _q("text", "site_name", "Site name", "Nom du site", "Nombre del sitio", required="yes"),
        _q("text", "site_code", "Site code", "Code du site", "Código del sitio", required="yes"),
        _q(
            "geopoint",
            "location",
            "Coordinates of the site",
            "Coordonnées du site",
            "Coordenadas del sitio",
        ),
        _q("select_one region", "region", "Region", "Région", "Región", required="yes"),
        _q(
            "select_one country",
            "country",
            "Country",
            "Pays",
            "País",
            required="yes",
            choice_filter="region=${region}",
        ),
        _q(
            "text",
            "admin_area",
            "Administrative area (province, district)",
            "Division administrative (province, district)",
            "Área administrativa (provincia, distrito)",
        ),
        _q(
            "select_one deposit_type",
            "deposit_type",
            "Deposit type",
            "Type de gisement",
            "Tipo de yacimiento",
            required="yes",
        ),
        _q("integer", "miners", "Number of miners", "Nombre de mineurs", "Número de mineros"),
        _q(
            "integer",
            "women",
            "Number of women working at the site",
            "Nombre de femmes travaillant sur le site",
            "Número de mujeres que trabajan en el sitio",
        ),
        _q(
            "integer",
            "children",
            "Number of children working at the site",
            "Nombre d'enfants travaillant sur le site",
            "Número de niños que trabajan en el sitio",
        ),
        _q(
            "select_multiple processing",
            "processing_methods",
            "Processing methods used",
            "Méthodes de traitement utilisées",
            "Métodos de procesamiento utilizados",
        ),
        _q(
            "select_one amalgamation",
            "amalgamation",
            "What is amalgamated?",
            "Qu'est-ce qui est amalgamé ?",
            "¿Qué se amalgama?",
            relevant="selected(${processing_methods}, 'amalgamation')",
        ),
        _q(
            "select_one frequency",
            "retort_use",
            "Are retorts used?",
            "Des cornues sont-elles utilisées ?",
            "¿Se usan retortas?",
            relevant="selected(${processing_methods}, 'amalgamation')",
        ),
        _q(
            "select_multiple burning_place",
            "burning_place",
            "Where is amalgam burned?",
            "Où l'amalgame est-il brûlé ?",
            "¿Dónde se quema la amalgama?",
            relevant="selected(${processing_methods}, 'amalgamation')",
        ),
        _q(
            "select_one yes_no",
            "cyanidation_of_mercury_tailings",
            "Are mercury-contaminated tailings leached with cyanide?",
            "Les résidus contaminés au mercure sont-ils lixiviés au cyanure ?",
            "¿Se lixivian con cianuro los relaves contaminados con mercurio?",
        ),
        _q(
            "decimal",
            "mercury_kg_per_month",
            "Mercury used per month (kg)",
            "Mercure utilisé par mois (kg)",
            "Mercurio utilizado por mes (kg)",
            constraint=". >= 0",
        ),
        _q(
            "select_multiple mercury_source",
            "mercury_source",
            "Where does the mercury come from?",
            "D'où vient le mercure ?",
            "¿De dónde proviene el mercurio?",
        ),
        _q(
            "decimal",
            "gold_g_per_month",
            "Gold produced per month (g)",
            "Or produit par mois (g)",
            "Oro producido por mes (g)",
            constraint=". >= 0",
        ),
        _q(
            "select_one licensing",
            "licensing_status",
            "Licensing status",
            "Statut du permis",
            "Situación de la licencia",
        ),
        _q(
            "select_multiple worst_practices",
            "worst_practices_observed",
            "Worst practices observed (Minamata Convention, Annex C)",
            "Pires pratiques observées (Convention de Minamata, annexe C)",
            "Peores prácticas observadas (Convenio de Minamata, anexo C)",
        ),
        _q(
            "image",
            "site_photo",
            "Photo of the processing area",
            "Photo de la zone de traitement",
            "Foto del área de procesamiento",
            parameters="max-pixels=1600",
        ),
        _q(
            "text",
            "health_observations",
            "Health observations",
            "Observations sanitaires",
            "Observaciones de salud",
        ),
    ]
    choices = [
        *_choices(
            "deposit_type",
            ("alluvial", "Alluvial", "Alluvionnaire", "Aluvial"),
            ("hard_rock", "Hard rock", "Roche dure", "Roca dura"),
        ),
        *_choices(
            "processing",
            ("gravity", "Gravity concentration", "Concentration gravimétrique", "Gravimetría"),
            ("amalgamation", "Amalgamation", "Amalgamation", "Amalgamación"),
            ("cyanidation", "Cyanidation", "Cyanuration", "Cianuración"),
            ("direct_smelting", "Direct smelting", "Fusion directe", "Fundición directa"),
            ("flotation", "Flotation", "Flottation", "Flotación"),
        ),
        *_choices(
            "amalgamation",
            ("whole_ore", "Whole ore", "Minerai entier", "Mineral en bruto"),
            ("concentrate", "Concentrate", "Concentré", "Concentrado"),
        ),
        *_choices(
            "frequency",
            ("always", "Always", "Toujours", "Siempre"),
            ("sometimes", "Sometimes", "Parfois", "A veces"),
            ("never", "Never", "Jamais", "Nunca"),
        ),
        *_choices(
            "burning_place",
            ("open_air", "In the open air", "À l'air libre", "Al aire libre"),
            ("homes", "In homes", "Dans les habitations", "En las viviendas"),
            ("fume_hood", "Under a fume hood", "Sous une hotte", "Bajo una campana extractora"),
        ),
        *_choices(
            "mercury_source",
            ("local_dealer", "Local dealer", "Négociant local", "Comerciante local"),
            ("gold_buyer", "Gold buyer", "Acheteur d'or", "Comprador de oro"),
            ("imported", "Imported", "Importé", "Importado"),
            ("recycled", "Recycled", "Recyclé", "Reciclado"),
            ("unknown", "Unknown", "Inconnue", "Desconocida"),
        ),
        *_choices(
            "licensing",
            ("licensed", "Licensed", "Autorisé", "Con licencia"),
            ("in_process", "Licence applied for", "Permis demandé", "Licencia en trámite"),
            ("unlicensed", "Unlicensed", "Sans permis", "Sin licencia"),
        ),
        *worst,
        *YES_NO,
    ]
    return {
        "form_id": "asgm_site_baseline",
        "version": "1",
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
    extras = ("required", "relevant", "constraint", "choice_filter", "parameters")
    survey.append(
        ["type", "name", *(f"label::{language}" for language, _code in LANGUAGES), *extras]
    )
    for row in definition["survey"]:
        survey.append(
            [row["type"], row["name"], *row["label"], *(row.get(extra, "") for extra in extras)]
        )
    choices = book.create_sheet("choices")
    choices.append(
        ["list_name", "name", *(f"label::{language}" for language, _code in LANGUAGES), "region"]
    )
    for row in definition["choices"]:
        choices.append([*row, ""])
    for row in definition["places"]:
        choices.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append(
        [definition["form_id"], definition["version"], definition["title"], LANGUAGES[0][0]]
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
