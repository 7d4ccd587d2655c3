"""Every write of the ASGM baseline: sites recorded from approved submissions, merged and split
by a project's managers, the mercury-to-gold ratios loaded from the shipped file or set by a
country from a national study (its sites' estimates follow)."""

import csv
import io
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.asgm import baseline, queries
from mercuryhub.asgm.models import MercuryRatio, Practice, Site, SiteObservation
from mercuryhub.forms import queries as forms_queries
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.lib.geo import haversine_km
from mercuryhub.taxonomy.actions import LoadReport, ReferenceDataError, save_reference_row
from mercuryhub.taxonomy.models import Country

SAME_SITE_KM = 0.5  # a site of the same name within 500 m is the same site
RATIO_COLUMNS = ("practice", "label", "ratio_low", "ratio_typical", "ratio_high", "source")


# Mercury-to-gold ratios ---------------------------------------------------------------------


def default_ratios_path() -> Path:
    return Path(str(resources.files("mercuryhub.asgm") / "data" / "asgm_hg_au_ratios.csv"))


def _is_number(text: str) -> bool:
    try:
        Decimal(text.strip())
    except InvalidOperation:
        return False
    return True


def _ratio_row(fields: list[str]) -> dict:
    """A row by its columns. A label written with commas and no quotes (as spreadsheets
    sometimes save one) spreads over several fields: the three ratios are then the first three
    numbers after it, and what follows them the source."""
    if len(fields) > len(RATIO_COLUMNS):
        for start in range(2, len(fields) - 2):
            if all(_is_number(field) for field in fields[start : start + 3]):
                fields = [
                    fields[0],
                    ",".join(fields[1:start]),
                    *fields[start : start + 3],
                    ",".join(fields[start + 3 :]),
                ]
                break
    return dict(zip(RATIO_COLUMNS, fields, strict=False))


def _ratio_values(row: dict, line: int, problems: list[str]) -> dict | None:
    found = len(problems)
    if row.get("practice") not in Practice.values:
        problems.append(
            f"row {line}: practice {row.get('practice')!r} is not one of "
            + ", ".join(Practice.values)
        )
    values = {}
    for column in ("ratio_low", "ratio_typical", "ratio_high"):
        try:
            values[column] = Decimal(str(row.get(column, "")).strip())
        except InvalidOperation:
            problems.append(f"row {line}: {column} {row.get(column)!r} is not a number")
    if len(values) == 3 and not (
        0 <= values["ratio_low"] <= values["ratio_typical"] <= values["ratio_high"]
    ):
        problems.append(f"row {line}: the ratios must be 0 <= low <= typical <= high")
    if not str(row.get("source", "")).strip():
        problems.append(f"row {line}: the source is missing; a ratio is used only with one")
    if len(problems) > found:
        return None
    return {
        "label": row["label"].strip()[:300],
        "low": values["ratio_low"],
        "typical": values["ratio_typical"],
        "high": values["ratio_high"],
        "source": row["source"].strip(),
    }


@transaction.atomic
def do_load_mercury_ratios(path: Path | None = None) -> LoadReport:
    """The default ratios, from a CSV of the shipped layout (RATIO_COLUMNS): every row is
    checked first, and nothing is saved unless all are right (ReferenceDataError naming each
    bad row). Safe to run again; then the sites' estimates are recomputed."""
    path = path or default_ratios_path()
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader, [])]
    if header != list(RATIO_COLUMNS):
        raise ReferenceDataError(
            str(path), [f"the columns must be {', '.join(RATIO_COLUMNS)}; found {header}"]
        )
    problems: list[str] = []
    rows = [
        (fields[0], _ratio_values(_ratio_row(fields), line, problems))
        for line, fields in enumerate(reader, start=2)
        if any(field.strip() for field in fields)
    ]
    if problems:
        raise ReferenceDataError(str(path), problems)
    report = LoadReport()
    for code, values in rows:
        save_reference_row(MercuryRatio, {"practice": code, "country": None}, values, report)
    if report.created or report.updated:
        _rederive(Site.objects.all())
    return report


def can_set_national_ratios(user) -> bool:
    """The secretariat (reviewers and administrators) records a country's national study."""
    return is_reviewer(user)


@transaction.atomic
def do_set_national_ratio(
    actor, country: Country, practice: str, low, typical, high, source: str
) -> MercuryRatio:
    """A country's own ratio for a practice, from a national study named in ``source``; the
    country's sites are estimated with it from now on."""
    if not can_set_national_ratios(actor):
        raise PermissionDenied(_("Only the secretariat sets a country's mercury-to-gold ratios."))
    problems: list[str] = []
    row = {
        "practice": practice,
        "label": str(Practice(practice).label) if practice in Practice.values else "",
        "ratio_low": low,
        "ratio_typical": typical,
        "ratio_high": high,
        "source": source,
    }
    values = _ratio_values(row, 1, problems)
    if values is None:
        raise InvalidInputError({"ratio": "; ".join(p.removeprefix("row 1: ") for p in problems)})
    ratio, _created = MercuryRatio.objects.update_or_create(
        practice=practice, country=country, defaults=values
    )
    _rederive(Site.objects.filter(country=country))
    return ratio


def _ratios_for(country_id: str | None) -> dict[str, MercuryRatio]:
    """The ratio of each practice for a country: its own where it set one, else the default."""
    ratios = {r.practice: r for r in MercuryRatio.objects.filter(country=None)}
    if country_id:
        ratios.update({r.practice: r for r in MercuryRatio.objects.filter(country=country_id)})
    return ratios


# Sites ---------------------------------------------------------------------------------------


def _derive(site: Site, ratios: dict[str, MercuryRatio]) -> None:
    """The site's worst-practice flags and mercury use from its answers and the ratios."""
    shown = {item["code"] for item in site.worst_practices}
    for code, flag in baseline.WORST_PRACTICES.items():
        setattr(site, flag, code in shown)
    ratio = ratios.get(site.practice) if site.practice else None
    use = baseline.mercury_use(
        site.mercury_reported_kg_per_year,
        site.gold_kg_per_year,
        baseline.Ratio(ratio.low, ratio.typical, ratio.high) if ratio else None,
    )
    site.mercury_method = use.method
    site.mercury_low_kg_per_year = use.low
    site.mercury_typical_kg_per_year = use.typical
    site.mercury_high_kg_per_year = use.high
    site.mercury_ratio = ratio if use.method == "estimated" else None


def _rederive(sites) -> None:
    by_country: dict = {}
    for site in sites.iterator(chunk_size=2000):
        ratios = by_country.setdefault(site.country_id, _ratios_for(site.country_id))
        _derive(site, ratios)
        site.save()


def _same_site(project, answers: dict) -> Site | None:
    """The site a submission describes again: the same site code, else the same name within
    500 m; merged sites are not matched (their observations live on in the site they joined)."""
    sites = Site.objects.filter(project=project, merged_into=None)
    if answers["code"]:
        site = sites.filter(code__iexact=answers["code"]).order_by("pk").first()
        if site:
            return site
    if answers["latitude"] is None or not answers["name"]:
        return None
    for site in sites.filter(name__iexact=answers["name"]).exclude(latitude=None).order_by("pk"):
        distance = haversine_km(
            answers["latitude"], answers["longitude"], site.latitude, site.longitude
        )
        if distance <= SAME_SITE_KM:
            return site
    return None


# What names and places a site: kept from an earlier visit when the latest leaves it blank.
_IDENTITY = ("site_code", "site_name", "location", "admin_area", "country")


def _apply_latest(site: Site) -> None:
    """The site's answers from its latest observation, and what they imply; its code, name,
    place and area from the latest observation that gave them."""
    observations = site.observations.select_related("submission").order_by("observed_at", "pk")
    data: dict = {}
    for observation in observations:
        answers = observation.submission.data
        identity = {name: baseline.answer(data, name) for name in _IDENTITY}
        data = dict(answers)
        for name, earlier in identity.items():
            if earlier and not baseline.answer(answers, name):
                data[name] = earlier
    latest = observation
    for name, value in baseline.site_answers(data).items():
        setattr(site, name, value)
    site.public_latitude, site.public_longitude = queries.public_coordinates(
        site.latitude, site.longitude
    )
    country = baseline.answer(data, "country")
    site.country_id = country if Country.objects.filter(iso3=country).exists() else None
    site.observed_at = latest.observed_at
    _derive(site, _ratios_for(site.country_id))
    site.save()


@transaction.atomic
def do_record_site_from_submission(submission) -> Site:
    """Create or update the site an approved baseline submission describes (registered with
    ``forms.registry``): the same site code, or the same name within 500 m, is the same site,
    whose history keeps what it said before. An older submission approved late is kept as an
    observation without overriding newer answers."""
    existing = SiteObservation.objects.filter(submission=submission).first()
    if existing is not None:
        return existing.site
    answers = baseline.site_answers(submission.data)
    project = submission.form.project
    site = _same_site(project, answers)
    if site is None:
        site = Site(project=project, name=answers["name"], observed_at=submission.received_at)
        site.save()
    SiteObservation.objects.create(
        site=site, submission=submission, observed_at=submission.received_at
    )
    _apply_latest(site)
    return site


def _require_manager(actor, project) -> None:
    if not forms_queries.can_manage_project(actor, project):
        raise PermissionDenied(_("Only the project's managers merge and split its sites."))


@transaction.atomic
def do_merge_sites(actor, site: Site, others: list[Site]) -> Site:
    """Fold ``others`` into ``site``: their observations become its own, they point to it and
    leave the lists; the site takes the answers of the latest observation of all."""
    _require_manager(actor, site.project)
    others = [other for other in others if other.pk != site.pk]
    if not others:
        raise InvalidInputError({"sites": _("Choose at least one other site to merge.")})
    for other in others:
        if other.project_id != site.project_id or other.merged_into_id is not None:
            raise StateError(
                _(
                    "The site '%(name)s' cannot be merged: it belongs to another project or was "
                    "merged already."
                )
                % {"name": other.name}
            )
        other.observations.update(site=site)
        other.merged_into = site
        other.save()
    _apply_latest(site)
    return site


@transaction.atomic
def do_split_site(actor, site: Site, observation_ids: list[int]) -> Site:
    """Move the chosen observations of ``site`` to a new site (two sites that were taken for
    one); each takes the answers of its own latest observation."""
    _require_manager(actor, site.project)
    moving = list(site.observations.filter(pk__in=observation_ids))
    if not moving or len(moving) != len(set(observation_ids)):
        raise InvalidInputError(
            {"observations": _("Choose observations of this site to move to a new site.")}
        )
    if len(moving) == site.observations.count():
        raise InvalidInputError(
            {"observations": _("Leave at least one observation with the site.")}
        )
    new = Site(project=site.project, name=site.name, observed_at=moving[0].observed_at)
    new.save()
    SiteObservation.objects.filter(pk__in=[o.pk for o in moving]).update(site=new)
    _apply_latest(new)
    _apply_latest(site)
    return new
