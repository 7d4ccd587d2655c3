"""The knowledge library: resources (guidance, toolkits, factsheets, training, videos, reports,
legal texts…), case studies with their circumstances and lessons, and the files uploaded with
them. Resources and case studies are kinds of the review layer, tagged with the same
vocabularies as the catalogue."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import Organization, User
from mercuryhub.lib.history import History
from mercuryhub.review.models import ReviewedEntry
from mercuryhub.taxonomy.models import Country, Language, Term


def _tags(vocabulary: str, verbose_name) -> models.ManyToManyField:
    return models.ManyToManyField(
        Term,
        related_name="+",
        blank=True,
        limit_choices_to={"vocabulary__name": vocabulary},
        verbose_name=verbose_name,
    )


class DocumentFile(models.Model):
    """A file uploaded to the library: checked from its content when it arrives, stored through
    Django's storage API, its text extracted into the search index. Never changed once stored;
    a resource's versions refer to it by id."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        PPTX = "pptx", "PowerPoint (PPTX)"
        TEXT = "txt", _("Plain text")

    class Extraction(models.TextChoices):
        PENDING = "pending", _("Waiting to be read")
        RUNNING = "running", _("Being read")
        DONE = "done", _("Read")
        FAILED = "failed", _("Could not be read")

    file = models.FileField(upload_to="library/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    extraction = models.CharField(
        max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )
    # Share of the extraction done, 0–100, shown as a progress bar while it runs.
    progress = models.PositiveSmallIntegerField(default=0)
    extraction_error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("library-file", args=[self.pk])


class LibraryEntry(ReviewedEntry):
    """What resources and case studies share: a title (``name``) and summary (``description``),
    in several languages,
    who published it and when, its tags, its address and file, its licence."""

    external_id = models.CharField(
        _("external identifier"), max_length=100, null=True, blank=True, unique=True
    )
    # The title; named ``name`` as every kind's display name is.
    name = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("summary"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    document = models.ForeignKey(
        DocumentFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # The partner organization that keeps the entry current, if any; else the person who
    # added it (``owner``) and the secretariat.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # indexed where given: ``Meta.indexes``
    )
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    languages = models.ManyToManyField(Language, related_name="+", blank=True)
    audiences = _tags("audiences", _("audiences"))
    waste_categories = _tags("waste_categories", _("waste categories"))
    phases = _tags("management_phases", _("management phases"))
    support_types = _tags("support_types", _("types of support"))
    nap_elements = _tags("nap_elements", _("NAP elements"))
    partnership_areas = _tags("partnership_areas", _("Partnership areas"))

    class Meta:
        abstract = True
        ordering = ["name"]
        indexes = [
            # Most entries name no organization: an index of every row would tell the query
            # planner that an organization holds them all, and the entries of a country's
            # organizations would be found by reading every entry.
            models.Index(
                fields=["organization"],
                name="%(class)s_organization",
                condition=models.Q(organization__isnull=False),
            ),
            # The list's orders (``listing.page``), so that a page of a million entries reads
            # its twenty rather than sorting them all: latest added, newest, by title.
            *(
                models.Index(
                    fields=order, name=f"%(class)s_by_{name}", condition=models.Q(published=True)
                )
                for name, order in (
                    ("added", ["-created_at", "name"]),
                    ("year", ["-year", "-created_at", "name"]),
                    ("title", ["name", "id"]),
                )
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def local_name(self):
        return self.localized("name")

    @property
    def local_description(self):
        return self.localized("description")


# The tag fields, whose changes the history keeps.
_TAG_FIELDS = [
    "languages",
    "audiences",
    "waste_categories",
    "phases",
    "support_types",
    "nap_elements",
    "partnership_areas",
]


class Resource(LibraryEntry):
    """A guidance document, guideline, toolkit, template, factsheet, training material, video,
    report, legal text… with its address and/or an uploaded file."""

    kind = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary__name": "resource_kinds"},
        verbose_name=_("kind of resource"),
    )
    # The resource this one is another language version of: versions of one document point to
    # the same original, and each resource page offers the others.
    language_version_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="language_versions",
        verbose_name=_("language version of"),
    )
    transcript = models.TextField(
        _("transcript or detailed summary"),
        blank=True,
        help_text=_("For a video or recording: what is said, so that search finds it"),
    )

    history = History(m2m_fields=_TAG_FIELDS)

    def get_absolute_url(self):
        return reverse("library-resource-detail", args=[self.pk])


class CaseStudy(LibraryEntry):
    """What was done somewhere, in which circumstances, with which results and lessons;
    validated criterion by criterion against published criteria."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="case_studies")
    place = models.CharField(_("place"), max_length=300, blank=True)
    period = models.CharField(_("period"), max_length=100, blank=True)
    context_socioeconomic = models.TextField(_("socio-economic context"), blank=True)
    context_technical = models.TextField(_("technical context"), blank=True)
    context_political = models.TextField(_("political and legal context"), blank=True)
    actions = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results, with figures"), blank=True)
    success_factors = models.TextField(_("success factors"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    history = History(m2m_fields=_TAG_FIELDS)

    class Meta(LibraryEntry.Meta):
        verbose_name_plural = _("case studies")

    def get_absolute_url(self):
        return reverse("library-case-study-detail", args=[self.pk])


class ValidationCriterion(models.Model):
    """One of the published criteria a reviewer judges a case study against, loaded from
    ``library/data/case_study_criteria.json``; inactive once taken out of that file, so that
    the judgements made against it stay readable."""

    code = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # {"fr": {"label": ..., "description": ...}, ...}, keyed by the interface's language codes.
    translations = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.localized_label

    def _localized(self, name: str) -> str:
        language = get_language() or "en"
        return (self.translations.get(language) or {}).get(name) or getattr(self, name)

    @property
    def localized_label(self) -> str:
        return self._localized("label")

    @property
    def localized_description(self) -> str:
        return self._localized("description")


class CriterionJudgement(models.Model):
    """A reviewer's judgement of one version of a case study on one criterion, with a note.
    Each version is judged afresh: a new version has none until a reviewer judges it."""

    class Judgement(models.TextChoices):
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="judgements")
    criterion = models.ForeignKey(
        ValidationCriterion, on_delete=models.PROTECT, related_name="judgements"
    )
    version = models.PositiveIntegerField()
    judgement = models.CharField(max_length=20, choices=Judgement.choices)
    note = models.TextField(blank=True)
    judged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged_at = models.DateTimeField()

    class Meta:
        ordering = ["criterion__position", "criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "criterion", "version"], name="one_judgement_per_version"
            )
        ]

    def __str__(self):
        return f"{self.case_study} v{self.version}: {self.criterion.code} {self.judgement}"
