"""Values shown the way the shared inputs read them (docs/conventions/inputs.md)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cegah.core.numbers import NumberKind, format_number

register = template.Library()


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    """Rp50.000.000 (Rp50,000,000 in English)."""
    return format_number(value, kind=NumberKind.RUPIAH)


@register.filter
def percent(value: Decimal | int | None) -> str:
    """12,5% (12.5% in English)."""
    return format_number(value, kind=NumberKind.PERCENT)


@register.filter
def amount(value: Decimal | int | None, unit: str = "") -> str:
    """527.500 or, with a unit, 527.500 dokumen."""
    return format_number(value, unit=unit)


@register.filter
def small_count(value: int | None) -> str:
    """A public count about reports, gratifications or declarations: under 5 it is "< 5", so a
    figure never points at a person (README, Standards)."""
    if value is None:
        return ""
    return "< 5" if value < 5 else format_number(value)
