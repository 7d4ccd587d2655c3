"""The web form for adding and editing a project. Like the catalogue's, it declares fields and
widgets and turns what was posted into the input ``project_fields.clean_project`` checks; the
editing pages are the catalogue's (``catalogue.editor_views``), which serve every kind."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import (
    EntryForm,
    OrganizationField,
    country_choices,
    several,
    vocabulary_field,
)
from mercuryhub.catalogue.fields import LIST_SEPARATOR
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.partnership.models import Project

# Fields typed as lists of names or identifiers, one ";" between two.
_TYPED_LISTS = ("partners", "case_studies")


def _text(label, *, rows=4, help_text="") -> forms.CharField:
    return forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _short(label, *, help_text="", max_length=300, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


class ProjectForm(EntryForm):
    add_title = _("Add a project")
    kind_name = "project"
    organization_field = "organization"

    name = forms.CharField(label=_("Title"), max_length=300)
    summary = _text(_("Summary"))
    lessons_learned = _text(_("Lessons learned"), rows=5)
    organization = OrganizationField(label=_("Organization keeping it current"))
    countries = several(_("Countries"))
    funder = _short(
        _("Funder"), help_text=_("For example GEF, or the Specific International Programme.")
    )
    first_year = _short(_("First year"), max_length=4, inputmode="numeric")
    last_year = _short(_("Last year"), max_length=4, inputmode="numeric")
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    budget = _short(_("Budget"), max_length=30, inputmode="decimal")
    budget_currency = _short(
        _("Currency"), help_text=_("An ISO 4217 code: USD, EUR, XOF…"), max_length=3
    )
    partners = _short(
        _("Partners"),
        help_text=_("Names of organizations registered on the platform, separated by ;"),
        max_length=3000,
    )
    case_studies = _short(
        _("Case studies"),
        help_text=_("Identifiers of the library's case studies, separated by ;"),
        max_length=3000,
    )
    website = _short(_("Website"), max_length=500, dir="ltr")
    latitude = _short(_("Latitude"), max_length=30, inputmode="decimal", dir="ltr")
    longitude = _short(_("Longitude"), max_length=30, inputmode="decimal", dir="ltr")

    sections = [
        (
            _("The project"),
            ["name", "summary", "lessons_learned", "content_language", "status", "website"],
        ),
        (_("Where and when"), ["countries", "first_year", "last_year", "latitude", "longitude"]),
        (_("Funding"), ["funder", "budget", "budget_currency"]),
        (
            _("Who and what"),
            ["partners", "waste_categories", "partnership_areas", "case_studies"],
        ),
        (_("Who keeps it current"), ["organization"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()
        self.fields["waste_categories"] = vocabulary_field(
            "waste_categories", _("Waste categories")
        )
        self.fields["partnership_areas"] = vocabulary_field(
            "partnership_areas", _("Partnership areas")
        )

    @classmethod
    def initial_from(cls, data: dict, *, version: int) -> dict:
        initial = super().initial_from(data, version=version)
        for name in _TYPED_LISTS:
            initial[name] = f"{LIST_SEPARATOR} ".join(data.get(name) or [])
        return initial
