"""Controlled vocabularies, countries and languages: the reference data records are tagged with."""

import gettext as gettext_module
from functools import cache

import pycountry
from django.db import models
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from mercuryhub.lib.history import History

# The vocabularies' names, in English and in the interface catalogues; a vocabulary not listed
# here is named after its key ("new_things": "New things").
VOCABULARY_LABELS = {
    "waste_categories": gettext_noop("Waste categories"),
    "management_phases": gettext_noop("Management phases"),
    "treatment_technologies": gettext_noop("Treatment technologies"),
    "support_types": gettext_noop("Support types"),
    "stakeholder_types": gettext_noop("Stakeholder types"),
    "audiences": gettext_noop("Audiences"),
    "resource_kinds": gettext_noop("Kinds of resource"),
    "nap_elements": gettext_noop("NAP elements"),
    "worst_practices": gettext_noop("Worst practices"),
    "partnership_areas": gettext_noop("Partnership areas"),
    "working_groups": gettext_noop("Working groups"),
    "funding_statuses": gettext_noop("Funding statuses"),
}


def vocabulary_label(name: str) -> str:
    """The English name of a vocabulary, as stored."""
    return VOCABULARY_LABELS.get(name) or name.replace("_", " ").capitalize()


class Vocabulary(models.Model):
    """A controlled vocabulary, named as in the reference file (``waste_categories``)."""

    name = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=200)
    hierarchical = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("vocabularies")

    def __str__(self):
        return self.label

    @property
    def localized_label(self) -> str:
        """The name in the active interface language, or the English one."""
        return gettext(self.label) if self.name in VOCABULARY_LABELS else self.label

    @property
    def slug(self) -> str:
        """The name used in URLs: ``waste-categories``."""
        return self.name.replace("_", "-")


class Term(models.Model):
    """One entry of a vocabulary: a code that never changes, a label, synonyms for search."""

    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    synonyms = models.JSONField(default=list, blank=True)
    # The label and search synonyms in the other interface languages, keyed by language code:
    # {"fr": {"label": "Lampes contenant du mercure", "synonyms": ["tube fluorescent"]}}.
    translations = models.JSONField(default=dict, blank=True)
    # Facts a vocabulary carries beyond label and synonyms (the Annex C source of a NAP element,
    # whether it is required, the rules of a working group).
    attributes = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = History()

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="unique_term_code"),
        ]

    def __str__(self):
        return self.localized_label

    @property
    def localized_label(self) -> str:
        """The label in the active interface language, or the English one."""
        language = get_language() or "en"
        return (self.translations.get(language) or {}).get("label") or self.label

    @property
    def localized_synonyms(self) -> list[str]:
        """The search synonyms in the active interface language (English ones in English)."""
        language = get_language() or "en"
        if language == "en":
            return self.synonyms
        return (self.translations.get(language) or {}).get("synonyms") or []

    def search_words(self) -> list[str]:
        """The label and synonyms in every language, for the search index."""
        words = [self.label, *self.synonyms]
        for translated in self.translations.values():
            words += [translated.get("label", ""), *translated.get("synonyms", [])]
        return [word for word in words if word]


class Country(models.Model):
    """An ISO 3166-1 country with its UN M49 region, sub-region and intermediate region."""

    iso3 = models.CharField(_("ISO alpha-3 code"), max_length=3, primary_key=True)
    iso2 = models.CharField(_("ISO alpha-2 code"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, unique=True)
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=300, blank=True)
    # Short names in the six UN languages, keyed by interface language code.
    names = models.JSONField(default=dict, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=100, blank=True)
    subregion_code = models.CharField(max_length=3, blank=True)
    subregion = models.CharField(max_length=100, blank=True)
    intermediate_region_code = models.CharField(max_length=3, blank=True)
    intermediate_region = models.CharField(max_length=100, blank=True)
    income_level = models.CharField(_("World Bank income level"), max_length=40, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")
        indexes = [models.Index(fields=["region"]), models.Index(fields=["subregion"])]

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return self.names.get(language) or self.name


class Language(models.Model):
    """An ISO 639-1 language; the six UN languages are the interface languages."""

    code = models.CharField(_("ISO 639-1 code"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 639-3 code"), max_length=3, blank=True)
    name = models.CharField(max_length=100)
    is_un_language = models.BooleanField(_("UN official language"), default=False)

    class Meta:
        ordering = ["-is_un_language", "name"]

    def __str__(self):
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active interface language: Django's own catalogue names the common
        languages, pycountry's ISO 639 catalogue the others; the English name where neither does."""
        # ISO 639 names some languages at length: "Interlingua (International Auxiliary…)".
        for name in (self.name, self.name.split(" (")[0]):
            if (translated := gettext(name)) != name:
                return translated
        locale = _ISO639_LOCALES.get(get_language() or "en")
        if locale is None:
            return self.name
        # pycountry lists alternatives after a semicolon ("中文; 汉语"): the first is the name.
        return _iso639_catalogue(locale).gettext(self.name).split(";")[0].strip()


# pycountry's ISO 639-3 catalogues, by interface language.
_ISO639_LOCALES = {"fr": "fr", "es": "es", "ru": "ru", "zh-hans": "zh_CN", "ar": "ar"}


@cache
def _iso639_catalogue(locale: str) -> gettext_module.NullTranslations:
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


class ReferenceMark(models.Model):
    """A token that every write to the reference data (vocabularies, terms, countries,
    languages) changes, in the write's own transaction: each worker keeps the reference records
    it read between requests and reads them again when the token it read them under is no longer
    the database's (``taxonomy.queries.kept``). A new random token each time, so that equal
    tokens mean the same reference data, in any database."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
