"""The National Action Plan, described once for the review layer's registry: its drafts,
versions (every save of the builder is one), publication, history, comparison and search come
from the review layer. Its country team is the organization that keeps it: that organization's
editors draft it and publish it; publishing is theirs (``publishes_on_submission``), as a plan
is the country's, not the secretariat's. Registered in ``NapConfig.ready``."""

from django.utils.translation import gettext_lazy

from mercuryhub.catalogue.kinds import DocumentKind
from mercuryhub.nap import fields as plan_fields
from mercuryhub.nap.models import NationalActionPlan
from mercuryhub.review.registry import VersionField
from mercuryhub.review.translations import TranslatedField


class PlanKind(DocumentKind):
    organization_refusal = "Only editors of {name} can draft National Action Plans for it"

    name = "nap"
    model = NationalActionPlan
    label = gettext_lazy("National Action Plan")
    label_plural = gettext_lazy("National Action Plans")
    organization_field = "organization"
    queue_country_field = "country"
    detail_url_name = "nap-plan-detail"
    edit_url_name = "nap-plan-builder"
    hit_template = "nap/_hit.html"
    description_field = "summary"
    select_related = ("country", "organization")
    prefetch_related = ("sections", "objectives", "actions", "stakeholders")
    # A plan is revised by its country when it chooses, not reconfirmed every year.
    in_update_campaigns = False
    on_topic_pages = False
    translated_fields = (
        TranslatedField("name", max_length=300),
        TranslatedField("summary", multiline=True),
    )
    fields = (
        VersionField("name", gettext_lazy("Title")),
        VersionField("summary", gettext_lazy("Summary")),
        VersionField("country", gettext_lazy("Country"), "countries"),
        VersionField("organization", gettext_lazy("Country team"), "organization"),
        VersionField("period_start", gettext_lazy("First year")),
        VersionField("period_end", gettext_lazy("Last year")),
        VersionField("submitted_to_convention_on", gettext_lazy("Submitted to the Convention on")),
        VersionField("baseline", gettext_lazy("Baseline figures"), "mapping"),
        VersionField("sections", gettext_lazy("Sections"), "mapping"),
        VersionField("objectives", gettext_lazy("Objectives and targets"), "rows"),
        VersionField("actions", gettext_lazy("Actions"), "rows"),
        VersionField("stakeholders", gettext_lazy("Stakeholders"), "rows"),
    )

    def edit_url(self, entry) -> str:
        from django.urls import reverse

        return reverse(self.edit_url_name, args=[entry.pk])

    # -- reads ---------------------------------------------------------------------------

    def visible_to(self, user):
        """What the countries published; a draft shows only to its team (``queries.py``)."""
        return NationalActionPlan.objects.filter(published=True)

    check = staticmethod(plan_fields.clean_plan)
    data_of = staticmethod(plan_fields.plan_data)
    stored_of = staticmethod(plan_fields.stored_data)

    def search_texts(self, entry) -> list[str]:
        sections = [section.text for section in entry.sections.all()]
        actions = [action.activity for action in entry.actions.all()]
        return [entry.country.name, *sections, *actions]

    # -- writes --------------------------------------------------------------------------

    def save(self, checked, *, instance=None, user=None, **state):
        from mercuryhub.nap.actions import do_save_plan

        return do_save_plan(checked, instance=instance, user=user, **state)

    def publishes_on_submission(self, user, entry) -> bool:
        """The country team publishes its own plan: only its editors may submit it."""
        return True


KIND = PlanKind()
