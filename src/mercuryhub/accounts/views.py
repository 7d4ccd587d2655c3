from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.accounts import actions, queries
from mercuryhub.accounts.forms import (
    ApiTokenForm,
    OrganizationForm,
    PartnershipForm,
    add_action_errors,
)
from mercuryhub.lib.compression import mark_secret
from mercuryhub.lib.errors import InvalidInputError


@login_required
def profile(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = actions.do_create_api_token(request.user, form.cleaned_data["name"])
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": queries.api_tokens_of(request.user),
            "memberships": request.user.memberships.select_related("organization"),
        },
    )
    return mark_secret(response) if new_token else response


@login_required
@require_POST
def revoke_token(request, token_id):
    token = queries.get_api_token_for_user(request.user, token_id)
    actions.do_revoke_api_token(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts-profile")


def organization_list(request):
    query = request.GET.get("q", "").strip()
    organizations = queries.search_organizations(request.user, query)
    if request.GET.get("partner") == "1":
        organizations = organizations.filter(is_partner=True)
    page = Paginator(organizations, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/organization_list.html", {"page": page, "query": query})


def organization_detail(request, slug):
    organization = queries.get_organization_for_user(request.user, slug)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "can_edit": queries.can_edit_organization(request.user, organization),
            "can_set_partner": queries.can_set_partner_status(request.user),
            "members": organization.memberships.select_related("user"),
            "sections": _organization_sections(request.user, organization),
        },
    )


def _organization_sections(user, organization) -> list[dict]:
    sections = []
    for path in settings.ORGANIZATION_PAGE_SECTIONS:
        section = import_string(path)(user, organization)
        if section:
            sections.append(section)
    return sections


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = actions.do_create_organization(request.user, form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(request, _("The organization is created; you are its editor."))
            return redirect(organization)
    return render(request, "accounts/organization_form.html", {"form": form})


@login_required
def organization_edit(request, slug):
    organization = queries.get_organization_for_user(request.user, slug, for_edit=True)
    initial = {
        "name": organization.name,
        "stakeholder_type": organization.stakeholder_type.code,
        "country": organization.country_id,
        "website": organization.website,
        "description": organization.description,
    }
    form = OrganizationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_organization(request.user, organization, form.cleaned_data)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(organization)
    return render(
        request, "accounts/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def organization_partnership(request, slug):
    if not queries.can_set_partner_status(request.user):
        raise PermissionDenied("Only the secretariat can record partnership status")
    organization = queries.get_organization_for_user(request.user, slug)
    initial = {
        "is_partner": organization.is_partner,
        "partnership_areas": [area.code for area in organization.partnership_areas.all()],
        "joined_partnership_on": organization.joined_partnership_on,
    }
    form = PartnershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_update_organization(request.user, organization, form.cleaned_data)
        messages.success(request, _("The partnership status is saved."))
        return redirect(organization)
    return render(
        request,
        "accounts/organization_partnership.html",
        {"form": form, "organization": organization},
    )
