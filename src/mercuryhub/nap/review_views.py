"""The peer review pages of a plan: its sections with the comments beside each one, the team's
rounds and invitations, and each round's summary. Read by those who may read the plan's drafts;
404 to anyone else."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.catalogue.queries.visibility import experts_visible_to
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.lib.rich_text import markdown_html
from mercuryhub.nap import peer_review, queries
from mercuryhub.nap.fields import INTRODUCTION, OVERVIEW
from mercuryhub.review.errors import WorkflowError
from mercuryhub.taxonomy.queries import terms_of


def section_labels() -> dict[str, str]:
    """Each section's heading in the reader's language, in reading order."""
    labels = {INTRODUCTION: _("Introduction"), OVERVIEW: _("National overview")}
    for term in terms_of("nap_elements"):
        labels[term.code] = f"({term.code}) {term.localized_label}"
    return labels


def _review_url(plan, anchor: str = "") -> str:
    return reverse("nap-plan-review", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_safe
def plan_review(request, pk: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    return _review_page(request, plan)


def _review_page(request, plan, *, errors=None, form="", status=200):
    """The page; after a form with bad input (``form`` names it), its errors beside its fields
    and what was typed kept."""
    user, errors = request.user, errors or {}
    content = queries.plan_content(user, plan)
    open_round = queries.open_review_round(plan)
    comments = queries.comments_by_section(queries.review_comments_of(plan))
    team = queries.is_team_member(user, plan)
    sections = []
    for code, label in section_labels().items():
        failed = form == f"comment-{code}"
        for comment in comments.get(code, []):
            if form == f"resolve-{comment.pk}":
                comment.resolve_errors = errors
                comment.resolve_text = request.POST.get("resolution", "")
        sections.append(
            {
                "code": code,
                "label": label,
                "html": markdown_html((content.get("sections") or {}).get(code, "")),
                "comments": comments.get(code, []),
                "errors": errors if failed else {},
                "text": request.POST.get("text", "") if failed else "",
            }
        )
    context = {
        "plan": plan,
        "sections": sections,
        "rounds": queries.review_rounds_of(plan),
        "open_round": open_round,
        "team": team,
        "may_comment": bool(open_round and peer_review.may_comment(user, open_round)),
        "experts": experts_visible_to(user).order_by("name").only("pk", "name") if team else (),
        "errors": errors,
        "failed_form": form,
        "posted": request.POST if form else {},
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "nap/plan_review.html", context, status=status)


def _act(request, plan, act, success: str, anchor: str, form: str):
    """Run one write: its success said and the page shown again at ``anchor``; bad input shown
    beside the fields of the form (400); a step that does not apply said (409 → a message)."""
    try:
        act()
    except InvalidInputError as error:
        return _review_page(request, plan, errors=error.errors, form=form, status=400)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_review_url(plan, anchor))


def _date(value: str):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInputError({"due_on": _("Give the date as YYYY-MM-DD")}) from error


@login_required
@require_POST
def review_round_open(request, pk: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)

    def act():
        due_on = _date(request.POST.get("due_on", "").strip())
        peer_review.do_open_review_round(request.user, plan, due_on=due_on)

    return _act(
        request, plan, act, _("The review round is open: invite its reviewers."), "rounds", "open"
    )


@login_required
@require_POST
def review_round_invite(request, pk: int, number: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    round_ = queries.get_review_round(plan, number)
    expert = request.POST.get("expert", "").strip()

    def act():
        if expert and not expert.isdigit():
            raise InvalidInputError({"expert": _("Choose an expert of the catalogue")})
        peer_review.do_invite_reviewer(
            request.user,
            round_,
            expert_id=int(expert) if expert else None,
            email=request.POST.get("email", ""),
        )

    return _act(
        request, plan, act, _("The reviewer is invited and receives a link."), "rounds", "invite"
    )


@login_required
@require_POST
def review_round_close(request, pk: int, number: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    round_ = queries.get_review_round(plan, number)
    return _act(
        request,
        plan,
        lambda: peer_review.do_close_review_round(
            request.user, round_, request.POST.get("summary", "")
        ),
        _("The review round is closed."),
        "rounds",
        "close",
    )


@login_required
@require_POST
def review_comment_create(request, pk: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    section = request.POST.get("section", "")

    def act():
        round_ = queries.open_review_round(plan)
        if round_ is None:
            raise WorkflowError(_("No review round is open"))
        peer_review.do_comment_on_section(
            request.user, round_, section, request.POST.get("text", "")
        )

    return _act(
        request, plan, act, _("Your comment is posted."), f"section-{section}", f"comment-{section}"
    )


@login_required
@require_POST
def review_comment_resolve(request, pk: int, comment_id: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    comment = queries.get_review_comment(plan, comment_id)
    return _act(
        request,
        plan,
        lambda: peer_review.do_resolve_comment(
            request.user, comment, request.POST.get("resolution", "")
        ),
        _("The comment is resolved."),
        f"comment-{comment.pk}",
        f"resolve-{comment.pk}",
    )


@login_required
@require_POST
def review_comment_reopen(request, pk: int, comment_id: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    comment = queries.get_review_comment(plan, comment_id)
    return _act(
        request,
        plan,
        lambda: peer_review.do_reopen_comment(request.user, comment),
        _("The comment is open again."),
        f"comment-{comment.pk}",
        "",
    )


@login_required
@require_safe
def review_round_detail(request, pk: int, number: int):
    plan = queries.get_plan_under_review_for_user(request.user, pk)
    round_ = queries.get_review_round(plan, number)
    summary = queries.review_round_summary(plan, round_)
    labels = section_labels()
    for section in summary["sections"]:
        section["label"] = labels.get(section["code"], section["code"])
    return render(
        request,
        "nap/review_round.html",
        {"plan": plan, "round": round_, "summary": summary},
    )
