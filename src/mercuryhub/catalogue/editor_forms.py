"""The web forms partners use to edit the catalogue. They declare fields and widgets and turn
what was posted into the input that ``catalogue.fields`` checks and the actions save: field names
are the keys of ``clean_facility``, ``clean_offering`` and ``clean_expert``. Whether a value is
acceptable (codes, ranges, organizations) is decided by the actions, not here."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.models import Facility, Offering
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.review import registry, translations
from mercuryhub.taxonomy.queries import countries, languages, regions, terms_of
from mercuryhub.taxonomy.regions import region_label

KIND_LABELS = {"facility": _("facility"), "offering": _("offering"), "expert": _("expert")}


# Widgets and choices ------------------------------------------------------------------------


class TreeCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a hierarchical vocabulary; each option knows its depth for indentation."""

    def __init__(self, *args, depths: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.depths = depths or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["depth"] = self.depths.get(str(value), 0)
        return option


def _term_choices(vocabulary: str) -> tuple[list, dict]:
    """(choices, depths): broader terms followed by their narrower ones."""
    terms = list(terms_of(vocabulary))
    children: dict[int | None, list] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    choices, depths = [], {}

    def visit(parent_id, depth):
        for term in children.get(parent_id, []):
            choices.append((term.code, term.localized_label))
            depths[term.code] = depth
            visit(term.pk, depth + 1)

    visit(None, 0)
    return choices, depths


def vocabulary_field(vocabulary: str, label, *, required=False, help_text="") -> forms.Field:
    choices, depths = _term_choices(vocabulary)
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        choices=choices,
        widget=TreeCheckboxes(depths=depths),
        help_text=help_text,
    )


def country_choices() -> list:
    return sorted(
        ((country.iso3, country.localized_name) for country in countries()),
        key=lambda choice: choice[1],
    )


def _language_choices() -> list:
    """The six UN languages first, then every other."""
    return [(language.code, language.localized_name) for language in languages()]


def _region_choices() -> tuple[list, dict]:
    choices, depths = [], {}
    for region in regions():
        choices.append((region["name"], region_label(region["name"])))
        for subregion in region["subregions"]:
            choices.append((subregion, region_label(subregion)))
            depths[subregion] = 1
    return choices, depths


UN_FIRST = _("The six UN languages come first.")


class ScrollingCheckboxes(forms.CheckboxSelectMultiple):
    """A long list of checkboxes (countries, languages) shown in a scrolling box."""


def several(label, *, help_text="") -> forms.Field:
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text, widget=ScrollingCheckboxes
    )


class OrganizationField(forms.ChoiceField):
    """A select of the organizations the user edits. Any posted value is passed on: the action
    refuses organizations that do not exist or that the user does not edit (403)."""

    def valid_value(self, value):
        return True


def _decimal(label, **kwargs) -> forms.CharField:
    # Text, not a number input: the action accepts a decimal comma and names the bad value.
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


_NUMBER_FIELDS = {"latitude", "longitude", "capacity_tonnes_per_year"}


def _number_or_text(value: str):
    """A number typed with a decimal point or comma; anything else is left for the action to
    name as wrong."""
    try:
        return float(value.strip().replace(",", ".")) if value.strip() else None
    except ValueError:
        return value


def _text_for(value) -> str:
    """A stored number as a person writes it: 1000, not 1000.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else value


# Entry forms ----------------------------------------------------------------------------------


def _language_choice(code: str) -> str:
    """A language as the interface names it, with its own name where that differs:
    "French (français)"."""
    info = get_language_info(code)
    shown = str(info["name_translated"])
    return shown if shown == info["name_local"] else f"{shown} ({info['name_local']})"


class EntryForm(forms.Form):
    """What the three entry forms share: the version the editor started from, sections for the
    page, and the conversion to and from the actions' input."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    kind_name = ""
    organization_field = ""
    # Whether the person who adds an entry may keep it themself, without an organization.
    organization_optional = False
    sections: list = []

    def __init__(self, *args, organizations=(), organization_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_language_fields()
        if "country" in self.fields:
            self.fields["country"].choices = [("", "—"), *country_choices()]
        if "languages" in self.fields:  # a workplan or a report has none
            self.fields["languages"].choices = _language_choices()
        if self.organization_field:
            field = self.fields[self.organization_field]
            field.required = organization_required
            blank = ("", "—") if organization_required else ("", _("None"))
            field.choices = [blank, *((o.slug, o.name) for o in organizations)]
        # What people type takes its own direction, also in right-to-left pages; addresses and
        # numbers read left to right.
        for field in self.fields.values():
            if isinstance(field.widget, forms.URLInput | forms.EmailInput | forms.NumberInput):
                field.widget.attrs.setdefault("dir", "ltr")
            elif isinstance(field.widget, forms.TextInput | forms.Textarea):
                field.widget.attrs.setdefault("dir", "auto")

    @classmethod
    def initial_from(cls, data: dict, *, version: int) -> dict:
        """Initial values from an entry's data (``review_queries.latest_data``)."""
        initial = {name: _text_for(value) for name, value in data.items()}
        if "accepts_foreign_waste" in data:
            initial["accepts_foreign_waste"] = {True: "yes", False: "no"}.get(
                data["accepts_foreign_waste"], ""
            )
        initial["base_version"] = version
        return initial

    def entry_data(self) -> dict:
        """The posted entry, in the keys the actions take; numbers and yes/no as the versions
        store them, so that an unchanged form compares equal to the entry."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "base_version"}
        for name in _NUMBER_FIELDS & data.keys():
            data[name] = _number_or_text(data[name])
        if "accepts_foreign_waste" in data:
            value = data["accepts_foreign_waste"]
            data["accepts_foreign_waste"] = {"yes": True, "no": False}.get(value, value or None)
        return data

    def files_to_store(self, user) -> dict:
        """Store the files posted with the form, through their app's actions, and return what
        they add to the entry's data (``{"document": id}``). The editing pages call it in the
        transaction that saves the entry, after the form is valid; a refused file raises
        InvalidInputError naming the form's field. Forms without files add nothing."""
        return {}

    def discard_stored_files(self) -> None:
        """Forget the files ``files_to_store`` kept, when the entry was then not saved."""

    def fieldsets(self) -> list:
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def _add_language_fields(self) -> None:
        """The language the texts are written in, and each translatable text in the other
        languages (``name_fr``…), as the kind declares them."""
        fields = registry.get(self.kind_name).translated_fields
        if not fields:
            return
        self.fields["content_language"] = forms.ChoiceField(
            label=_("Language of the texts above"),
            choices=[(code, _language_choice(code)) for code in translations.content_languages()],
            initial=translations.DEFAULT_LANGUAGE,
            required=False,
            help_text=_("Give the texts in other languages below, if you have them."),
        )
        for name, field, language in translations.translation_keys(fields):
            own = self.fields[field.name]
            attrs = {"lang": language, "dir": "auto"}
            widget = (
                forms.Textarea(attrs={**attrs, "rows": 3})
                if field.multiline
                else forms.TextInput(attrs=attrs)
            )
            # Named with its language, so that a screen reader tells the six apart.
            label = format_lazy("{} ({})", own.label, get_language_info(language)["name_local"])
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=field.max_length, widget=widget
            )

    def language_sections(self) -> list:
        """(language code, its own name, bound fields, open?) for each language but the one the
        texts are written in: a section is open when it holds text or an error."""
        fields = registry.get(self.kind_name).translated_fields
        own = self["content_language"].value() if fields else None
        sections = []
        for language in translations.content_languages():
            if language == own:
                continue
            bound = [self[translations.key(field.name, language)] for field in fields]
            is_open = any(field.value() or field.errors for field in bound)
            sections.append((language, get_language_info(language)["name_local"], bound, is_open))
        return sections


class FacilityForm(EntryForm):
    add_title = _("Add a facility")
    kind_name = "facility"
    organization_field = "operator"

    name = forms.CharField(label=_("Name of the facility"), max_length=300)
    operator = OrganizationField(label=_("Operator"))
    status = forms.ChoiceField(label=_("Status"), choices=Facility.Status.choices)
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("What the facility does"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Website"), required=False, max_length=500, help_text="https://…"
    )
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City or address"), required=False, max_length=300)
    latitude = _decimal(_("Latitude"), help_text=_("Decimal degrees, e.g. 46.676"))
    longitude = _decimal(_("Longitude"), help_text=_("Decimal degrees, e.g. 7.638"))
    coordinates_precision = forms.ChoiceField(
        label=_("The point locates the"),
        choices=Facility.Precision.choices,
        initial=Facility.Precision.CITY,
    )
    capacity = forms.CharField(
        label=_("Capacity"),
        required=False,
        max_length=500,
        help_text=_("In words, e.g. “about 1,000 t/yr of mercury stabilization”"),
    )
    capacity_tonnes_per_year = _decimal(_("Capacity in tonnes per year"))
    permits = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Permits and certifications"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accepts_foreign_waste = forms.ChoiceField(
        label=_("Accepts waste from other countries"),
        required=False,
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    languages = several(_("Languages it can be contacted in"), help_text=UN_FIRST)
    contact_route = forms.CharField(
        label=_("Public contact route"),
        required=False,
        max_length=500,
        help_text=_("A contact page or a general address; never a person's private address"),
    )

    sections = [
        (
            _("The facility"),
            ["name", "operator", "status", "description", "content_language", "website"],
        ),
        (
            _("Where it is"),
            ["country", "city", "latitude", "longitude", "coordinates_precision"],
        ),
        (
            _("Wastes and treatment"),
            [
                "accepted_wastes",
                "technologies",
                "phases",
                "capacity",
                "capacity_tonnes_per_year",
                "permits",
                "accepts_foreign_waste",
            ],
        ),
        (_("Contact"), ["languages", "contact_route"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_wastes"] = vocabulary_field(
            "waste_categories",
            _("Wastes accepted"),
            required=True,
            help_text=_("A broader category includes every kind listed under it."),
        )
        self.fields["technologies"] = vocabulary_field(
            "treatment_technologies", _("Treatment technologies")
        )
        self.fields["phases"] = vocabulary_field("management_phases", _("Management phases"))
        self.fields["status"].initial = Facility.Status.OPERATING


class OfferingForm(EntryForm):
    add_title = _("Add an offering")
    kind_name = "offering"
    organization_field = "provider"

    name = forms.CharField(label=_("Name of the technology, equipment or service"), max_length=300)
    provider = OrganizationField(label=_("Provider"))
    kind = forms.ChoiceField(
        label=_("This is a"), choices=Offering.Kind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        label=_("Website"), required=False, max_length=500, help_text="https://…"
    )
    countries_served = several(_("Countries served"))
    languages = several(_("Languages"), help_text=UN_FIRST)

    sections = [
        (
            _("The offering"),
            ["name", "provider", "kind", "description", "content_language", "website"],
        ),
        (
            _("What it is for"),
            ["waste_categories", "technologies", "phases", "support_types"],
        ),
        (_("Where and in which languages"), ["regions_served", "countries_served", "languages"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries_served"].choices = country_choices()
        self.fields["waste_categories"] = vocabulary_field(
            "waste_categories", _("Waste categories")
        )
        self.fields["technologies"] = vocabulary_field(
            "treatment_technologies", _("Treatment technologies")
        )
        self.fields["phases"] = vocabulary_field("management_phases", _("Management phases"))
        self.fields["support_types"] = vocabulary_field("support_types", _("Support types"))
        choices, depths = _region_choices()
        self.fields["regions_served"] = forms.MultipleChoiceField(
            label=_("Regions served (UN M49)"),
            required=False,
            choices=choices,
            widget=TreeCheckboxes(depths=depths),
        )


class ExpertForm(EntryForm):
    add_title = _("Add an expert")
    kind_name = "expert"
    organization_field = "organization"

    name = forms.CharField(label=_("Full name"), max_length=300)
    organization = OrganizationField(label=_("Organization"))
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Never shown publicly: people write through the platform's contact form."),
    )
    country = forms.ChoiceField(label=_("Country where the expert is based"))
    website = forms.CharField(
        label=_("Website"), required=False, max_length=500, help_text="https://…"
    )
    biography = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Biography"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Training, experience, the kinds of advice given."),
    )
    languages = several(_("Working languages"), help_text=UN_FIRST)
    countries_of_experience = several(_("Countries of experience"))
    consent_to_publication = forms.BooleanField(
        label=_("The expert agrees to be listed publicly in the MercuryHub catalogue"),
        required=False,
        help_text=_("Experts are shown to the public only with their consent."),
    )

    sections = [
        (
            _("The expert"),
            [
                "name",
                "organization",
                "email",
                "country",
                "website",
                "biography",
                "content_language",
            ],
        ),
        (
            _("Expertise"),
            ["waste_categories", "phases", "support_types", "nap_elements"],
        ),
        (_("Languages and countries"), ["languages", "countries_of_experience"]),
        (_("Publication"), ["consent_to_publication"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries_of_experience"].choices = country_choices()
        self.fields["waste_categories"] = vocabulary_field(
            "waste_categories", _("Waste categories")
        )
        self.fields["phases"] = vocabulary_field("management_phases", _("Management phases"))
        self.fields["support_types"] = vocabulary_field("support_types", _("Support types"))
        self.fields["nap_elements"] = vocabulary_field(
            "nap_elements", _("ASGM National Action Plan elements")
        )


ENTRY_FORMS = {"facility": FacilityForm, "offering": OfferingForm, "expert": ExpertForm}


def register_form(kind_name: str, form_class: type[EntryForm], label) -> None:
    """The web form of a kind of another app, so that the editing pages serve it too (called
    from that app's ``AppConfig.ready``)."""
    ENTRY_FORMS[kind_name] = form_class
    KIND_LABELS[kind_name] = label


class NominationForm(ExpertForm):
    """A person nominating themself as an expert; "I work for" lists their organizations."""

    sections = [
        (
            _("About you"),
            [
                "name",
                "email",
                "country",
                "organization",
                "website",
                "biography",
                "content_language",
            ],
        ),
        (
            _("Your expertise"),
            ["waste_categories", "phases", "support_types", "nap_elements"],
        ),
        (_("Languages and countries"), ["languages", "countries_of_experience"]),
        (_("Publication"), ["consent_to_publication"]),
    ]

    def __init__(self, *args, **kwargs):
        kwargs["organization_required"] = False
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Your full name")
        self.fields["country"].label = _("Country where you are based")
        self.fields["organization"].label = _("I work for")
        self.fields["organization"].help_text = _(
            "One of your organizations on MercuryHub, or none. If you are a member but not an "
            "editor, its editors are asked to confirm."
        )
        self.fields["email"].label = _("Your e-mail address")
        self.fields["languages"].label = _("Languages you work in")
        self.fields["consent_to_publication"].required = True
        self.fields["consent_to_publication"].label = _(
            "I agree to be listed publicly in the MercuryHub catalogue"
        )
        self.fields["consent_to_publication"].help_text = _(
            "Your name, country, organization, expertise and biography are shown; your e-mail "
            "address never is."
        )


class LinkRequestForm(forms.Form):
    """Asking an organization's editors to link one's expert profile to their organization."""

    expert = forms.ChoiceField(label=_("Your expert profile"))
    organization = forms.ChoiceField(label=_("Organization"))
    message = forms.CharField(
        label=_("A note for its editors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example your role there; they receive it by e-mail with your address."),
    )

    def __init__(self, *args, experts=(), organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [(str(e.pk), e.name) for e in experts]
        self.fields["organization"].choices = [
            ("", "—"),
            *((o.slug, o.name) for o in organizations),
        ]
