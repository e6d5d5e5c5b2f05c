"""The one number parser: what it accepts and refuses in each language, and how it shows back."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

import cegah
from cegah.core.inputs import NumberField, NumberInput
from cegah.core.numbers import NumberKind, NumberNotUnderstood, format_number, parse_number

N, P, R = NumberKind.NUMBER, NumberKind.PERCENT, NumberKind.RUPIAH

ACCEPTED = [
    # language, kind, typed, understood, shown back
    ("id", N, "50.000", "50000", "50.000"),
    ("id", N, "527.500", "527500", "527.500"),
    ("id", N, "1.500.000", "1500000", "1.500.000"),
    ("id", N, "1500000", "1500000", "1.500.000"),
    ("id", N, "1.500.000,50", "1500000.50", "1.500.000,5"),
    ("id", N, "12,5", "12.5", "12,5"),
    ("id", N, " 1 500 000 ", "1500000", "1.500.000"),
    ("id", N, "0", "0", "0"),
    ("id", N, "-3", "-3", "-3"),
    ("id", R, "50.000.000", "50000000", "Rp50.000.000"),
    ("id", R, "Rp50.000.000", "50000000", "Rp50.000.000"),
    ("id", R, "Rp 1.500.000", "1500000", "Rp1.500.000"),
    ("id", R, "Rp1.500.000,-", "1500000", "Rp1.500.000"),
    ("id", R, "rp. 1.500.000,50", "1500000.50", "Rp1.500.000,50"),
    ("id", P, "12,5", "12.5", "12,5%"),
    ("id", P, "12,5%", "12.5", "12,5%"),
    ("id", P, "12,5 %", "12.5", "12,5%"),
    ("id", P, "100", "100", "100%"),
    ("en", N, "527,500", "527500", "527,500"),
    ("en", N, "1,500,000.50", "1500000.50", "1,500,000.5"),
    ("en", N, "12.5", "12.5", "12.5"),
    ("en", N, "527.500", "527.5", "527.5"),
    ("en", R, "Rp50,000,000", "50000000", "Rp50,000,000"),
    ("en", R, "Rp 1,500,000.-", "1500000", "Rp1,500,000"),
    ("en", P, "12.5%", "12.5", "12.5%"),
]

REFUSED = [
    # language, kind, typed, a part of the message
    ("id", N, "1.50.000", "1.500.000 atau 12,5"),
    ("id", N, "12.5", "koma menandai desimal"),
    ("id", N, "1,500,000.50", "koma menandai desimal"),
    ("id", N, "1.5e3", "tidak terbaca"),
    ("id", N, "lima puluh", "tidak terbaca"),
    ("id", N, "1.500 000", "tidak terbaca"),
    ("id", N, "Rp", "tidak terbaca"),
    ("id", P, "Rp12,5", "12,5%"),
    ("id", N, "12,5%", "tidak terbaca"),
    ("id", N, "nan", "tidak terbaca"),
    ("id", N, "Infinity", "tidak terbaca"),
    ("en", N, "1.500.000", "comma groups thousands"),
    ("en", N, "12,5", "comma groups thousands"),
    ("en", R, "Rp50.000.000", "Rp1,500,000"),
    ("en", N, "1,50,000", "1,500,000 or 12.5"),
]


@pytest.mark.parametrize(("language", "kind", "typed", "understood", "shown"), ACCEPTED)
def test_accepted(language: str, kind: NumberKind, typed: str, understood: str, shown: str) -> None:
    with translation.override(language):
        value = parse_number(typed, kind=kind)
        assert value == Decimal(understood)
        assert value is not None
        assert format_number(value, kind=kind) == shown


@pytest.mark.parametrize(("language", "kind", "typed", "says"), REFUSED)
def test_refused_with_an_example(language: str, kind: NumberKind, typed: str, says: str) -> None:
    with translation.override(language), pytest.raises(NumberNotUnderstood) as refused:
        parse_number(typed, kind=kind)
    assert says in refused.value.message
    assert typed.strip() in refused.value.message  # the person sees what they typed


def test_nothing_typed_is_no_value() -> None:
    assert parse_number("") is None
    assert parse_number("   ") is None
    assert parse_number(None) is None


def test_a_unit_follows_the_number() -> None:
    with translation.override("id"):
        assert format_number(Decimal("527500.000"), unit="dokumen") == "527.500 dokumen"


def test_the_field_checks_limits_and_whole_numbers_in_the_readers_notation() -> None:
    class Loss(forms.Form):
        amount = NumberField(kind=R, min_value=0, max_value=10**15, whole=True)

    with translation.override("id"):
        assert Loss({"amount": "Rp50.000.000"}).is_valid()
        refused = Loss({"amount": "Rp1.500,50"})
        assert not refused.is_valid()
        assert "bilangan bulat" in refused.errors["amount"][0]
        assert "Rp1.500" in refused.errors["amount"][0]
        too_big = Loss({"amount": "Rp2.000.000.000.000.000"})
        assert not too_big.is_valid()
        assert "Rp1.000.000.000.000.000" in too_big.errors["amount"][0]
        # Refused, the input shows what was typed, not a reformatted guess.
        assert 'value="Rp1.500,50"' in str(refused["amount"])


def test_the_input_shows_a_stored_value_in_the_readers_notation() -> None:
    widget = NumberInput(kind=R)
    with translation.override("id"):
        html = widget.render("amount", Decimal("50000000"))
        assert 'value="50.000.000"' in html and 'inputmode="decimal"' in html and "Rp" in html
    with translation.override("en"):
        assert 'value="50,000,000"' in widget.render("amount", Decimal("50000000"))


def _form_classes() -> list[type[forms.BaseForm]]:
    found: list[type[forms.BaseForm]] = []
    for module in pkgutil.walk_packages(cegah.__path__, "cegah."):
        if ".tests" in module.name or ".migrations" in module.name:
            continue
        loaded = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == loaded.__name__:
                found.append(cls)
    return found


NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def test_every_number_field_in_the_project_uses_the_shared_input() -> None:
    """A bare number field reads "50.000" as 50: every visible number goes through NumberField.
    Hidden fields (versions) and the list filters' day counts are not typed amounts."""
    forms_seen = _form_classes()
    assert len(forms_seen) > 15  # the walk found the project's forms
    offenders = []
    for form_class in forms_seen:
        fields: dict[str, forms.Field] = getattr(form_class, "base_fields", {})
        for name, field in fields.items():
            hidden = isinstance(field.widget, forms.HiddenInput)
            bare = isinstance(field, NUMERIC_FIELDS) or isinstance(field.widget, forms.NumberInput)
            if bare and not hidden and not isinstance(field, NumberField):
                offenders.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert offenders == [], offenders


def test_the_walk_catches_a_bare_number_field() -> None:
    class Careless(forms.Form):
        amount = forms.IntegerField()

    field = Careless.base_fields["amount"]
    assert isinstance(field, NUMERIC_FIELDS) and not isinstance(field, NumberField)


def test_no_template_shows_a_time_without_its_zone() -> None:
    """A time of day is shown through `pemda_time` ("15 April 2025, 23.59 WIB"), which names
    WIB, WITA or WIT; a bare `|date:"… H.i"` left the reader guessing which zone."""
    from pathlib import Path

    root = Path(cegah.__file__).resolve().parent.parent
    bare_time = re.compile(r"""\|\s*(date|time)\s*:\s*["'][^"']*[HGgh][^"']*["']""")
    offenders = [
        str(template.relative_to(root))
        for template in [
            *root.glob("cegah/*/templates/**/*.html"),
            *root.glob("templates/**/*.html"),
        ]
        if bare_time.search(template.read_text(encoding="utf-8"))
    ]
    assert offenders == [], offenders
