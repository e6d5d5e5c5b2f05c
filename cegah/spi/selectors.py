"""Reads of SPI: the reference data, a score's category in its year, a year's current scores,
a Pemda's scores by year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from cegah.core.i18n import text_in_reader_language
from cegah.regions.models import Pemda

from .models import Reference, Release, Score


def reference() -> Reference | None:
    return Reference.objects.order_by("-version").first()


def elements() -> list[tuple[str, str]]:
    ref = reference()
    if ref is None:
        return []
    return [(e["code"], text_in_reader_language(e["name"])) for e in ref.structure["elements"]]


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    colour: str


def category(year: int, value: Decimal, ref: Reference | None = None) -> Category | None:
    """The band of the categories in force in the year (none before the first: 2024)."""
    ref = ref or reference()
    if ref is None:
        return None
    in_force = [c for c in ref.structure["categories"] if c["from_year"] <= year]
    if not in_force:
        return None
    bands = in_force[-1]["bands"]
    # Scores are published with two decimals: 72.9 is rentan, 73 waspada (no score lies between).
    band = [b for b in bands if value >= Decimal(b["min"])][-1]
    return Category(band["code"], text_in_reader_language(band["name"]), band["colour"])


def national_index() -> list[dict[str, Any]]:
    ref = reference()
    return [] if ref is None else list(ref.structure["national"])


def current_release(year: int) -> Release | None:
    return Release.objects.filter(year=year, is_current=True).first()


def releases() -> QuerySet[Release]:
    return Release.objects.order_by("-year", "-version")


def scores_of_year(year: int) -> QuerySet[Score]:
    return Score.objects.filter(release__year=year, release__is_current=True).select_related(
        "pemda__province", "release"
    )


def scores_of(*, pemda: Pemda) -> list[Score]:
    """The Pemda's current score each year, oldest first."""
    return list(
        Score.objects.filter(pemda=pemda, release__is_current=True)
        .select_related("release")
        .order_by("release__year")
    )


def years() -> list[int]:
    return sorted(set(Release.objects.filter(is_current=True).values_list("year", flat=True)))
