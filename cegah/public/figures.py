"""Every Pemda's published figures in one table: the open-data API's profile list and the bulk
CSV of a year. Read in a fixed number of queries, whatever the number of Pemda. Counts of WBS
reports, gratification reports and declarations stop at yesterday and go out through
`shown_count`: below five they are "< 5"."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from cegah.coi import selectors as coi
from cegah.mcp import score_selectors as scores
from cegah.regions.models import Pemda
from cegah.spi import selectors as spi
from cegah.upg import selectors as upg
from cegah.wbs import selectors as wbs
from cegah.zi import selectors as zi

SMALLEST = 5


def year_asked(asked: str) -> int:
    """The year a public page of counts shows: `?tahun=` from 2000 to that of yesterday (the
    last day counted), else that latest year."""
    latest = (timezone.localdate() - timedelta(days=1)).year
    asked = asked[:4]
    if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= latest:
        return int(asked)
    return latest


def shown_count(n: int) -> int | str:
    """A public count of reports, gifts or declarations: "< 5" below five, 0 included, as the
    pages show it (the `small_count` filter): a count that went from 0 to "< 5" overnight would
    say that someone reported that day."""
    return "< 5" if n < SMALLEST else n


@dataclass(frozen=True)
class Figures:
    pemda: Pemda
    year: int
    mcp_year: int | None
    mcp_score: Decimal | None
    mcp_rank_province: int | None
    spi_year: int | None
    spi_value: Decimal | None
    spi_category: str
    zi_wbk: int
    zi_wbbm: int
    wbs_reports: int | str
    wbs_closed: int | str
    gratification_reports: int | str
    conflict_declarations: int | str
    conflict_decisions: int | str


def cached_figures(*, year: int, marker: str, pemdas: list[Pemda]) -> list[Figures]:
    """figures_table of the Pemda given, from one table of every Pemda kept in the cache under
    the marker of what it shows (a publication, a load, yesterday's counts): the API's pages
    then cost their slice, not the whole country's counts each."""
    key = f"public:figures:{year}:{hashlib.sha256(marker.encode()).hexdigest()[:32]}"
    every: dict[int, Figures] | None = cache.get(key)
    if every is None:
        everyone = list(Pemda.objects.select_related("province").order_by("code"))
        every = {f.pemda.pk: f for f in figures_table(year=year, pemdas=everyone)}
        cache.set(key, every, 24 * 3600)
    return [every[p.pk] for p in pemdas if p.pk in every]


def figures_table(*, year: int, pemdas: list[Pemda]) -> list[Figures]:
    """One row per Pemda given, for `year` (its gratification and conflict counts; the latest
    MCP and SPI up to that year)."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    snapshot = next((s for s in scores.published_snapshots() if s.year <= year), None)
    mcp = (
        {
            pk: (score, rank)
            for pk, score, rank in scores.ranking(snapshot=snapshot).values_list(
                "pemda_id", "verified_score", "rank_province"
            )
        }
        if snapshot is not None
        else {}
    )
    spi_year = max((y for y in spi.years() if y <= year), default=None)
    spi_scores = {s.pemda_id: s.value for s in spi.scores_of_year(spi_year)} if spi_year else {}
    ref = spi.reference()
    held = zi.held_by_pemda()
    reports = wbs.public_counts_by_pemda(today=today)
    gifts = upg.counts_by_pemda(year=year, until=yesterday)
    declarations = coi.public_counts_by_pemda(year=year)
    rows = []
    for p in pemdas:
        score, rank = mcp.get(p.pk, (None, None))
        value = spi_scores.get(p.pk)
        category = spi.category(spi_year, value, ref) if spi_year and value is not None else None
        received, closed = reports.get(p.pk, (0, 0))
        declared, decided = declarations.get(p.pk, (0, 0))
        rows.append(
            Figures(
                pemda=p,
                year=year,
                mcp_year=snapshot.year if snapshot and score is not None else None,
                mcp_score=score,
                mcp_rank_province=rank,
                spi_year=spi_year if value is not None else None,
                spi_value=value,
                spi_category=category.code if category else "",
                zi_wbk=held.get(p.pk, {}).get("WBK", 0),
                zi_wbbm=held.get(p.pk, {}).get("WBBM", 0),
                wbs_reports=shown_count(received),
                wbs_closed=shown_count(closed),
                gratification_reports=shown_count(gifts.get(p.pk, 0)),
                conflict_declarations=shown_count(declared),
                conflict_decisions=shown_count(decided),
            )
        )
    return rows


COLUMNS = (
    "kode_pemda",
    "nama_pemda",
    "provinsi",
    "tahun",
    "mcp_tahun",
    "mcp_skor",
    "mcp_peringkat_provinsi",
    "spi_tahun",
    "spi_nilai",
    "spi_kategori",
    "zi_wbk",
    "zi_wbbm",
    "wbs_laporan",
    "wbs_selesai",
    "gratifikasi_laporan",
    "benturan_dinyatakan",
    "benturan_diputuskan",
)


def csv_row(f: Figures) -> list[object]:
    return [
        f.pemda.code,
        f.pemda.name,
        f.pemda.province.name,
        f.year,
        f.mcp_year or "",
        f.mcp_score if f.mcp_score is not None else "",
        f.mcp_rank_province or "",
        f.spi_year or "",
        f.spi_value if f.spi_value is not None else "",
        f.spi_category,
        f.zi_wbk,
        f.zi_wbbm,
        f.wbs_reports,
        f.wbs_closed,
        f.gratification_reports,
        f.conflict_declarations,
        f.conflict_decisions,
    ]
