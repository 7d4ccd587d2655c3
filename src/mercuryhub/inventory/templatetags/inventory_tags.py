"""Showing quantities of mercury as a reader reads them: kilograms a year with three
significant figures, in the reader's number format, a range as low–high."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()


def rounded(value: Decimal) -> str:
    """Three significant figures, at most three decimals shown: 245, 22.5, 0.0113 → 0.011."""
    value = Decimal(value)
    if value == 0:
        return number_format(0)
    places = max(0, min(3, 2 - value.adjusted()))
    return number_format(
        round(value, places), decimal_pos=places, use_l10n=True, force_grouping=True
    )


@register.filter
def kg(value) -> str:
    return "—" if value is None else rounded(value)


@register.filter
def kg_range(value) -> str:
    """A Range: "10–30", or one figure where low and high are the same."""
    if value is None:
        return "—"
    low, high = rounded(value.low), rounded(value.high)
    if low == high:
        return format_html('<bdi dir="ltr">{}</bdi>', low)
    return format_html('<bdi dir="ltr">{}–{}</bdi>', low, high)


@register.filter
def share(value) -> str:
    """A share of a distribution as a percentage: 0.05 → 5 %."""
    if value in (None, ""):
        return "—"
    percent = Decimal(str(value)) * 100
    return f"{rounded(percent)} %"
