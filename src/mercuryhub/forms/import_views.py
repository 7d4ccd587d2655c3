"""The page on which a project's manager imports a form's submissions exported by KoBoToolbox or
ODK Central: check the file first (a dry run), then import it; the report lists the rows read,
to create, duplicates, conflicts and errors by row and column."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.forms import actions, queries
from mercuryhub.forms.forms import SubmissionImportForm
from mercuryhub.lib.errors import InvalidInputError, StateError


@login_required
@require_http_methods(["GET", "POST"])
def submission_import(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    upload_form = SubmissionImportForm(request.POST or None, request.FILES or None)
    report, status = None, 200
    if request.method == "POST":
        status = 400
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["export"]
            try:
                report = actions.do_import_submissions(
                    request.user,
                    form,
                    upload.read(),
                    upload.name,
                    dry_run="import" not in request.POST,
                )
            except InvalidInputError as error:
                add_action_errors(upload_form, {"export": " ".join(error.errors.values())})
            except StateError as error:
                add_action_errors(upload_form, {"export": str(error)})
            else:
                status = 200 if report.acceptable else 400
    context = {"project": form.project, "form": form, "upload_form": upload_form}
    context["report"] = report.summary() if report else None
    return render(request, "forms/submission_import.html", context, status=status)
