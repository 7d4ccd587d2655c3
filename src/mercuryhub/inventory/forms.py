"""The inventory's web forms. They only parse what a person typed: every check of an inventory's
content is ``fields.py``'s, reached through ``actions``, whose errors (``lines.3.activity_unit``)
are shown beside the field they name (``add_line_errors``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import country_choices
from mercuryhub.inventory.comparison import MAX_COMPARED
from mercuryhub.inventory.models import Inventory
from mercuryhub.inventory.vocabulary import (
    activity_units,
    categories,
    groups,
    mercury_units,
    pathways,
)
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH
from mercuryhub.review.translations import content_languages, language_name


class VersionForm(forms.Form):
    """What every change carries: the version the person started from."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _whole_number(label, **attrs):
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs}),
    )


def _decimal(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class InventoryForm(forms.Form):
    name = forms.CharField(label=_("Title"), max_length=300)
    country = forms.ChoiceField(label=_("Country"))
    year = _whole_number(_("Year"))
    organization = forms.ChoiceField(
        label=_("Prepared by"),
        help_text=_("The organization whose editors keep the inventory"),
    )
    population = _whole_number(
        _("Population"),
    )
    content_language = forms.ChoiceField(label=_("Language of the texts"))
    summary = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["population"].help_text = _(
            "Inhabitants in the inventory's year: figures per inhabitant are checked against it"
        )
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["organization"].choices = [
            (organization.slug, organization.name) for organization in organizations
        ]
        self.fields["content_language"].choices = [
            (language, language_name(language)) for language in content_languages()
        ]

    def inventory_data(self) -> dict:
        return dict(self.cleaned_data)


class InventoryChangeForm(VersionForm):
    """The inventory's own fields, changed as one version (its organization stays)."""

    name = forms.CharField(label=_("Title"), max_length=300)
    year = _whole_number(_("Year"))
    population = _whole_number(_("Population"))
    summary = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "base_version"}


def category_choices() -> list:
    """The source categories grouped as the Toolkit groups them."""
    grouped: dict[str, list] = {}
    for category in categories().values():
        grouped.setdefault(category.group, []).append((category.code, category.local_label))
    return [("", "—"), *((groups()[code].local_label, items) for code, items in grouped.items())]


class LineForm(VersionForm):
    """One line; ``line_data`` is the line as ``fields.py`` reads it."""

    category = forms.ChoiceField(label=_("Source category"))
    activity = _decimal(_("Activity in the year"))
    activity_unit = forms.ChoiceField(label=_("Unit of the activity"))
    factor_set = forms.ChoiceField(
        label=_("Factor set"),
        required=False,
        help_text=_("A published set's factor for the category, where one is cited"),
    )
    input_low = _decimal(_("National input factor, low"))
    input_high = _decimal(_("National input factor, high"))
    input_unit = forms.ChoiceField(label=_("Unit of the national factor"), required=False)
    justification = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Justification of national values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the national factor or distribution comes from"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args, factor_sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["activity_unit"].choices = [
            (unit.code, unit.local_label) for unit in activity_units().values()
        ]
        self.fields["factor_set"].choices = [
            ("", _("None: a national factor")),
            *((factor_set.code, factor_set.name) for factor_set in factor_sets),
        ]
        self.fields["input_unit"].choices = [
            ("", "—"),
            *(
                (f"{hg}/{unit.code}", f"{hg}/{unit.code}")
                for unit in activity_units().values()
                for hg in mercury_units()
            ),
        ]
        for pathway in pathways():
            self.fields[f"share_{pathway.code}"] = _decimal(pathway.local_label)
        self.pathway_fields = [self[f"share_{pathway.code}"] for pathway in pathways()]
        self.factor_fields = [self[name] for name in ("factor_set", "input_low", "input_high")]

    def line_data(self) -> dict:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "base_version" and not name.startswith("share_")
        }
        data["distribution"] = {
            pathway.code: self.cleaned_data[f"share_{pathway.code}"]
            for pathway in pathways()
            if self.cleaned_data.get(f"share_{pathway.code}") not in (None, "")
        }
        return data

    @classmethod
    def initial_from(cls, line: dict) -> dict:
        initial = {name: line.get(name) for name in cls.base_fields if name in line}
        for code, share in (line.get("distribution") or {}).items():
            initial[f"share_{code}"] = share
        return initial


def add_line_errors(form: forms.Form, errors: dict[str, str], number: int) -> None:
    """An InvalidInputError of a line's save on its form: ``lines.3.activity`` beside the
    form's ``activity`` when the form is line 3, a pathway's share beside its field, anything
    else above the form."""
    prefix = f"lines.{number}."
    for key, message in errors.items():
        name = key.removeprefix(prefix) if key.startswith(prefix) else None
        if name and name.startswith("distribution."):
            name = "share_" + name.removeprefix("distribution.")
        elif name == "distribution":
            name = None
        form.add_error(name if name in form.fields else None, message)


class CompareForm(forms.Form):
    """The inventories to put side by side (``?inventory=3&inventory=7``), chosen among those
    the person may read; any other is refused as not one of the choices."""

    inventory = forms.ModelMultipleChoiceField(
        label=_("Inventories to compare"),
        queryset=Inventory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, inventories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inventory"].queryset = inventories

    def clean_inventory(self):
        chosen = list(self.cleaned_data["inventory"])
        if len(chosen) > MAX_COMPARED:
            raise forms.ValidationError(
                _("Choose at most %(count)d inventories: %(chosen)d are chosen.")
                % {"count": MAX_COMPARED, "chosen": len(chosen)}
            )
        return chosen
