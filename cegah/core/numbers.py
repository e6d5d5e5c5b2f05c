"""Numbers as Indonesians type and read them, in one place for every form and page.

In Bahasa Indonesia a dot groups thousands and a comma marks decimals ("1.500.000,50"); in
English the reverse. Text that fits no single reading of the reader's language ("1.50.000", or
"12.5" in Indonesian) is refused with an example, never guessed: a misread amount is stored
without a word, a refused one costs the person a second. docs/conventions/inputs.md says more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class NumberKind(StrEnum):
    NUMBER = "number"
    PERCENT = "percent"
    RUPIAH = "rupiah"


class NumberNotUnderstood(ValueError):
    """The text fits no single reading; the message says how to write it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Separators:
    group: str
    decimal: str


def separators(language: str | None = None) -> Separators:
    """The reader's separators, from Django's locale formats (the same `intcomma` uses)."""
    lang = (language or get_language() or "id").split("-")[0]
    return Separators(
        group=str(get_format("THOUSAND_SEPARATOR", lang=lang)),
        decimal=str(get_format("DECIMAL_SEPARATOR", lang=lang)),
    )


_RUPIAH = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _pattern(seps: Separators) -> re.Pattern[str]:
    group, decimal = re.escape(seps.group), re.escape(seps.decimal)
    # Either grouped in threes ("1.500.000") or not grouped at all ("1500000"), then decimals.
    return re.compile(rf"^(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{decimal}(\d+))?$")


def _digits(body: str, seps: Separators) -> str | None:
    """The body in Python's notation, or None when it fits no reading."""
    if " " in body:
        # Spaces may group thousands ("1 500 000") when nothing else does.
        if seps.group in body or not re.fullmatch(r"\d{1,3}(?: \d{3})+(?:\S*)", body):
            return None
        body = body.replace(" ", seps.group)
    if not _pattern(seps).match(body):
        return None
    return body.replace(seps.group, "").replace(seps.decimal, ".")


def _example(kind: NumberKind, language: str | None) -> str:
    if kind == NumberKind.PERCENT:
        return format_number(Decimal("12.5"), kind=kind, language=language)
    if kind == NumberKind.RUPIAH:
        return format_number(Decimal(1500000), kind=kind, language=language)
    return _("%(whole)s atau %(fraction)s") % {
        "whole": format_number(Decimal(1500000), language=language),
        "fraction": format_number(Decimal("12.5"), language=language),
    }


def parse_number(
    text: str | None, *, kind: NumberKind = NumberKind.NUMBER, language: str | None = None
) -> Decimal | None:
    """The value typed, or None when nothing was typed; NumberNotUnderstood otherwise.

    Accepted (Indonesian): "1.500.000", "1500000", "1.500.000,50", "Rp 1.500.000",
    "Rp1.500.000,-", "12,5", "12,5%", "-3"; English swaps the dot and the comma.
    """
    seps = separators(language)
    raw = _SPACES.sub(" ", (text or "").replace("\u00a0", " ")).strip()
    if not raw:
        return None
    body = raw
    if kind != NumberKind.PERCENT:
        body = _RUPIAH.sub("", body)
        # "Rp1.500.000,-": the dash after the decimal mark says "no cents".
        if body.endswith(seps.decimal + "-"):
            body = body[: -len(seps.decimal) - 1]
    elif body.endswith("%"):
        body = body[:-1].rstrip()
    negative = body[:1] in ("-", "\u2212")
    if negative:
        body = body[1:].lstrip()
    digits = _digits(body, seps)
    if digits is None:
        other = Separators(group=seps.decimal, decimal=seps.group)
        hint = ""
        if _digits(body, other) is not None:
            # Written the other language's way: say so, but do not guess which was meant.
            hint = " " + _("Titik memisahkan ribuan dan koma menandai desimal.")
        raise NumberNotUnderstood(
            _("“%(text)s” tidak terbaca sebagai angka.%(hint)s Tulis seperti %(example)s.")
            % {"text": raw, "hint": hint, "example": _example(kind, language)}
        )
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
        raise NumberNotUnderstood(_("Masukkan angka.")) from exc
    return -value if negative else value


def format_number(
    value: Decimal | int | None,
    *,
    kind: NumberKind = NumberKind.NUMBER,
    unit: str = "",
    language: str | None = None,
    decimals: int | None = None,
) -> str:
    """How the value is shown back: "Rp50.000.000", "12,5%", "527.500 dokumen"."""
    if value is None:
        return ""
    seps = separators(language)
    number = Decimal(value)
    if decimals is None:
        # As many decimals as the value has, none when it is whole ("527.500", not "527.500,000").
        number = number.normalize()
        decimals = max(0, -int(number.as_tuple().exponent))
        if kind == NumberKind.RUPIAH and decimals:
            decimals = max(decimals, 2)  # sen come in pairs: "Rp1.500.000,50"
    text = numberformat.format(
        number,
        seps.decimal,
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=seps.group,
        force_grouping=True,
    )
    if kind == NumberKind.RUPIAH:
        return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"
    if kind == NumberKind.PERCENT:
        return f"{text}%"
    return f"{text} {unit}" if unit else text
