"""A mining site as data: its one serialization, shared by the API (an item of
/api/v1/asgm/sites), the GeoJSON export (a Feature's properties) and the CSV and XLSX exports (a
row, the same data laid out in columns). Coordinates are those the person may see
(``queries.shown_location``)."""

from decimal import Decimal

from django.urls import reverse

from mercuryhub.asgm import display, queries
from mercuryhub.asgm.models import ANNEX_C_REFERENCES, Site, WorstPractice


def kilograms(value: Decimal | None) -> float | None:
    """Kilograms as a number (to the gram), for JSON and spreadsheets."""
    return None if value is None else float(round(value, 3))


def _ratio(site: Site) -> dict | None:
    ratio = site.mercury_ratio
    if ratio is None:
        return None
    return {
        "label": ratio.label,
        "source": ratio.source,
        "country": ratio.country_id,
        "low": float(ratio.low),
        "typical": float(ratio.typical),
        "high": float(ratio.high),
    }


def _worst_practices(site: Site) -> list[dict]:
    """Each worst practice with the answer that showed it, as stored (question name, answer
    code: baseline.worst_practices)."""
    labels = dict(WorstPractice.choices)
    return [
        {
            "code": item["code"],
            "label": str(labels.get(item["code"], item["code"])),
            "reference": ANNEX_C_REFERENCES.get(item["code"], ""),
            "question": item["question"],
            "answer": item["answer"],
        }
        for item in site.worst_practices
    ]


def site_data(site: Site, exact_projects: set[int]) -> dict:
    """The site as the person whose projects are ``exact_projects`` may see it
    (``queries.projects_with_exact_locations``); labels in the active language."""
    location = queries.shown_location(site, exact_projects)
    return {
        "id": site.pk,
        "name": site.name,
        "code": site.code,
        "country": site.country_id,
        "admin_area": site.admin_area,
        "latitude": location[0] if location else None,
        "longitude": location[1] if location else None,
        "exact": bool(location and location[2]),
        "deposit_type": site.deposit_type,
        "miners": site.miners,
        "women": site.women,
        "children": site.children,
        "practice": site.practice,
        "practice_label": display.practice_label(site.practice),
        "licensing_status": site.licensing_status,
        "gold_kg_per_year": kilograms(site.gold_kg_per_year),
        "mercury": {
            "method": site.mercury_method,
            "low_kg_per_year": kilograms(site.mercury_low_kg_per_year),
            "typical_kg_per_year": kilograms(site.mercury_typical_kg_per_year),
            "high_kg_per_year": kilograms(site.mercury_high_kg_per_year),
            "ratio": _ratio(site),
        },
        "worst_practices": _worst_practices(site),
        "observed_at": site.observed_at,
        "merged_into": site.merged_into_id,
        "links": {
            "page": site.get_absolute_url(),
            "api": reverse("api-v1:get_asgm_site", args=[site.pk]),
        },
    }


# The columns of the CSV and XLSX exports: the data above, flattened.
COLUMNS = (
    "id",
    "name",
    "code",
    "country",
    "admin_area",
    "latitude",
    "longitude",
    "exact",
    "deposit_type",
    "miners",
    "women",
    "children",
    "practice",
    "practice_label",
    "licensing_status",
    "gold_kg_per_year",
    "mercury_method",
    "mercury_low_kg_per_year",
    "mercury_typical_kg_per_year",
    "mercury_high_kg_per_year",
    "mercury_ratio",
    "mercury_ratio_source",
    "worst_practices",
    "worst_practice_answers",
    "observed_at",
    "url",
)


def site_row(data: dict) -> list:
    """A site's data (``site_data``) as a row of COLUMNS: numbers stay numbers; the worst
    practices as ``;``-separated codes, and the answers that showed them as
    ``code: question=answer``."""
    mercury, ratio = data["mercury"], data["mercury"]["ratio"] or {}
    flat = {
        **data,
        "mercury_method": mercury["method"],
        "mercury_low_kg_per_year": mercury["low_kg_per_year"],
        "mercury_typical_kg_per_year": mercury["typical_kg_per_year"],
        "mercury_high_kg_per_year": mercury["high_kg_per_year"],
        "mercury_ratio": ratio.get("label", ""),
        "mercury_ratio_source": ratio.get("source", ""),
        "worst_practices": "; ".join(item["code"] for item in data["worst_practices"]),
        "worst_practice_answers": "; ".join(
            f"{item['code']}: {item['question']}={item['answer']}"
            for item in data["worst_practices"]
        ),
        "observed_at": data["observed_at"].isoformat(),
        "url": data["links"]["page"],
    }
    return [flat[name] for name in COLUMNS]
