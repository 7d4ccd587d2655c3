"""Showing quantities of mercury as a reader reads them: kilograms a year with three
significant figures, in the reader's number format, a range as low–high."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from mercuryhub.inventory.vocabulary import activity_units

register = template.Library()


def rounded(value: Decimal) -> str:
    """Four significant figures at most (rounding half up), without trailing zeros, in the
    reader's number format: 245, 22.5, 198.5, 0.0113, 1234.5 → 1,235."""
    value = Decimal(value)
    if value == 0:
        return number_format(0)
    places = max(0, 3 - value.adjusted())
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def kg(value) -> str:
    return "—" if value is None else rounded(value)


def range_text(value) -> str:
    """A Range as plain text: "10–30", or one figure where low and high are the same."""
    low, high = rounded(value.low), rounded(value.high)
    return low if low == high else f"{low}–{high}"


@register.filter
def kg_range(value) -> str:
    """A Range, kept left to right inside a right-to-left sentence."""
    if value is None:
        return "—"
    return format_html('<bdi dir="ltr">{}</bdi>', range_text(value))


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + rounded(abs(value))


@register.filter
def difference(value) -> str:
    """A comparison's Difference: "+85 (+26 %)", "−12.5 (−4.2 %)", "+160" (from nothing)."""
    if value is None:
        return "—"
    if value.percent is None:
        return format_html('<bdi dir="ltr">{}</bdi>', _signed(value.amount))
    tenths = Decimal(value.percent).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_html(
        '<bdi dir="ltr">{} <span class="inventory-percent">({} %)</span></bdi>',
        _signed(value.amount),
        _signed(tenths),
    )


@register.filter
def share(value) -> str:
    """A share of a distribution as a percentage: 0.05 → 5 %."""
    if value in (None, ""):
        return "—"
    percent = Decimal(str(value)) * 100
    return f"{rounded(percent)} %"


@register.filter
def unit_label(code: str) -> str:
    """An activity unit's label in the reader's language ("thousand items" for "1000 items")."""
    unit = activity_units().get(code)
    return unit.local_label if unit else code
