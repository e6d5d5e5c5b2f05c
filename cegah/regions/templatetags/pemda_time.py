"""Deadlines are stored in UTC and shown in the Pemda's own time zone (WIB, WITA or WIT)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import pgettext

from cegah.regions.models import Pemda, TimeZone

register = template.Library()


@register.filter
def pemda_time(value: datetime | None, pemda: Pemda | None = None) -> str:
    """`15 April 2025, 23.59 WIB`; national pages (no Pemda) show WIB."""
    if value is None:
        return ""
    zone = TimeZone(pemda.time_zone) if pemda is not None else TimeZone.WIB
    local = timezone.localtime(value, pemda.zoneinfo if pemda is not None else None)
    # Two-digit hours: a deadline at "00.59" must not read as "0.59".
    pattern = pgettext("deadline date format", "j F Y, H.i")
    return f"{formats.date_format(local, pattern)} {zone.value}"
