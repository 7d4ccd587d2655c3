"""Filling a form in on the web: the form's current version in the reader's language, checked as
ODK Collect checks it (a message by each field and in the summary), stored as a submission of the
person; its relevance answered as the page's script asks; a submission edited on the web, stored
as a new instance that replaces the old one, which stays in its history."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from mercuryhub.forms import actions, queries
from mercuryhub.forms.models import Form
from mercuryhub.forms.webform.answers import form_data, initial_data
from mercuryhub.forms.webform.expressions import ExpressionError
from mercuryhub.forms.webform.instances import instance_xml, new_instance_id, values_from_instance
from mercuryhub.forms.webform.rendering import build_webform
from mercuryhub.forms.webform.repeats import apply_repeat_button
from mercuryhub.forms.webform.survey import choose_language, load_survey
from mercuryhub.forms.webform.validation import live_state, validate_submission
from mercuryhub.lib.errors import StateError


def _form_to_fill(request, slug, xml_form_id) -> Form:
    """The form, to those who may submit to its project (404 to outsiders, 403 to viewers)."""
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    if not queries.can_submit(request.user, form.project):
        raise PermissionDenied("Only the project's managers and data collectors submit")
    return form


def _survey(version):
    """The version's survey, or None when the web form cannot evaluate its expressions."""
    try:
        return load_survey(version.survey_json)
    except ExpressionError:
        return None


def _page(request, form, version, *, data=None, errors=None, focus=None, **extra):
    survey = _survey(version) if version else None
    context = {"project": form.project, "form": form, "version": version, **extra}
    if survey is not None and form.state != Form.State.CLOSED:
        language = choose_language(survey, get_language())
        data = data if data is not None else initial_data(survey)
        context["webform"] = build_webform(survey, language, data, errors, focus)
        context["relevance_url"] = (
            reverse("forms-fill-relevance", args=[form.project.slug, form.xml_form_id])
            + f"?version={version.pk}"
        )
    status = 400 if errors else 200
    return render(request, "forms/fill.html", context, status=status)


def _submit(request, form, version, *, replaces=None, **extra):
    """Check the POST and store it (a new instance, or an edit of ``replaces``): (the
    submission, None), or (None, the page shown again)."""
    survey = _survey(version)
    if survey is None or form.state == Form.State.CLOSED:
        return None, _page(request, form, version, **extra)
    data, focus = apply_repeat_button(survey, request.POST)
    if focus:
        return None, _page(request, form, version, data=data, focus=focus, **extra)
    language = choose_language(survey, get_language())
    values, errors = validate_submission(survey, data, language)
    if errors:
        return None, _page(request, form, version, data=data, errors=errors, **extra)
    deprecated_id = replaces.instance_id if replaces else None
    xml = instance_xml(survey, values, new_instance_id(), deprecated_id)
    try:
        submission, _new = actions.do_receive_submission(
            form.project, xml.encode(), user=request.user
        )
    except StateError as error:
        page = _page(request, form, version, data=data, problem=str(error), **extra)
        page.status_code = 409
        return None, page
    return submission, None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_fill(request, slug, xml_form_id):
    form = _form_to_fill(request, slug, xml_form_id)
    version = form.current_version
    if request.method != "POST" or version is None:
        return _page(request, form, version)
    submission, page = _submit(request, form, version)
    if submission is None:
        return page
    return render(request, "forms/fill_done.html", {"form": form, "submission": submission})


@login_required
@require_POST
def form_fill_relevance(request, slug, xml_form_id):
    """{"hidden": [instance paths]}: the questions that are not relevant for the fields sent."""
    form = _form_to_fill(request, slug, xml_form_id)
    asked = request.GET.get("version", "")
    version = form.versions.filter(pk=int(asked)).first() if asked.isdigit() else None
    version = version or form.current_version
    survey = _survey(version) if version else None
    if survey is None:
        raise Http404("No web form")
    return JsonResponse(live_state(survey, request.POST))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submission_edit(request, slug, xml_form_id, instance_id):
    """A manager corrects a submission in the web form of its own version."""
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    submission = queries.get_submission_for_user(request.user, form, instance_id)
    version = submission.form_version
    extra = {"submission": submission}
    if not submission.current:
        return _page(request, form, version, replaced=True, **extra)
    if request.method != "POST":
        survey = _survey(version)
        data = form_data(survey, values_from_instance(survey, submission.xml)) if survey else None
        return _page(request, form, version, data=data, **extra)
    edited, page = _submit(request, form, version, replaces=submission, **extra)
    if edited is None:
        return page
    return redirect("forms-submission-detail", slug, xml_form_id, edited.instance_id)
