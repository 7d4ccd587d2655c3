"""The web forms of the project pages: they parse input; the actions check and save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mercuryhub.forms.models import Form, ProjectMembership
from mercuryhub.lib.text import LONG_TEXT_MAX_LENGTH


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters, digits and hyphens, in the project's addresses; from the name if empty."
        ),
    )
    description = forms.CharField(
        max_length=LONG_TEXT_MAX_LENGTH,
        label=_("Description"),
        widget=forms.Textarea,
        required=False,
    )


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of their account"))
    role = forms.ChoiceField(label=_("Role"), choices=ProjectMembership.Role.choices)


class XLSFormUploadForm(forms.Form):
    xlsform = forms.FileField(label=_("XLSForm (.xlsx)"))


class MediaForm(forms.Form):
    file = forms.FileField(label=_("Media file"))


class FormStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Form.State.choices)


class AppUserForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=100)


class SubmissionImportForm(forms.Form):
    export = forms.FileField(
        label=_("Export file (.csv, .xlsx or .zip)"),
        help_text=_(
            "A KoBoToolbox export (CSV, or XLSX with a sheet per repeat) or an ODK Central "
            "export (its CSV, or the CSV zip with a file per repeat)."
        ),
    )
