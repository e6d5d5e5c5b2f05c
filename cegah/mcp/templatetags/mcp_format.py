from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django import template
from django.forms import BoundField
from django.utils import formats
from django.utils.timezone import localdate
from django.utils.translation import gettext, ngettext

from cegah.core.i18n import text_in_reader_language
from cegah.core.inputs import NumberInput
from cegah.core.numbers import NumberKind, format_number
from cegah.mcp import scoring
from cegah.mcp.forms import EvidenceForm
from cegah.mcp.services.reporting import describe_value

if TYPE_CHECKING:
    from cegah.mcp.models import CatalogueVersion, SubIndicator

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A weight or target without trailing zeros, in the reader's locale: 12,5 · 100 · 7,142."""
    return format_number(value)


@register.filter
def score(value: Decimal | None) -> str:
    """A score as KPK publishes it, always with 2 decimals in the reader's locale: 75,20 · 80,00.
    (`number` would drop the zeros and make a ranking's column uneven.)"""
    if value is None:
        return ""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def category_name(code: str) -> str:
    """A colour category's name in the reader's language (Hijau · Green), from its code."""
    found = next((c for c in scoring.categories() if c.code == code), None)
    if found is None:
        return code
    return text_in_reader_language(found.name)


@register.filter
def remaining(delta: timedelta | None) -> str:
    """Time left before a deadline in words: `12 hari 4 jam`, `3 jam 20 menit`, `lewat`."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        return gettext("lewat")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    # Each unit its own plural: English says "1 day 2 hours".
    days_text = ngettext("%(count)d hari", "%(count)d hari", days) % {"count": days}
    hours_text = ngettext("%(count)d jam", "%(count)d jam", hours) % {"count": hours}
    minutes_text = ngettext("%(count)d menit", "%(count)d menit", minutes) % {"count": minutes}
    return f"{days_text} {hours_text}" if days else f"{hours_text} {minutes_text}"


@register.filter
def answer_text(row: object) -> str:
    """The self-assessed answer of a work row in words."""
    answer = getattr(row, "answer", None)
    sub = getattr(row, "sub", None)
    if answer is None or sub is None:
        return gettext("kosong")
    return describe_value(sub, answer.value)


@register.filter
def verified_text(row: object) -> str:
    answer = getattr(row, "answer", None)
    sub = getattr(row, "sub", None)
    if answer is None or sub is None or answer.verified_value is None:
        return ""
    return describe_value(sub, answer.verified_value)


@register.simple_tag
def answer_input(row: object, typed: str | None = None) -> str:
    """The shared number input for a work row's answer: what was typed when it was refused,
    otherwise the stored value in the reader's notation."""
    sub = cast("SubIndicator", getattr(row, "sub"))  # noqa: B009 - a WorkRow or any row-like
    answer = getattr(row, "answer", None)
    if sub.answer_type == sub.AnswerType.PERCENTAGE:
        kind, placeholder = NumberKind.PERCENT, "0\u2013100"
    else:
        target = number(sub.target) if sub.target is not None else ""
        kind, placeholder = NumberKind.NUMBER, gettext("target %(target)s") % {"target": target}
    widget = NumberInput(kind=kind, attrs={"id": f"value-{sub.pk}", "placeholder": placeholder})
    value = typed if typed is not None else (answer.value if answer is not None else None)
    return widget.render("value", value)


@register.simple_tag
def evidence_date_fields(row: object) -> list[BoundField]:
    """The evidence form's dates (today by default), with ids of their own in each row."""
    sub = getattr(row, "sub")  # noqa: B009
    form = EvidenceForm(auto_id=f"ev{sub.pk}-%s", initial={"effective_date": localdate()})
    return [form["effective_date"], form["valid_until"]]


@register.filter
def get_item(mapping: dict[str, object] | None, key: str) -> object:
    return mapping.get(key) if mapping else None


# A catalogue file's {"id": ..., "en": ...} text (an answer option, a document asked for).
register.filter("text_in_reader_language", text_in_reader_language)


@register.filter
def aspect_name(code: str, catalogue: CatalogueVersion) -> str:
    """An indicator's aspect under the name its catalogue gives it."""
    return catalogue.aspect_name(code)
