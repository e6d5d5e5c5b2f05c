from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from cegah.core.i18n import text_in_reader_language
from cegah.core.inputs import NumberInput
from cegah.core.numbers import NumberKind, format_number

register = template.Library()


@register.simple_tag
def answer_input(
    name: str, question: dict[str, Any], choices: list[dict[str, Any]], value: str, label: str
) -> SafeString:
    """The input for one LKE answer: the answer letters for a choice (with what each means),
    else the shared number input (a percentage with %, a count with its unit)."""
    kind = question["answer"]["type"]
    if choices:
        meanings = question.get("options", {})
        language_texts = (
            meanings.get("en") if _english() and meanings.get("en") else meanings.get("id")
        )
        options = [("", "—")] + [
            (
                c["label"],
                f"{c['label']} — {language_texts[i]}" if language_texts else c["label"],
            )
            for i, c in enumerate(choices)
        ]
        return format_html(
            '<select name="{}" id="{}" aria-label="{}">{}</select>',
            name,
            name,
            label,
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((v, " selected" if v.lower() == value.lower() else "", t) for v, t in options),
            ),
        )
    number_kind = NumberKind.PERCENT if kind == "percentage" else NumberKind.NUMBER
    unit = text_in_reader_language(question["answer"].get("unit") or {"id": "", "en": ""})
    widget = NumberInput(kind=number_kind, unit=unit, attrs={"id": name, "aria-label": label})
    try:
        shown: Any = Decimal(value) if value else ""
    except InvalidOperation:
        shown = value  # as typed, refused
    return SafeString(widget.render(name, shown))


def _english() -> bool:
    return (get_language() or "id").startswith("en")


@register.filter
def points(value: Decimal | None) -> str:
    """A score with two decimals, the reader's way: 15,75."""
    return "—" if value is None else format_number(value, decimals=2)


@register.filter
def item(mapping: Any, key: str) -> str:
    """mapping[key], or "" (a refused page's typed fields by name, errors and names by code)."""
    return str(mapping.get(key, "")) if mapping else ""
