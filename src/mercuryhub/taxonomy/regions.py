"""The names of the UN M49 regions and sub-regions, stored in English on the countries (as the
M49 table names them) and shown in the interface language through the interface catalogues."""

from django.utils.translation import gettext, gettext_noop

REGION_NAMES = frozenset(
    {
        gettext_noop("Africa"),
        gettext_noop("Americas"),
        gettext_noop("Asia"),
        gettext_noop("Europe"),
        gettext_noop("Oceania"),
        gettext_noop("Australia and New Zealand"),
        gettext_noop("Central Asia"),
        gettext_noop("Eastern Asia"),
        gettext_noop("Eastern Europe"),
        gettext_noop("Latin America and the Caribbean"),
        gettext_noop("Melanesia"),
        gettext_noop("Micronesia"),
        gettext_noop("Northern Africa"),
        gettext_noop("Northern America"),
        gettext_noop("Northern Europe"),
        gettext_noop("Polynesia"),
        gettext_noop("South-eastern Asia"),
        gettext_noop("Southern Asia"),
        gettext_noop("Southern Europe"),
        gettext_noop("Sub-Saharan Africa"),
        gettext_noop("Western Asia"),
        gettext_noop("Western Europe"),
        gettext_noop("Caribbean"),
        gettext_noop("Central America"),
        gettext_noop("Channel Islands"),
        gettext_noop("Eastern Africa"),
        gettext_noop("Middle Africa"),
        gettext_noop("South America"),
        gettext_noop("Southern Africa"),
        gettext_noop("Western Africa"),
    }
)


def region_label(name: str) -> str:
    """An M49 region's name in the interface language; other text as given."""
    return gettext(name) if name in REGION_NAMES else name
