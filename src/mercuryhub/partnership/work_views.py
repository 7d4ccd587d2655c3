"""The pages of the working groups' work: a workplan (its activities by year, the status
summary, its endorsements and the form to endorse it), a review report, and the secretariat's
page opening the year's reports. Editing goes through the catalogue's editing pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.accounts.models import Organization
from mercuryhub.accounts.queries import can_edit_organization, is_reviewer
from mercuryhub.lib.errors import InvalidInputError, StateError
from mercuryhub.partnership import work_actions, work_queries
from mercuryhub.partnership.work_forms import EndorseForm, OpenReportsForm
from mercuryhub.review.queries import can_edit_entry


def workplan_detail(request, pk):
    workplan = work_queries.get_workplan_for_user(request.user, pk)
    return _render_workplan(
        request,
        workplan,
        EndorseForm(organizations=work_queries.organizations_to_endorse(request.user, workplan)),
    )


def _render_workplan(request, workplan, form, status=200):
    endorsements = list(work_queries.endorsements_of(workplan))
    return render(
        request,
        "partnership/workplan_detail.html",
        {
            "workplan": workplan,
            "years": work_queries.activities_by_year(workplan),
            "summary": work_queries.status_summary(workplan),
            "endorsements": endorsements,
            "endorse_form": form if form.fields["organization"].choices else None,
            "may_edit": can_edit_entry(request.user, workplan),
        },
        status=status,
    )


@login_required
@require_POST
def workplan_endorse(request, pk):
    workplan = work_queries.get_workplan_for_user(request.user, pk)
    form = EndorseForm(
        request.POST, organizations=work_queries.organizations_to_endorse(request.user, workplan)
    )
    if form.is_valid():
        organization = Organization.objects.filter(slug=form.cleaned_data["organization"]).first()
        if organization is None or not can_edit_organization(request.user, organization):
            raise PermissionDenied("Only an organization's editors endorse for it")
        try:
            work_actions.do_endorse_workplan(
                request.user, workplan, organization, form.cleaned_data["comment"]
            )
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect(workplan)
        except StateError as error:
            messages.error(request, str(error))
            return redirect(workplan)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("%(organization)s endorses this workplan.") % {"organization": organization.name},
            )
            return redirect(workplan)
    return _render_workplan(request, workplan, form, status=400)


def report_detail(request, pk):
    report = work_queries.get_report_for_user(request.user, pk)
    return render(
        request,
        "partnership/report_detail.html",
        {
            "report": report,
            "may_edit": can_edit_entry(request.user, report),
            "overdue": not report.published
            and report.review_state in {"draft", "returned"}
            and report.due_on < timezone.localdate(),
        },
    )


@login_required
def reports_open(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("Only the secretariat opens the review reports")
    today = timezone.localdate()
    form = OpenReportsForm(request.POST or None, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        try:
            result = work_actions.do_open_review_reports(
                request.user, form.cleaned_data["year"], form.cleaned_data["due_on"]
            )
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _(
                    "Reports opened: %(opened)d; already open: %(existing)d; groups without "
                    "leaders: %(missing)d."
                )
                % {
                    "opened": len(result.opened),
                    "existing": len(result.existing),
                    "missing": len(result.without_leaders),
                },
            )
            return redirect("partnership-reports-open")
    reports = work_queries.reports_not_submitted()
    return render(request, "partnership/reports_open.html", {"form": form, "waiting": reports})
