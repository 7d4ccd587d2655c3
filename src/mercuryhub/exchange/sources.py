"""The kinds of entity the matching engine ranks, registered with it when the exchange starts:
the catalogue's facilities, offerings and experts, the library's resources and case studies, and
the partner organizations. A later kind registers its own ``Source`` the same way."""

from django.utils.translation import gettext as _

from mercuryhub.accounts.models import Organization
from mercuryhub.catalogue.models import Expert, Facility, Offering
from mercuryhub.exchange.matching import Source, Tagging, register
from mercuryhub.library.models import CaseStudy, Resource


def _phase():
    return _("phase: %(term)s")


def _support():
    return _("support: %(term)s")


def _in_language():
    return _("in %(language)s")


def register_sources() -> None:
    register(
        Source(
            "facility",
            Facility,
            lambda: Facility.objects.filter(published=True).exclude(status=Facility.Status.CLOSED),
            taggings=(
                Tagging("waste_categories", "accepted_wastes", lambda: _("accepts %(term)s")),
                Tagging("phases", "phases", _phase),
            ),
            country="country",
            languages="languages",
            coordinates=True,
            select_related=("country",),
        )
    )
    register(
        Source(
            "offering",
            Offering,
            lambda: Offering.objects.filter(published=True),
            taggings=(
                Tagging("waste_categories", "waste_categories", lambda: _("deals with %(term)s")),
                Tagging("phases", "phases", _phase),
                Tagging("support_types", "support_types", _support),
            ),
            country="provider__country",
            countries_served="countries_served",
            served_reason=lambda: _("serves %(country)s"),
            languages="languages",
            select_related=("provider__country",),
        )
    )
    register(
        Source(
            "expert",
            Expert,
            lambda: Expert.objects.filter(published=True),
            taggings=(
                Tagging("waste_categories", "waste_categories", lambda: _("expert on %(term)s")),
                Tagging("phases", "phases", _phase),
                Tagging("support_types", "support_types", _support),
            ),
            country="country",
            countries_served="countries_of_experience",
            served_reason=lambda: _("has worked in %(country)s"),
            languages="languages",
            language_reason=lambda: _("speaks %(language)s"),
            select_related=("country",),
        )
    )
    library_taggings = (
        Tagging("waste_categories", "waste_categories", lambda: _("about %(term)s")),
        Tagging("phases", "phases", _phase),
        Tagging("support_types", "support_types", _support),
    )
    register(
        Source(
            "resource",
            Resource,
            lambda: Resource.objects.filter(published=True),
            taggings=library_taggings,
            country="organization__country",
            languages="languages",
            language_reason=_in_language,
            select_related=("organization__country",),
        )
    )
    register(
        Source(
            "case_study",
            CaseStudy,
            lambda: CaseStudy.objects.filter(published=True),
            taggings=library_taggings,
            country="country",
            languages="languages",
            language_reason=_in_language,
            select_related=("country",),
        )
    )
    register(
        Source(
            "organization",
            Organization,
            lambda: Organization.objects.filter(is_partner=True),
            country="country",
            reviewed=False,
            select_related=("country",),
        )
    )
