"""National Action Plans in the API: the plans a person may read, one plan as that person reads
it (with its completeness check, schedule and budget), its sections, and the country team's
writes: create, edit the plan's fields, save a section, replace the objectives, actions or
stakeholders, fill in the baseline, publish. Every write names the version it started from
(``base_version``): a save over someone else's is a conflict (409) listing their changes.

Permissions are ``nap.queries``'s, as on the web: the public reads what a country published (a
draft is 404 to others), the country team reads and changes the latest version, the secretariat
reads it and changes nothing (403), invited reviewers read their round's version."""

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from mercuryhub.accounts.auth import request_user, token_auth
from mercuryhub.lib.api import ERROR_RESPONSES, ErrorBody, Pagination, limit_texts
from mercuryhub.lib.rich_text import markdown_html
from mercuryhub.lib.text import DOCUMENT_TEXT_MAX_LENGTH
from mercuryhub.nap import actions, fields, queries
from mercuryhub.nap.completeness import check_plan, vocabularies
from mercuryhub.nap.kinds import KIND
from mercuryhub.nap.schedule import budget_by_element, budget_totals, schedule_of
from mercuryhub.review import translations
from mercuryhub.review.editing_api import texts_in

router = Router(tags=["naps"])
EDITING_TAGS = ["nap editing"]
WRITE_RESPONSES = {**ERROR_RESPONSES, 409: ErrorBody}
_LANG = Field(
    None,
    pattern="^(en|fr|es|ru|zh|zh-hans|ar)?$",
    description="The language of the answer: en, fr, es, ru, zh or ar",
)


# -- reads ------------------------------------------------------------------------------------


class PlanQuery(Pagination.Input):
    country: list[str] = Field([], description="ISO 3166-1 alpha-3 codes")
    published: bool | None = Field(
        None, description="true: plans the country published; false: drafts you may read"
    )
    lang: str | None = _LANG


class OrganizationRef(Schema):
    slug: str
    name: str
    url: str


class PlanItem(Schema):
    id: int
    url: str
    name: str
    language: str
    text_languages: dict[str, str]
    country: str
    country_name: str
    organization: OrganizationRef
    period_start: int | None
    period_end: int | None
    state: str = Field(
        description="draft (never published), published, or unpublished_changes (published, "
        "with a later version that its country team has not published yet)"
    )
    version: int | None = Field(description="The number of the version you read")
    completeness_score: int = Field(description="The share of Annex C's checks met, in percent")


class PlanPage(Schema):
    count: int
    items: list[PlanItem]


class Bar(Schema):
    number: int
    element: str
    activity: str
    responsible_body: str
    start: date
    end: date
    offset_days: int
    length_days: int


class ScheduleOut(Schema):
    first: date | None
    last: date | None
    days: int
    bars: list[Bar]
    undated: list[int] = Field(description="The actions left off for want of a period")


class BudgetRow(Schema):
    element: str
    currency: str
    total: str
    actions: int


class BudgetOut(Schema):
    by_element: list[BudgetRow]
    totals: dict[str, str] = Field(description="The whole budget in each currency")


class PlanOut(PlanItem):
    summary: str
    translations: dict[str, dict[str, str]]
    latest_version: int | None = Field(
        description="The plan's latest version (send it as `base_version` to change the plan); "
        "null for those who read the published version"
    )
    published_version: int | None
    data: dict[str, Any] = Field(
        description="The version you read: sections (Markdown by code), objectives, actions, "
        "stakeholders, baseline figures"
    )
    completeness: dict[str, Any]
    schedule: ScheduleOut
    budget: BudgetOut


class SectionOut(Schema):
    code: str
    text: str = Field(description="Markdown")
    html: str = Field(description="The text rendered and sanitized")
    version: int | None = Field(description="The number of the version you read")


def _state(plan, read: queries.ReadVersion) -> str:
    if not plan.published:
        return "draft"
    if read.latest and plan.version != plan.published_version:
        return "unpublished_changes"
    return "published"


def _texts(data: dict) -> dict:
    """The plan's title and summary in the language asked for, from the version read."""
    stored: dict[str, dict[str, str]] = {}
    for key, field, language in translations.translation_keys(KIND.translated_fields):
        if data.get(key):
            stored.setdefault(language, {})[field.stored_as] = data[key]
    own = SimpleNamespace(**{**data, "translations": stored})
    texts = {f.name: translations.localized(own, f.stored_as) for f in KIND.translated_fields}
    return {
        **{name: str(text) for name, text in texts.items()},
        "language": translations.requested_language(),
        "text_languages": {name: text.language for name, text in texts.items()},
        "translations": stored,
    }


def _item(plan, read: queries.ReadVersion, terms) -> dict:
    organization = plan.organization
    return {
        "id": plan.pk,
        "url": plan.get_absolute_url(),
        **_texts(read.data),
        "country": plan.country_id,
        "country_name": plan.country.name,
        "organization": {
            "slug": organization.slug,
            "name": organization.name,
            "url": organization.get_absolute_url(),
        },
        "period_start": read.data.get("period_start"),
        "period_end": read.data.get("period_end"),
        "state": _state(plan, read),
        "version": read.number,
        "completeness_score": check_plan(read.data, terms).score,
    }


def _plan_out(user, plan) -> dict:
    read = queries.read_version(user, plan)
    terms = vocabularies()
    schedule = schedule_of(read.data)
    budget = budget_by_element(read.data, [term.code for term in terms[0]])
    return {
        **_item(plan, read, terms),
        "latest_version": plan.version if read.latest else None,
        "published_version": plan.published_version,
        "data": read.data,
        "completeness": check_plan(read.data, terms).as_dict(),
        "schedule": {
            "first": schedule.first,
            "last": schedule.last,
            "days": schedule.days,
            "bars": [bar.__dict__ for bar in schedule.bars],
            "undated": schedule.undated,
        },
        "budget": {
            "by_element": [{**row.__dict__, "total": str(row.total)} for row in budget],
            "totals": {currency: str(total) for currency, total in budget_totals(budget).items()},
        },
    }


@router.get("/naps", response={200: PlanPage, **ERROR_RESPONSES}, summary="List NAPs")
def list_naps(request, params: Query[PlanQuery]):
    """The ASGM National Action Plans you may read: those the countries published, and the
    drafts of your country team (all of them for the secretariat), by country."""
    user = request_user(request)
    plans = queries.plans_visible_to(user)
    if params.country:
        codes = {code.strip().upper() for value in params.country for code in value.split(",")}
        plans = plans.filter(country_id__in=codes)
    if params.published is not None:
        plans = plans.filter(published=params.published)
    page = list(
        plans.prefetch_related(*KIND.prefetch_related)[params.offset : params.offset + params.limit]
    )
    reads = queries.read_versions(user, page)
    terms = vocabularies()
    return {"count": plans.count(), "items": [_item(p, reads[p.pk], terms) for p in page]}


@router.get("/naps/{plan_id}", response={200: PlanOut, **ERROR_RESPONSES}, summary="One NAP")
def get_nap(request, plan_id: int):
    """The plan as you read it: its country team and the secretariat the latest version,
    invited reviewers their round's version, everyone else the published version."""
    user = request_user(request)
    return _plan_out(user, queries.get_plan_for_user(user, plan_id))


def _section_code(code: str) -> str:
    if code not in fields.section_codes():
        raise Http404(f"No section {code!r}; the sections are {', '.join(fields.section_codes())}")
    return code


def _section_out(read: queries.ReadVersion, code: str) -> dict:
    text = (read.data.get("sections") or {}).get(code, "")
    return {"code": code, "text": text, "html": str(markdown_html(text)), "version": read.number}


@router.get(
    "/naps/{plan_id}/sections/{code}",
    response={200: SectionOut, **ERROR_RESPONSES},
    summary="One section of a NAP",
)
def get_nap_section(request, plan_id: int, code: str):
    """A section's Markdown and its HTML: `introduction`, `overview`, an Annex C element
    `a`–`k`, or `additional`."""
    user = request_user(request)
    plan = queries.get_plan_for_user(user, plan_id)
    return _section_out(queries.read_version(user, plan), _section_code(code))


# -- writes -----------------------------------------------------------------------------------


def _plan_to_change(user, plan_id: int):
    """The plan, for its country team only: 404 to those who may not read it, 403 to those who
    read it but may not change it (the secretariat, the public for a published plan)."""
    plan = queries.get_plan_for_user(user, plan_id)
    if not queries.is_team_member(user, plan):
        raise PermissionDenied("Only the plan's country team can change it")
    return plan


_BASE_VERSION = (int, Field(..., ge=0, description="The version your changes start from"))
_ROWS = {
    "objectives": "element, indicator, baseline, target, year",
    "actions": "element, activity, responsible_body, partners, start, end (dates, 2027-03-31), "
    "budget, currency (ISO 4217), funding_source, worst_practices (codes)",
    "stakeholders": "name, stakeholder_type, role",
}
_PLAN_FIELDS = {
    "name": (str | None, Field(None, description="The title")),
    "summary": (str | None, Field(None, description="The executive summary (Markdown)")),
    "period_start": (int | None, Field(None, description="The first year")),
    "period_end": (int | None, Field(None, description="The last year")),
    "submitted_to_convention_on": (
        str | None,
        Field(None, description="When the country sent it to the Convention: 2027-03-31"),
    ),
}
NapIn = create_model(
    "NapIn",
    __base__=texts_in(KIND),
    **_PLAN_FIELDS,
    country=(str | None, Field(None, description="ISO 3166-1 alpha-3")),
    organization=(str | None, Field(None, description="Slug of the country team's organization")),
    sections=(dict[str, str] | None, Field(None, description="Markdown by section code")),
    baseline=(
        dict[str, Any] | None,
        Field(
            None,
            description="The figures the baseline cites, with `as_of` and `source`; left out, "
            "the national overview's where the country has mining sites on the platform",
        ),
    ),
    **{
        part: (list[dict[str, Any]] | None, Field(None, description=f"Rows of: {names}"))
        for part, names in _ROWS.items()
    },
)
NapPatch = create_model(
    "NapPatch", __base__=texts_in(KIND), **_PLAN_FIELDS, base_version=_BASE_VERSION
)
for _schema in (NapIn, NapPatch):
    limit_texts(_schema, KIND.model)


class _Input(Schema):
    # A key the API does not know is refused, naming it, rather than dropped unsaid.
    model_config = ConfigDict(extra="forbid")


class SectionIn(_Input):
    text: str = Field(..., max_length=DOCUMENT_TEXT_MAX_LENGTH, description="Markdown")
    base_version: int = Field(..., ge=0, description="The version your changes start from")


class BaseVersionIn(_Input):
    base_version: int = Field(..., ge=0, description="The version your changes start from")


def _rows_in(part: str):
    return create_model(
        f"Nap{part.capitalize()}In",
        __base__=_Input,
        **{part: (list[dict[str, Any]], Field(..., description=f"Rows of: {_ROWS[part]}"))},
        base_version=_BASE_VERSION,
    )


@router.post(
    "/naps",
    response={201: PlanOut, **WRITE_RESPONSES},
    summary="Create a NAP as a draft (editors of the country team's organization)",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def create_nap(request, payload: NapIn):
    """A new plan, a draft only its country team and the secretariat read, with the national
    overview's figures filled in where the country has mining sites on the platform."""
    plan = actions.do_create_plan(request.auth, payload.dict(exclude_unset=True))
    return Status(201, _plan_out(request.auth, plan))


@router.patch(
    "/naps/{plan_id}",
    response={200: PlanOut, **WRITE_RESPONSES},
    summary="Edit a NAP's title, summary, period and translations",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def update_nap(request, plan_id: int, payload: NapPatch):
    plan = _plan_to_change(request.auth, plan_id)
    changes = payload.dict(exclude_unset=True)
    base_version = changes.pop("base_version")
    plan = actions.do_edit_plan(request.auth, plan, changes, base_version=base_version)
    return _plan_out(request.auth, plan)


@router.put(
    "/naps/{plan_id}/sections/{code}",
    response={200: SectionOut, **WRITE_RESPONSES},
    summary="Save a section of a NAP",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def set_nap_section(request, plan_id: int, code: str, payload: SectionIn):
    plan = _plan_to_change(request.auth, plan_id)
    plan = actions.do_save_section(
        request.auth, plan, _section_code(code), payload.text, base_version=payload.base_version
    )
    return _section_out(queries.read_version(request.auth, plan), code)


def _register_rows(part: str) -> None:
    schema = _rows_in(part)

    def endpoint(request, plan_id: int, payload: schema):
        plan = _plan_to_change(request.auth, plan_id)
        rows = getattr(payload, part)
        plan = actions.do_save_rows(
            request.auth, plan, part, rows, base_version=payload.base_version
        )
        return _plan_out(request.auth, plan)

    endpoint.__name__ = f"set_nap_{part}"
    endpoint.__doc__ = (
        f"The whole list of the plan's {part}, in order; a bad value is named by its row, "
        f"counted from 1: `{part}.3.{_ROWS[part].split(',')[0]}`."
    )
    router.put(
        f"/naps/{{plan_id}}/{part}",
        response={200: PlanOut, **WRITE_RESPONSES},
        summary=f"Replace a NAP's {part}",
        auth=token_auth,
        tags=EDITING_TAGS,
    )(endpoint)


for _part in fields.MAX_ROWS:
    _register_rows(_part)


@router.post(
    "/naps/{plan_id}/baseline",
    response={200: PlanOut, **WRITE_RESPONSES},
    summary="Fill in a NAP's baseline from the national overview",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def fill_nap_baseline(request, plan_id: int, payload: BaseVersionIn):
    """The national overview's figures (mining sites, miners, gold, mercury use, worst
    practices) with today's date and their source; 422 where the country has no sites yet."""
    plan = _plan_to_change(request.auth, plan_id)
    plan = actions.do_fill_baseline(request.auth, plan, base_version=payload.base_version)
    return _plan_out(request.auth, plan)


@router.post(
    "/naps/{plan_id}/publish",
    response={200: PlanOut, **WRITE_RESPONSES},
    summary="Publish a NAP's latest version (its country team)",
    auth=token_auth,
    tags=EDITING_TAGS,
)
def publish_nap(request, plan_id: int):
    """What the public reads becomes the latest version; 409 when nothing changed since the
    last publication."""
    plan = _plan_to_change(request.auth, plan_id)
    return _plan_out(request.auth, actions.do_publish_plan(request.auth, plan))
