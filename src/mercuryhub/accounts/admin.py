from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from mercuryhub.accounts.actions import do_after_admin_save
from mercuryhub.accounts.models import ApiToken, Membership, Organization, QueuedEmail, User
from mercuryhub.taxonomy.admin import NamedValuesListFilter


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name", "first_name", "last_name"]}),
        ("Role", {"fields": ["role", "is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "stakeholder_type",
        "country",
        "is_partner",
        "joined_partnership_on",
        "updated_at",
    ]
    list_filter = ["is_partner", "stakeholder_type", ("country__region", NamedValuesListFilter)]
    search_fields = ["name", "description", "website"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    filter_horizontal = ["partnership_areas"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare "unep.org"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # its areas saved: then indexed
        do_after_admin_save(form.instance)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


@admin.register(QueuedEmail)
class QueuedEmailAdmin(admin.ModelAdmin):
    """The outbox: what waits to be sent again, and what was given up, with the last error."""

    list_display = ("subject", "created_at", "attempts", "next_attempt_at", "given_up_at")
    list_filter = ("given_up_at",)
    search_fields = ("subject",)
    readonly_fields = ("created_at", "subject", "recipients", "message", "attempts", "last_error")
