"""The pages of case studies beyond their own page: the list searched and filtered by
circumstance, the published validation criteria, and a reviewer's judgement on one criterion
(a form of the review page)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.library import actions, queries
from mercuryhub.library.models import ValidationCriterion
from mercuryhub.review.errors import WorkflowError
from mercuryhub.review.queries import can_review, get_entry_for_editor
from mercuryhub.taxonomy.models import Country
from mercuryhub.taxonomy.queries import countries, regions, terms_of

PAGE_SIZE = 20


def case_study_list(request):
    try:
        filters = _filters(request.GET)
    except InvalidInputError as error:
        filters, errors = queries.CaseStudyFilters(), error.errors
    else:
        errors = {}
    page = Paginator(queries.search_case_studies(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/case_study_list.html",
        {
            "filters": filters,
            "errors": errors,
            "page": page,
            "countries": countries().filter(case_studies__published=True).distinct(),
            "regions": regions(),
            "waste_categories": terms_of("waste_categories"),
            "phases": terms_of("management_phases"),
            "nap_elements": terms_of("nap_elements"),
            "criteria": queries.active_criteria(),
        },
        status=400 if errors else 200,
    )


def _filters(params) -> queries.CaseStudyFilters:
    """The filters asked for; InvalidInputError naming each unknown value."""
    errors: dict[str, str] = {}

    def unknown(field: str, label, code: str) -> None:
        errors[field] = _("Unknown code %(code)s for %(filter)s; choose one in the list.") % {
            "code": code[:40],
            "filter": label,
        }

    def term(vocabulary: str, field: str, label):
        code = params.get(field, "").strip()
        found = terms_of(vocabulary).filter(code=code).first() if code else None
        if code and found is None:
            unknown(field, label, code)
        return found

    code = params.get("country", "").strip().upper()
    country = Country.objects.filter(Q(iso3=code) | Q(iso2=code)).first() if code else None
    if code and country is None:
        unknown("country", _("Country"), code)
    region = params.get("region", "").strip()[:100]
    known_regions = {r["name"] for r in regions()} | {
        name for r in regions() for name in r["subregions"]
    }
    if region and region not in known_regions:
        unknown("region", _("Region"), region)
    codes = [code.strip() for code in params.getlist("met") if code.strip()]
    met = list(ValidationCriterion.objects.filter(active=True, code__in=codes))
    for code in sorted(set(codes) - {criterion.code for criterion in met}):
        unknown("met", _("Criteria met"), code)
    chosen = {
        "waste": term("waste_categories", "waste", _("Waste category")),
        "phase": term("management_phases", "phase", _("Management phase")),
        "nap": term("nap_elements", "nap", _("NAP element")),
    }
    if errors:
        raise InvalidInputError(errors)
    return queries.CaseStudyFilters(
        q=params.get("q", "").strip()[:200],
        country=country,
        region=region,
        met=tuple(met),
        validated=params.get("validated") == "1",
        **chosen,
    )


def criteria_list(request):
    return render(request, "library/criteria.html", {"criteria": queries.active_criteria()})


def _reviewers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_review(request.user):
            raise PermissionDenied("Only reviewers of the secretariat can judge case studies")
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@_reviewers_only
def judge_criterion(request, pk):
    """Record the judgement of one criterion, then back to the review page at that criterion."""
    case_study = get_entry_for_editor(request.user, "case_study", pk)
    code = request.POST.get("criterion", "")
    try:
        actions.do_judge_criterion(
            request.user,
            case_study,
            code,
            request.POST.get("judgement", ""),
            request.POST.get("note", ""),
        )
    except InvalidInputError as error:
        messages.error(request, " ".join(error.errors.values()))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        criterion = ValidationCriterion.objects.get(code=code)
        messages.success(
            request, _("Judgement recorded: %(criterion)s.") % {"criterion": criterion}
        )
    url = reverse("review-entry", args=["case_study", case_study.pk])
    return redirect(f"{url}#criterion-{code}" if code.replace("-", "").isalnum() else url)
