"""The web forms of the working groups' work: the workplan and review report forms the
catalogue's editing pages serve (registered with ``catalogue.editor_forms.register_form``), the
endorsement form and the secretariat's form opening the year's reports. Whether a value is
acceptable is decided by the actions, not here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import EntryForm, OrganizationField
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.partnership.models import WorkingGroup, WorkplanActivity
from mercuryhub.partnership.work_fields import ACTIVITY_FIELDS

# One activity a line, its parts in this order, separated by a vertical bar.
_LINE_PARTS = ("year", "name", "lead", "status", "output")


def group_choices() -> list:
    groups = WorkingGroup.objects.select_related("term")
    return [("", "—"), *((group.code, group.term.localized_label) for group in groups)]


def activities_text(activities) -> str:
    return "\n".join(
        " | ".join(str(activity.get(part) or "") for part in _LINE_PARTS)
        for activity in activities or []
    )


def activities_from_text(text: str) -> list[dict]:
    """The activities typed one a line; the action names what is wrong in each."""
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        parts += [""] * (len(_LINE_PARTS) - len(parts))
        # The expected output may itself hold a bar: it is the rest of the line.
        parts[len(_LINE_PARTS) - 1] = " | ".join(p for p in parts[len(_LINE_PARTS) - 1 :] if p)
        activity = dict(zip(_LINE_PARTS, parts, strict=False))
        found.append({name: activity.get(name, "") for name in ACTIVITY_FIELDS})
    return found


def _status_help() -> str:
    return ", ".join(f"{value} ({label})" for value, label in WorkplanActivity.Status.choices)


class GroupWorkForm(EntryForm):
    organization_field = "organization"
    organization = OrganizationField(
        label=_("Organization"),
        help_text=_("The organization of one of the group's current leaders."),
    )
    group = forms.ChoiceField(label=_("Working group"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = group_choices()


class WorkplanForm(GroupWorkForm):
    add_title = _("Draft a workplan")
    add_intro = _(
        "A workplan covers one to three years. It is saved as a draft that the editors of your "
        "organization see; submit it for review when it is ready: the secretariat validates it "
        "before it is published and partners can endorse it."
    )
    kind_name = "workplan"

    name = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    first_year = forms.CharField(
        label=_("First year"), widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"})
    )
    last_year = forms.CharField(
        label=_("Last year"),
        help_text=_("At most three years: from 2026, 2028 at the latest."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    activities = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Activities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    sections = [
        (
            _("The workplan"),
            [
                "name",
                "group",
                "organization",
                "first_year",
                "last_year",
                "summary",
                "content_language",
            ],
        ),
        (_("Activities"), ["activities"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].help_text = _(
            "One activity a line: year | activity | led by | status | expected output. "
            "Statuses: %(statuses)s."
        ) % {"statuses": _status_help()}

    @classmethod
    def initial_from(cls, data: dict, *, version: int) -> dict:
        initial = super().initial_from(data, version=version)
        initial["activities"] = activities_text(data.get("activities"))
        return initial

    def entry_data(self) -> dict:
        data = super().entry_data()
        data["activities"] = activities_from_text(data.get("activities", ""))
        return data


class ReportForm(GroupWorkForm):
    add_title = _("Draft a review report")
    add_intro = _(
        "The secretariat opens each working group's report for the year; its leaders' "
        "organizations draft it and submit it by its due date."
    )
    kind_name = "review_report"

    name = forms.CharField(label=_("Title"), max_length=300)
    year = forms.CharField(
        label=_("Year reviewed"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    due_on = forms.CharField(
        label=_("Due on"),
        help_text=_("Set by the secretariat."),
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}),
    )
    outputs = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Outputs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    challenges = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Challenges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lessons_learned = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    sections = [
        (
            _("The report"),
            ["name", "group", "organization", "year", "due_on", "content_language"],
        ),
        (_("The year's work"), ["outputs", "challenges", "lessons_learned"]),
    ]


class EndorseForm(forms.Form):
    # Any posted organization reaches the action, which says why it may not endorse.
    organization = OrganizationField(label=_("Endorse for"))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.slug, o.name) for o in organizations]


class OpenReportsForm(forms.Form):
    year = forms.IntegerField(label=_("Year reviewed"), min_value=2000, max_value=2100)
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"})
    )
