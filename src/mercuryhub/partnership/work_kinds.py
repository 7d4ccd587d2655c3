"""The working groups' workplans and yearly review reports, described once for the review
layer's registry: their drafts, versions, validation, history and search come from the review
layer. The organizations of a group's current leaders draft them (or the secretariat); the
secretariat validates them. Registered from ``registrations.py``."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy

from mercuryhub.accounts.queries import is_reviewer
from mercuryhub.catalogue.kinds import DocumentKind
from mercuryhub.partnership import work_fields
from mercuryhub.partnership.models import ReviewReport, Workplan
from mercuryhub.partnership.work_queries import may_draft_for
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import TranslatedField


class GroupWorkKind(DocumentKind):
    """What workplans and reports share: kept by a leader's organization of a working group."""

    in_update_campaigns = False
    on_topic_pages = False
    queue_country_field = "organization__country"
    country_field = "organization__country"
    select_related = ("group__term", "organization")
    edit_url_name = "catalogue-entry-edit"

    def visible_to(self, user):
        return self.model.objects.filter(published=True)

    def check_organization(self, user, checked) -> None:
        group, organization = checked.values["group"], checked.values["organization"]
        if not may_draft_for(user, group, organization):
            raise PermissionDenied(
                f"Only editors of the organization of a current leader of {group} (or the "
                f"secretariat) can draft its {self.model._meta.verbose_name}s; "
                f"{organization.name} does not lead it"
            )

    def check_edit(self, user, current: dict, checked) -> None:
        if checked.values["group"].code != current.get("group"):
            self.check_organization(user, checked)

    def search_texts(self, entry) -> list[str]:
        return [str(entry.group), entry.organization.name]


class WorkplanKind(GroupWorkKind):
    name = "workplan"
    model = Workplan
    label = gettext_lazy("Workplan")
    label_plural = gettext_lazy("Workplans")
    organization_field = "organization"
    detail_url_name = "partnership-workplan-detail"
    description_field = "summary"
    prefetch_related = ("activities",)
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("summary", multiline=True),
    )
    fields = (
        VersionField("name", gettext_lazy("Title")),
        VersionField("summary", gettext_lazy("Summary")),
        VersionField("group", gettext_lazy("Working group")),
        VersionField("organization", gettext_lazy("Drafted by"), "organization"),
        VersionField("first_year", gettext_lazy("First year")),
        VersionField("last_year", gettext_lazy("Last year")),
        VersionField("activities", gettext_lazy("Activities"), "rows"),
    )

    check = staticmethod(work_fields.clean_workplan)
    data_of = staticmethod(work_fields.workplan_data)
    stored_of = staticmethod(work_fields.stored_workplan)

    def edit_url(self, entry) -> str:
        return reverse(self.edit_url_name, args=[self.name, entry.pk])

    def search_texts(self, entry) -> list[str]:
        return [*super().search_texts(entry), *(a.name for a in entry.activities.all())]

    def save(self, checked, *, instance=None, user=None, **state):
        from mercuryhub.partnership.work_actions import do_save_workplan

        return do_save_workplan(checked, instance=instance, user=user, **state)


class ReportKind(GroupWorkKind):
    name = "review_report"
    model = ReviewReport
    label = gettext_lazy("Review report")
    label_plural = gettext_lazy("Review reports")
    organization_field = "organization"
    detail_url_name = "partnership-report-detail"
    description_field = "outputs"
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("outputs", multiline=True),
    )
    fields = (
        VersionField("name", gettext_lazy("Title")),
        VersionField("group", gettext_lazy("Working group")),
        VersionField("organization", gettext_lazy("Drafted by"), "organization"),
        VersionField("year", gettext_lazy("Year")),
        VersionField("due_on", gettext_lazy("Due on")),
        VersionField("outputs", gettext_lazy("Outputs")),
        VersionField("challenges", gettext_lazy("Challenges")),
        VersionField("lessons_learned", gettext_lazy("Lessons learned")),
    )

    check = staticmethod(work_fields.clean_report)
    data_of = staticmethod(work_fields.report_data)
    stored_of = staticmethod(work_fields.stored_report)

    def check_edit(self, user, current: dict, checked) -> None:
        """The year and the due date are the secretariat's: drafters change the texts."""
        super().check_edit(user, current, checked)
        due_on = checked.values["due_on"]
        changed = checked.values["year"] != current.get("year") or (
            (due_on.isoformat() if due_on else None) != current.get("due_on")
        )
        if changed and not is_reviewer(user):
            raise PermissionDenied("Only the secretariat sets a report's year and due date")

    def save(self, checked, *, instance=None, user=None, **state):
        from mercuryhub.partnership.work_actions import do_save_report

        return do_save_report(checked, instance=instance, user=user, **state)


WORKPLAN = WorkplanKind()
REPORT = ReportKind()
