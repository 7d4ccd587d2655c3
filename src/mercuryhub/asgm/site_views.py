"""A mining site's page (its answers, worst practices with the answers that showed them, its
mercury use and how it is known, its observations), and its project managers' merge and split."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.asgm import actions, display, queries
from mercuryhub.asgm.forms import MergeSitesForm, SplitSiteForm
from mercuryhub.forms import queries as forms_queries
from mercuryhub.forms.models import ProjectMembership
from mercuryhub.lib.errors import InvalidInputError, StateError

Role = ProjectMembership.Role


def _submission_links(user, site, observations) -> dict[int, str]:
    """The address of each observation's submission, for those who may read it."""
    role = forms_queries.project_role(user, site.project)
    links = {}
    for observation in observations:
        submission = observation.submission
        mine = role == Role.DATA_COLLECTOR and submission.submitted_by_user_id == user.pk
        if role in {Role.MANAGER, Role.VIEWER} or mine:
            links[observation.pk] = reverse(
                "forms-submission-detail",
                args=[site.project.slug, submission.form.xml_form_id, submission.instance_id],
            )
    return links


def _site_context(request, site, merge_form=None, split_form=None) -> dict:
    observations = list(queries.observations_of(site))
    reading = display.SiteReading(observations[0] if observations else None)
    can_manage = forms_queries.can_manage_project(request.user, site.project)
    exact = queries.projects_with_exact_locations(request.user)
    links = _submission_links(request.user, site, observations)
    context = {
        "site": site,
        "answers": reading.answers(),
        "worst_practices": reading.worst_practices(site),
        "practice": display.practice_label(site.practice),
        "location": queries.shown_location(site, exact),
        "observations": [(o, links.get(o.pk)) for o in observations],
        "merged_sites": site.merged_sites.order_by("name"),
        "can_manage": can_manage,
    }
    if can_manage:
        candidates = queries.merge_candidates(site)
        context["merge_form"] = merge_form or MergeSitesForm(candidates=candidates)
        if len(observations) > 1:
            context["split_form"] = split_form or SplitSiteForm(observations=observations)
    return context


@require_safe
def site_detail(request, pk):
    site = queries.get_site_for_user(request.user, pk)
    if site.merged_into_id:
        messages.info(request, _("%(name)s was merged into this site.") % {"name": site.name})
        return redirect(site.merged_into)
    return render(request, "asgm/site_detail.html", _site_context(request, site))


def _managed_site(request, pk):
    site = queries.get_site_for_user(request.user, pk)
    if not forms_queries.can_manage_project(request.user, site.project):
        raise PermissionDenied(_("Only the project's managers merge and split its sites."))
    return site


@login_required
@require_POST
def site_merge(request, pk):
    site = _managed_site(request, pk)
    candidates = queries.merge_candidates(site)
    form = MergeSitesForm(request.POST, candidates=candidates)
    if form.is_valid():
        chosen = set(form.cleaned_data["sites"])
        try:
            actions.do_merge_sites(
                request.user, site, [other for other in candidates if other.pk in chosen]
            )
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        except StateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The sites were merged: their observations are now this site's."),
            )
            return redirect(site)
    context = _site_context(request, site, merge_form=form)
    return render(request, "asgm/site_detail.html", context, status=400)


@login_required
@require_POST
def site_split(request, pk):
    site = _managed_site(request, pk)
    form = SplitSiteForm(request.POST, observations=list(queries.observations_of(site)))
    if form.is_valid():
        try:
            new = actions.do_split_site(request.user, site, form.cleaned_data["observations"])
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(
                request,
                _("The chosen observations now describe a new site: %(name)s.")
                % {"name": new.name},
            )
            return redirect(new)
    context = _site_context(request, site, split_form=form)
    return render(request, "asgm/site_detail.html", context, status=400)
