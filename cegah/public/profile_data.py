"""One Pemda's integrity, read from every module through its selectors: MCP by year and area,
SPI by year with its category, Zona Integritas units, WBS counts and handling time, gratification
reports, conflict-of-interest declarations. Every count of reports, gifts or declarations stays
as of yesterday and is shown through `small_count` ("< 5" below five); a figure computed from
fewer than five (a median, a total value, a share) is not shown at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cegah.coi import selectors as coi
from cegah.mcp import score_selectors as scores
from cegah.regions.models import Pemda
from cegah.spi import selectors as spi
from cegah.upg import selectors as upg
from cegah.wbs import selectors as wbs
from cegah.zi import selectors as zi

SMALLEST = 5


@dataclass(frozen=True)
class McpYear:
    year: int
    score: Decimal | None
    category: str
    rank_province: int | None
    province_size: int | None
    rank_national: int | None
    national_size: int | None
    published_on: date | None
    imported: bool
    areas: dict[str, Decimal]


@dataclass(frozen=True)
class SpiYear:
    year: int
    value: Decimal
    category: spi.Category | None
    elements: list[tuple[str, Decimal | None]]
    national: Decimal | None
    source: str
    published_on: date | None


@dataclass(frozen=True)
class ZiUnit:
    unit: str
    opd: str
    predicate: str
    year: int
    revoked_on: date | None


@dataclass(frozen=True)
class WbsFigures:
    total: int
    closed: int
    median_days: float | None  # None below five closed reports
    by_type: list[tuple[str, int]]


@dataclass
class Profile:
    pemda: Pemda
    as_of: date
    mcp: list[McpYear] = field(default_factory=list)
    mcp_areas: list[Any] = field(default_factory=list)
    spi: list[SpiYear] = field(default_factory=list)
    zi: list[ZiUnit] = field(default_factory=list)
    wbs: WbsFigures | None = None
    upg: upg.PublicFigures | None = None
    coi: coi.Counts | None = None

    @property
    def chart(self) -> dict[str, Any]:
        """MCP and SPI by year, side by side (the Palembang seed reads them together)."""
        years = sorted(
            {m.year for m in self.mcp if m.score is not None} | {s.year for s in self.spi}
        )
        mcp_by = {m.year: m.score for m in self.mcp if m.score is not None}
        spi_by = {s.year: s.value for s in self.spi}
        return {
            "labels": years,
            "series": [
                {
                    "label": "MCP",
                    "values": [
                        float(mcp_by[y]) if mcp_by.get(y) is not None else None for y in years
                    ],
                    "colour": "#4e79a7",
                },
                {
                    "label": "SPI",
                    "values": [float(spi_by[y]) if y in spi_by else None for y in years],
                    "colour": "#e15759",
                },
            ],
        }


def _mcp(pemda: Pemda) -> tuple[list[McpYear], list[Any]]:
    history = scores.pemda_history(pemda=pemda)
    years = [
        McpYear(
            year=h.snapshot.year,
            score=h.total.verified_score if h.total else None,
            category=h.total.category if h.total else "",
            rank_province=h.total.rank_province if h.total else None,
            province_size=h.total.province_size if h.total else None,
            rank_national=h.total.rank_national if h.total else None,
            national_size=h.total.national_size if h.total else None,
            published_on=timezone.localtime(h.snapshot.published_at).date()
            if h.snapshot.published_at
            else None,
            imported=h.snapshot.imported,
            areas=h.areas,
        )
        for h in history
    ]
    if all(y.score is None for y in years):
        return [], []
    # One column per published year, as history_areas lines its scores up.
    return years, scores.history_areas(history)


def _spi(pemda: Pemda) -> list[SpiYear]:
    national = {n["year"]: Decimal(n["index"]) for n in spi.national_index()}
    names = spi.elements()
    ref = spi.reference()
    return [
        SpiYear(
            year=s.release.year,
            value=s.value,
            category=spi.category(s.release.year, s.value, ref),
            elements=[
                (name, Decimal(s.elements[code]) if code in s.elements else None)
                for code, name in names
            ],
            national=national.get(s.release.year),
            source=s.release.source_name,
            published_on=s.release.published_on,
        )
        for s in spi.scores_of(pemda=pemda)
    ]


def _zi(pemda: Pemda) -> list[ZiUnit]:
    return [
        ZiUnit(d.unit.name, d.unit.opd.name, d.predicate, d.year, d.revoked_on)
        for d in zi.published_designations(pemda=pemda.code)
    ]


def _wbs(pemda: Pemda, today: date) -> WbsFigures | None:
    stats = wbs.public_statistics(pemda=pemda, today=today)
    if not stats.total:
        return None
    return WbsFigures(
        total=stats.total,
        closed=stats.closed,
        median_days=stats.median_days if stats.closed >= SMALLEST else None,
        by_type=stats.by_type,
    )


def integrity_profile(*, pemda: Pemda, year: int | None = None) -> Profile:
    """Everything public about the Pemda, each module's section empty (None or []) when it
    holds nothing."""
    today = timezone.localdate()
    year = year or (today - timedelta(days=1)).year
    mcp_years, areas = _mcp(pemda)
    gifts = upg.public_figures(year=year, pemda=pemda)
    declarations = coi.public_counts(year=year, pemda=pemda)
    return Profile(
        pemda=pemda,
        as_of=today - timedelta(days=1),
        mcp=mcp_years,
        mcp_areas=areas,
        spi=_spi(pemda),
        zi=_zi(pemda),
        wbs=_wbs(pemda, today),
        upg=gifts if gifts.total else None,
        coi=declarations if declarations.declared else None,
    )
