"""A project's app users (its devices' accounts): the list, creating one, its server address and
ODK Collect settings QR code, revoking it. Managers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.forms import actions, queries
from mercuryhub.forms.collect_settings import qr_svg, server_url, settings_code
from mercuryhub.forms.forms import AppUserForm
from mercuryhub.lib.compression import mark_secret
from mercuryhub.lib.errors import InvalidInputError


@login_required
def app_user_list(request, slug):
    project = queries.get_project_for_user(request.user, slug, manage=True)
    form = AppUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app_user = actions.do_create_app_user(
                request.user, project, form.cleaned_data["display_name"]
            )
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            return redirect("forms-app-user-detail", project.slug, app_user.pk)
    context = {"project": project, "app_users": queries.app_users_of(project), "form": form}
    return render(request, "forms/app_user_list.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def app_user_detail(request, slug, pk):
    app_user = queries.get_app_user_for_user(request.user, slug, pk)
    url = server_url(request.build_absolute_uri("/"), app_user)
    context = {
        "project": app_user.project,
        "app_user": app_user,
        "server_url": url,
        "qr_svg": qr_svg(settings_code(url, app_user)) if app_user.is_active else "",
    }
    return mark_secret(render(request, "forms/app_user_detail.html", context))


@login_required
@require_POST
def app_user_revoke(request, slug, pk):
    app_user = queries.get_app_user_for_user(request.user, slug, pk)
    actions.do_revoke_app_user(request.user, app_user)
    messages.success(
        request, _("The app user's key is revoked: its devices can no longer connect.")
    )
    return redirect(reverse("forms-app-user-list", args=[slug]))
