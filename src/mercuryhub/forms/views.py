"""The pages of field-data projects: the list, a project (its forms, members and roles), creating
one, and its members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.forms import actions, queries
from mercuryhub.forms.forms import MemberForm, ProjectForm, XLSFormUploadForm
from mercuryhub.forms.models import ProjectMembership
from mercuryhub.lib.errors import InvalidInputError, StateError


@login_required
@require_safe
def project_list(request):
    projects = queries.projects_visible_to(request.user)
    return render(
        request,
        "forms/project_list.html",
        {"projects": projects, "can_create": queries.can_create_project(request.user)},
    )


@login_required
def project_create(request):
    if not queries.can_create_project(request.user):
        raise PermissionDenied("Only administrators and reviewers create projects")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = actions.do_create_project(request.user, **form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            return redirect(project)
    status = 400 if form.errors else 200
    return render(request, "forms/project_form.html", {"form": form}, status=status)


def project_context(user, project, **forms) -> dict:
    manager = queries.can_manage_project(user, project)
    return {
        "project": project,
        "forms": queries.forms_of(project),
        "members": queries.members_of(project) if manager else (),
        "role": _role_label(queries.project_role(user, project)),
        "can_manage": manager,
        "can_submit": queries.can_submit(user, project),
        "member_form": forms.get("member_form") or MemberForm(),
        "upload_form": forms.get("upload_form") or XLSFormUploadForm(),
    }


def _role_label(role: str | None) -> str:
    return ProjectMembership.Role(role).label if role else ""


@login_required
@require_safe
def project_detail(request, slug):
    project = queries.get_project_for_user(request.user, slug)
    return render(request, "forms/project_detail.html", project_context(request.user, project))


@login_required
@require_POST
def project_member(request, slug):
    project = queries.get_project_for_user(request.user, slug, manage=True)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_project_member(request.user, project, **form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(request, _("The member's role is saved."))
            return redirect(project)
    context = project_context(request.user, project, member_form=form)
    return render(request, "forms/project_detail.html", context, status=400)


@login_required
@require_POST
def project_member_remove(request, slug, user_id):
    project = queries.get_project_for_user(request.user, slug, manage=True)
    try:
        actions.do_remove_project_member(request.user, project, user_id)
    except StateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The member is removed from the project."))
    return redirect(project)
