"""The pages of a project's forms: uploading an XLSForm (a new form or a new version, with every
error and warning by sheet and row), a form with its versions, media files and state, and the
downloads of each version's XLSForm and XForm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.forms import actions, queries
from mercuryhub.forms.conversion import XLSFormError
from mercuryhub.forms.forms import FormStateForm, MediaForm, XLSFormUploadForm
from mercuryhub.forms.views import project_context
from mercuryhub.lib.errors import InvalidInputError, StateError


def _publish(request, project, form, target=None):
    """Publish the uploaded XLSForm; the version, or None with the problems put on ``form``."""
    upload = form.cleaned_data["xlsform"]
    try:
        version = actions.do_publish_xlsform(
            request.user, project, upload.name, upload.read(), form=target
        )
    except XLSFormError as error:
        form.problems = error.problems
        form.add_error("xlsform", _("The XLSForm could not be converted; nothing was stored."))
        return None
    for warning in version.warnings:
        messages.warning(request, _describe(warning))
    messages.success(request, _("Version '%(version)s' is published.") % {"version": version})
    return version


def _describe(problem: dict) -> str:
    if problem.get("row"):
        return _("%(sheet)s sheet, row %(row)s: %(message)s") % problem
    return problem["message"]


@login_required
@require_POST
def form_upload(request, slug):
    """A new form, from an XLSForm uploaded on the project's page."""
    project = queries.get_project_for_user(request.user, slug, manage=True)
    upload_form = XLSFormUploadForm(request.POST, request.FILES)
    if upload_form.is_valid() and (version := _publish(request, project, upload_form)):
        return redirect(version.form)
    context = project_context(request.user, project, upload_form=upload_form)
    return render(request, "forms/project_detail.html", context, status=400)


def form_context(user, form, **forms) -> dict:
    return {
        "project": form.project,
        "form": form,
        "versions": form.versions.select_related("created_by").prefetch_related("media"),
        "submissions": queries.submissions_visible_to(user, form)[:50],
        "can_manage": queries.can_manage_project(user, form.project),
        "can_submit": queries.can_submit(user, form.project),
        "upload_form": forms.get("upload_form") or XLSFormUploadForm(),
        "media_form": forms.get("media_form") or MediaForm(),
        "state_form": FormStateForm(initial={"state": form.state}),
    }


@login_required
@require_safe
def form_detail(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    return render(request, "forms/form_detail.html", form_context(request.user, form))


@login_required
@require_POST
def form_version_upload(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    upload_form = XLSFormUploadForm(request.POST, request.FILES)
    if upload_form.is_valid() and _publish(request, form.project, upload_form, form):
        return redirect(form)
    context = form_context(request.user, form, upload_form=upload_form)
    return render(request, "forms/form_detail.html", context, status=400)


@login_required
@require_POST
def form_media(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    media_form = MediaForm(request.POST, request.FILES)
    if media_form.is_valid():
        try:
            actions.do_add_form_media(request.user, form, media_form.cleaned_data["file"])
        except (InvalidInputError, StateError) as error:
            add_action_errors(media_form, getattr(error, "errors", None) or {"file": str(error)})
        else:
            messages.success(request, _("The media file is added to the current version."))
            return redirect(form)
    context = form_context(request.user, form, media_form=media_form)
    return render(request, "forms/form_detail.html", context, status=400)


@login_required
@require_POST
def form_state(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    state_form = FormStateForm(request.POST)
    if state_form.is_valid():
        actions.do_set_form_state(request.user, form, state_form.cleaned_data["state"])
        messages.success(request, _("The form is %(state)s.") % {"state": form.get_state_display()})
    return redirect(form)


def _version(request, slug, xml_form_id, pk):
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    version = form.versions.filter(pk=pk).first()
    if version is None:
        raise Http404("No such version")
    return version


@login_required
@require_safe
def form_xlsform(request, slug, xml_form_id, pk):
    version = _version(request, slug, xml_form_id, pk)
    name = f"{xml_form_id}-{version.version or version.pk}.xlsx"
    return FileResponse(version.xlsform.open("rb"), as_attachment=True, filename=name)


@login_required
@require_safe
def form_xform(request, slug, xml_form_id, pk):
    version = _version(request, slug, xml_form_id, pk)
    response = HttpResponse(version.xml, content_type="text/xml; charset=utf-8")
    name = f"{xml_form_id}-{version.version or version.pk}.xml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
