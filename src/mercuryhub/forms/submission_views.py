"""The submissions of a form: the table (50 a page, filtered by review state, sender and days
received, with the first questions' answers), one submission with every answer, its files, its
edit history and its review, and the downloads of its files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.forms import actions, queries
from mercuryhub.forms.submission_answers import Reader
from mercuryhub.forms.submission_forms import ReviewForm, SubmissionFilterForm
from mercuryhub.lib.errors import InvalidInputError, StateError

PAGE_SIZE = 50


@login_required
@require_safe
def submission_list(request, slug, xml_form_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    filter_form = SubmissionFilterForm(request.GET, queries.submitters_of(form))
    submissions = queries.filter_submissions(
        queries.submissions_visible_to(request.user, form), **filter_form.filters()
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    reader = Reader(form.current_version)
    columns = reader.columns()
    rows = [
        (submission, [reader.text(path, submission.data.get(path, "")) for path, _l in columns])
        for submission in page
    ]
    context = {
        "project": form.project,
        "form": form,
        "page": page,
        "rows": rows,
        "columns": columns,
        "filter_form": filter_form,
        "can_submit": queries.can_submit(request.user, form.project),
    }
    return render(request, "forms/submission_list.html", context)


def _detail(request, form, submission, review_form=None, status=200):
    reader = Reader(submission.form_version)
    attachments = list(submission.attachments.all())
    context = {
        "project": form.project,
        "form": form,
        "submission": submission,
        "answers": reader.answers(submission.data, attachments),
        "attachments": attachments,
        "history": queries.submission_history(submission),
        "can_manage": queries.can_manage_project(request.user, form.project),
        "review_form": review_form or ReviewForm(),
    }
    return render(request, "forms/submission_detail.html", context, status=status)


@login_required
@require_safe
def submission_detail(request, slug, xml_form_id, instance_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    submission = queries.get_submission_for_user(request.user, form, instance_id)
    return _detail(request, form, submission)


@login_required
@require_POST
def submission_review(request, slug, xml_form_id, instance_id):
    form = queries.get_form_for_user(request.user, slug, xml_form_id, manage=True)
    submission = queries.get_submission_for_user(request.user, form, instance_id)
    review_form = ReviewForm(request.POST)
    if review_form.is_valid():
        try:
            actions.do_review_submission(
                request.user,
                submission,
                review_form.cleaned_data["review_state"],
                review_form.cleaned_data["review_comment"],
            )
        except InvalidInputError as error:
            add_action_errors(review_form, error.errors)
        except StateError as error:
            review_form.add_error(None, str(error))
        else:
            messages.success(request, _("The review is saved."))
            return redirect("forms-submission-detail", slug, xml_form_id, instance_id)
    return _detail(request, form, submission, review_form, status=400)


@login_required
@require_safe
def submission_attachment(request, slug, xml_form_id, instance_id, name):
    form = queries.get_form_for_user(request.user, slug, xml_form_id)
    attachment = queries.get_attachment_for_user(request.user, form, instance_id, name)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
