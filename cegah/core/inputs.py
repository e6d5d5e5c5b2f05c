"""The one number input and the one date input every form uses (docs/conventions/inputs.md).

Both are text inputs: `<input type="number">` refuses "1.500.000" and `<input type="date">` shows
mm/dd/yyyy on an English-language browser. The server reads what was typed in the reader's
language and shows it back as it understood it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .numbers import NumberKind, NumberNotUnderstood, format_number, parse_number


class NumberInput(forms.TextInput):
    """A text input that shows the value in the reader's notation, with its unit beside it."""

    template_name = "core/widgets/number.html"

    def __init__(
        self, *, kind: NumberKind = NumberKind.NUMBER, unit: str = "", attrs: Any = None
    ) -> None:
        self.kind = kind
        self.unit = unit
        base = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        # A refused entry comes back as typed; an understood one in the reader's notation.
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(value, kind=NumberKind.NUMBER)
        return cast("str | None", super().format_value(value))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["prefix"] = "Rp" if self.kind == NumberKind.RUPIAH else ""
        context["widget"]["suffix"] = "%" if self.kind == NumberKind.PERCENT else self.unit
        return context


class NumberField(forms.Field):
    """A number, a percentage or a Rupiah amount typed the reader's way; a Decimal."""

    widget = NumberInput
    default_error_messages = {
        "min_value": gettext_lazy("Paling kecil %(limit)s."),
        "max_value": gettext_lazy("Paling besar %(limit)s."),
        "whole": gettext_lazy("Masukkan bilangan bulat, tanpa desimal (misalnya %(example)s)."),
        "decimals": gettext_lazy("Paling banyak %(places)d angka di belakang koma."),
        "too_large": gettext_lazy("Angka ini terlalu besar."),
    }

    def __init__(
        self,
        *,
        kind: NumberKind = NumberKind.NUMBER,
        unit: str = "",
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        whole: bool = False,
        decimal_places: int = 3,
        max_digits: int = 18,
        **kwargs: Any,
    ) -> None:
        self.kind = kind
        self.unit = unit
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)
        self.whole = whole
        self.decimal_places = 0 if whole else decimal_places
        self.max_digits = max_digits
        kwargs.setdefault("widget", NumberInput(kind=kind, unit=unit))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(value, kind=self.kind)
        except NumberNotUnderstood as exc:
            raise forms.ValidationError(exc.message, code="number") from exc

    def _shown(self, value: Decimal) -> str:
        return format_number(value, kind=self.kind, unit=self.unit)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": self._shown(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": self._shown(self.max_value)},
            )
        exponent = int(value.as_tuple().exponent)
        if self.whole and value != value.to_integral_value():
            raise forms.ValidationError(
                self.error_messages["whole"],
                code="whole",
                params={"example": self._shown(value.to_integral_value())},
            )
        if -exponent > self.decimal_places and value != round(value, self.decimal_places):
            raise forms.ValidationError(
                self.error_messages["decimals"],
                code="decimals",
                params={"places": self.decimal_places},
            )
        if value.adjusted() + 1 > self.max_digits - self.decimal_places:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["data-number-kind"] = str(self.kind)
        return attrs


# --- Dates ---------------------------------------------------------------------------------

MONTHS = {
    # Indonesian and English month names and their usual short forms.
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_NUMERIC = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
DATE_DISPLAY = "%d-%m-%Y"


class DateNotUnderstood(ValueError):
    pass


def parse_date_text(text: str | None) -> date | None:
    """Day first in both languages: "06-12-2026", "6/12/2026", "6 Desember 2026", "6 Dec 2026";
    also the ISO form a browser's own date picker sends ("2026-12-06")."""
    raw = (text or "").strip().lower()
    if not raw:
        return None
    if match := _ISO.match(raw):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(raw):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _WORDS.match(raw)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    else:
        raise DateNotUnderstood(raw)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateNotUnderstood(raw) from exc


class DateInput(forms.TextInput):
    """dd-mm-yyyy whatever the browser's language, with a calendar button (static/js/inputs.js
    opens the browser's own picker, which works by touch and by keyboard)."""

    template_name = "core/widgets/date.html"

    def __init__(self, attrs: Any = None) -> None:
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": gettext_lazy("hh-bb-tttt"),
            "data-date-input": "",
        }
        super().__init__(attrs={**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return value.strftime(DATE_DISPLAY)
        return cast("str | None", super().format_value(value))

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        try:
            understood = value if isinstance(value, date) else parse_date_text(value)
        except DateNotUnderstood:
            understood = None
        context["widget"]["iso"] = understood.isoformat() if understood else ""
        context["widget"]["native_type"] = "date"
        return context


class DateField(forms.DateField):
    """A date typed day first; a datetime.date."""

    widget = DateInput

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return parse_date_text(value)
        except DateNotUnderstood as exc:
            raise forms.ValidationError(
                _("“%(text)s” tidak terbaca sebagai tanggal. Tulis seperti %(example)s.")
                % {"text": str(value).strip(), "example": "06-12-2026"},
                code="invalid",
            ) from exc


_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")
DATETIME_DISPLAY = "%d-%m-%Y %H.%M"


def parse_datetime_text(text: str | None) -> datetime | None:
    """A day as parse_date_text reads it, then the time: "15-04-2025 23.59" or "23:59"; also the
    browser picker's "2025-04-15T23:59". The time is in the server's zone (WIB)."""
    raw = (text or "").strip()
    if not raw:
        return None
    day_text, _sep, time_text = raw.replace("T", " ").replace(",", " ").rpartition(" ")
    match = _TIME.match(time_text.strip())
    if not day_text.strip() or not match:
        raise DateNotUnderstood(raw)
    day = parse_date_text(day_text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if day is None or hour > 23 or minute > 59:
        raise DateNotUnderstood(raw)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class DateTimeInput(DateInput):
    """dd-mm-yyyy hh.mm with the time zone named beside it, and the same calendar button."""

    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs={"placeholder": gettext_lazy("hh-bb-tttt jj.mm"), **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime(DATETIME_DISPLAY)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = forms.TextInput.get_context(self, name, value, attrs)
        try:
            understood = value if isinstance(value, datetime) else parse_datetime_text(value)
        except DateNotUnderstood:
            understood = None
        local = timezone.localtime(understood) if understood else None
        context["widget"]["iso"] = local.strftime("%Y-%m-%dT%H:%M") if local else ""
        context["widget"]["native_type"] = "datetime-local"
        context["widget"]["zone"] = zone_abbreviation()
        return context


def zone_abbreviation() -> str:
    """WIB, WITA or WIT for the server's zone (times are entered in it)."""
    offset = timezone.localtime().utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 7
    return {7: "WIB", 8: "WITA", 9: "WIT"}.get(hours, f"UTC{hours:+d}")


class DateTimeField(forms.DateTimeField):
    """A moment typed day first with its time, in WIB; an aware datetime."""

    widget = DateTimeInput

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, datetime):
            return value
        try:
            return parse_datetime_text(value)
        except DateNotUnderstood as exc:
            raise forms.ValidationError(
                _("“%(text)s” tidak terbaca sebagai tanggal dan jam. Tulis seperti %(example)s.")
                % {"text": str(value).strip(), "example": "15-04-2025 23.59"},
                code="invalid",
            ) from exc


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input: a list, empty when none was chosen (and not required)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
