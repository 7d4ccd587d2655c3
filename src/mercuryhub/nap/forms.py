"""The NAP builder's forms. They only parse what a person typed: every check of a plan's content
is ``fields.py``'s, reached through ``actions``, whose errors (``actions.3.end``) are shown
beside the field they name (``add_row_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import country_choices
from mercuryhub.lib.rich_text import markdown_html
from mercuryhub.lib.text import DOCUMENT_TEXT_MAX_LENGTH, LONG_TEXT_MAX_LENGTH
from mercuryhub.review.translations import content_languages, language_name
from mercuryhub.taxonomy.queries import terms_of

# The structured parts of a plan the builder edits row by row, and the fields of their rows.
PARTS = ("objectives", "actions", "stakeholders")


def _term_choices(vocabulary: str, *, blank: bool = False) -> list[tuple[str, str]]:
    choices = [(term.code, term.localized_label) for term in terms_of(vocabulary)]
    return [("", "—"), *choices] if blank else choices


def _year_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class VersionForm(forms.Form):
    """What every change of the builder carries: the version the person started from."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Title"), max_length=300)
    country = forms.ChoiceField(label=_("Country"))
    organization = forms.ChoiceField(
        label=_("Country team"),
        help_text=_("The organization whose editors draft and publish the plan"),
    )
    period_start = _year_field(_("First year"))
    period_end = _year_field(_("Last year"))
    content_language = forms.ChoiceField(
        label=_("Language of the texts"),
        help_text=_("The language you write the plan in; other languages can be added later"),
    )
    summary = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["organization"].choices = [
            (organization.slug, organization.name) for organization in organizations
        ]
        self.fields["content_language"].choices = [
            (language, language_name(language)) for language in content_languages()
        ]

    def plan_data(self) -> dict:
        return dict(self.cleaned_data)


class SectionForm(VersionForm):
    text = forms.CharField(
        max_length=DOCUMENT_TEXT_MAX_LENGTH,
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "auto", "class": "markdown-editor"}),
        help_text=_(
            "Markdown: # Heading, **bold**, *italic*, - lists, [link](https://…). "
            "Preview shows what readers will see."
        ),
    )

    def preview(self):
        text = self["text"].value() or ""
        return markdown_html(text) if text.strip() else ""


class RowForm(VersionForm):
    """One row of a structured part; ``row_data`` is the row as ``fields.py`` reads it."""

    def row_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "base_version"}

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        return {name: row.get(name) for name in cls.base_fields if name in row}


class ObjectiveForm(RowForm):
    element = forms.ChoiceField(label=_("Annex C element"))
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=500)
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=200)
    target = forms.CharField(label=_("Target"), required=False, max_length=200)
    year = _year_field(_("Target year"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = _term_choices("nap_elements")


class ActionForm(RowForm):
    element = forms.ChoiceField(label=_("Annex C element"))
    activity = forms.CharField(label=_("Activity"), required=False, max_length=1000)
    responsible_body = forms.CharField(label=_("Responsible body"), required=False)
    partners = forms.CharField(label=_("Partners"), required=False)
    start = forms.CharField(
        label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(
        label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    budget = forms.CharField(
        label=_("Budget"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=10,
        help_text=_("An ISO 4217 code, such as USD or EUR"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
    )
    funding_source = forms.CharField(label=_("Funding source"), required=False)
    worst_practices = forms.MultipleChoiceField(
        label=_("Worst practices it eliminates"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = _term_choices("nap_elements")
        self.fields["worst_practices"].choices = _term_choices("worst_practices")


class StakeholderForm(RowForm):
    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    stakeholder_type = forms.ChoiceField(label=_("Type of stakeholder"), required=False)
    role = forms.CharField(label=_("Role in the plan"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_type"].choices = _term_choices("stakeholder_types", blank=True)


ROW_FORMS = {"objectives": ObjectiveForm, "actions": ActionForm, "stakeholders": StakeholderForm}


def add_row_errors(form: forms.Form, errors: dict[str, str], part: str, number: int) -> None:
    """An InvalidInputError of ``do_save_rows`` on the row form: ``actions.3.end`` beside the
    form's ``end`` when the form is row 3, anything else above the form."""
    prefix = f"{part}.{number}."
    for key, message in errors.items():
        name = key.removeprefix(prefix) if key.startswith(prefix) else None
        form.add_error(name if name in form.fields else None, message)
