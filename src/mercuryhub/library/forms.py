"""The web forms for adding and editing resources and case studies. Like the catalogue's, they
declare fields and widgets and turn what was posted into the input ``library.fields`` checks;
the editing pages are the catalogue's (``catalogue.editor_views``), which serve every kind."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mercuryhub.catalogue.editor_forms import (
    UN_FIRST,
    EntryForm,
    OrganizationField,
    several,
    vocabulary_field,
)
from mercuryhub.lib.text import DOCUMENT_TEXT_MAX_LENGTH, LONG_TEXT_MAX_LENGTH
from mercuryhub.library.actions import do_discard_document, do_upload_document
from mercuryhub.library.fields import CASE_STUDY_TEXTS
from mercuryhub.library.models import DocumentFile
from mercuryhub.taxonomy.queries import terms_of

_ACCEPTED = ".pdf,.docx,.xlsx,.pptx,.txt,application/pdf,text/plain"


class DocumentInput(forms.FileInput):
    """A file input that shows the file the entry holds now, with the reading of its text."""

    template_name = "library/widgets/document_input.html"
    document = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["document"] = self.document
        return context


def _text(label, *, rows=4, help_text="", max_length=LONG_TEXT_MAX_LENGTH) -> forms.CharField:
    return forms.CharField(
        max_length=max_length,
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class LibraryForm(EntryForm):
    organization_field = "organization"
    organization_optional = True

    name = forms.CharField(label=_("Title"), max_length=300)
    description = _text(_("Summary"))
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.CharField(
        label=_("Year of publication"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    url = forms.CharField(
        label=_("Address on the web"), required=False, max_length=1000, help_text="https://…"
    )
    licence = forms.CharField(
        label=_("Licence"),
        required=False,
        max_length=200,
        help_text=_("For example CC BY 4.0, or “all rights reserved”."),
    )
    organization = OrganizationField(
        label=_("Organization keeping it current"),
        help_text=_("None: you keep it current yourself."),
    )
    languages = several(_("Languages of the document"), help_text=UN_FIRST)

    _TAGS = (
        ("audiences", "audiences", _("Audiences")),
        ("waste_categories", "waste_categories", _("Waste categories")),
        ("phases", "management_phases", _("Management phases")),
        ("support_types", "support_types", _("Types of support")),
        ("nap_elements", "nap_elements", _("ASGM National Action Plan elements")),
        ("partnership_areas", "partnership_areas", _("Partnership areas")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary, label in self._TAGS:
            self.fields[name] = vocabulary_field(vocabulary, label)
        self.fields["file"] = forms.FileField(
            label=_("Upload the file"),
            required=False,
            help_text=format_lazy(
                _(
                    "A PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX) or plain text file of "
                    "at most {size}. Search finds the words inside it."
                ),
                size=filesizeformat(settings.LIBRARY_MAX_UPLOAD_BYTES),
            ),
            widget=DocumentInput(attrs={"accept": _ACCEPTED}),
        )
        current = self.initial.get("document")
        if current:
            self.fields["file"].widget.document = DocumentFile.objects.filter(pk=current).first()
        self._stored: list[DocumentFile] = []

    def entry_data(self) -> dict:
        data = super().entry_data()
        data.pop("file", None)
        return data

    def files_to_store(self, user) -> dict:
        upload = self.cleaned_data.get("file")
        if not upload:
            return {}
        document = do_upload_document(user, upload)
        self._stored.append(document)
        return {"document": document.pk}

    def discard_stored_files(self) -> None:
        for document in self._stored:
            do_discard_document(document)
        self._stored = []


class ResourceForm(LibraryForm):
    add_title = _("Add a resource")
    kind_name = "resource"

    kind = forms.ChoiceField(label=_("Kind of resource"))
    language_version_of = forms.CharField(
        label=_("Language version of"),
        required=False,
        max_length=1000,
        help_text=_(
            "If this is a translation of a resource already here: that resource's address "
            "(…/library/resources/12/) or number. The two pages then offer each other."
        ),
    )
    transcript = _text(
        _("Transcript or detailed summary"),
        rows=6,
        help_text=_("For a video or recording: what is said, so that search finds it."),
        max_length=DOCUMENT_TEXT_MAX_LENGTH,
    )

    sections = [
        (
            _("The resource"),
            ["name", "kind", "description", "content_language", "publisher", "year", "licence"],
        ),
        (_("Where to find it"), ["url", "file", "languages", "language_version_of", "transcript"]),
        (
            _("What it is about"),
            [
                "audiences",
                "waste_categories",
                "phases",
                "support_types",
                "nap_elements",
                "partnership_areas",
            ],
        ),
        (_("Who keeps it current"), ["organization"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "—"),
            *((term.code, term.localized_label) for term in terms_of("resource_kinds")),
        ]


class CaseStudyForm(LibraryForm):
    add_title = _("Add a case study")
    kind_name = "case_study"

    country = forms.ChoiceField(label=_("Country"))
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    period = forms.CharField(
        label=_("Period"), required=False, max_length=100, help_text=_("For example 2016–2019.")
    )
    context_socioeconomic = _text(_("Socio-economic context"))
    context_technical = _text(_("Technical context"))
    context_political = _text(_("Political and legal context"))
    actions = _text(_("What was done"), rows=6)
    results = _text(
        _("Results, with figures"),
        help_text=_("Measured results: quantities collected or treated, costs, people reached."),
    )
    success_factors = _text(_("Success factors"))
    challenges = _text(_("Challenges"))
    lessons_learned = _text(_("Lessons learned"), rows=5)
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        required=False,
        help_text=_("Where the information comes from: a report, an evaluation, a publication."),
    )

    sections = [
        (_("The case"), ["name", "description", "content_language", "country", "place", "period"]),
        (
            _("Circumstances"),
            ["context_socioeconomic", "context_technical", "context_political"],
        ),
        (_("What was done and what came of it"), ["actions", *CASE_STUDY_TEXTS[4:]]),
        (
            _("Source and publication"),
            ["source", "publisher", "year", "url", "file", "licence"],
        ),
        (
            _("What it is about"),
            [
                "languages",
                "audiences",
                "waste_categories",
                "phases",
                "support_types",
                "nap_elements",
                "partnership_areas",
            ],
        ),
        (_("Who keeps it current"), ["organization"]),
    ]
