from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A weight or target without trailing zeros, in the reader's locale: 12,5 · 100 · 7,142."""
    if value is None:
        return ""
    digits = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)
