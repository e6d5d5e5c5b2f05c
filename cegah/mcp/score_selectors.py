"""Reads of published MCP scores for the public pages, exports and the open-data API, and what
publishing or recomputing a year covers, for the Koordinator's confirm pages.

The public readers get published snapshots only; the working snapshot and answers in progress
are read only by `score_run` and `unfinished_work`, which count them for the Koordinator.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.mcp import scoring
from cegah.mcp.models import (
    YEAR,
    Answer,
    Area,
    AreaScore,
    Award,
    IndicatorScore,
    PemdaScore,
    Period,
    ScoreJob,
    ScoreSnapshot,
)
from cegah.mcp.selectors import answers_with_history
from cegah.mcp.workflows import UNDECIDED_STATES
from cegah.regions.models import Pemda, Province


def published_snapshots() -> QuerySet[ScoreSnapshot]:
    """The latest published version of each year, newest year first."""
    latest = (
        ScoreSnapshot.objects.filter(state=ScoreSnapshot.State.PUBLISHED, year=OuterRef("year"))
        .order_by("-version")
        .values("pk")[:1]
    )
    return (
        ScoreSnapshot.objects.filter(state=ScoreSnapshot.State.PUBLISHED, pk=Subquery(latest))
        .select_related("catalogue")
        .order_by("-year")
    )


def published(year: int) -> ScoreSnapshot | None:
    return published_snapshots().filter(year=year).first()


def versions_of(year: int) -> QuerySet[ScoreSnapshot]:
    return ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.PUBLISHED).order_by(
        "-version"
    )


RANKING_SORTS = {
    "peringkat": ("-verified_score", "pemda__code"),
    "nama": ("pemda__name",),
    "provinsi": ("pemda__province__name", "-verified_score", "pemda__code"),
    "kenaikan": ("-verified_score",),
}


RANKING_PAGE_SIZE = 50


def ranking(
    *,
    snapshot: ScoreSnapshot,
    kind: str = "",
    province: str = "",
    query: str = "",
    sort: str = "peringkat",
) -> QuerySet[PemdaScore]:
    qs = PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).select_related("pemda__province")
    if kind in Pemda.Kind.values:
        qs = qs.filter(pemda__kind=kind)
    if province:
        qs = qs.filter(pemda__province__code=province)
    for word in query.split()[:5]:
        qs = qs.filter(Q(pemda__name__icontains=word) | Q(pemda__province__name__icontains=word))
    return qs.order_by(*RANKING_SORTS.get(sort, RANKING_SORTS["peringkat"]))


def ranking_page(
    *,
    snapshot: ScoreSnapshot,
    kind: str,
    province: str = "",
    query: str = "",
    sort: str = "peringkat",
    number: str | int | None = None,
) -> Page[PemdaScore]:
    """One page of one kind's ranking: a province, a kabupaten and a kota are ranked apart, so
    they are listed apart. A page past the last is the last."""
    rows = ranking(snapshot=snapshot, kind=kind, province=province, query=query, sort=sort)
    return Paginator(rows, RANKING_PAGE_SIZE).get_page(number)


def ranking_kind_counts(
    *, snapshot: ScoreSnapshot, province: str = "", query: str = ""
) -> dict[str, int]:
    """How many Pemda of each kind match the search, in one query: the page links each kind."""
    matching = ranking(snapshot=snapshot, province=province, query=query).order_by()
    counted = dict(matching.values_list("pemda__kind").annotate(n=Count("pk")))
    return {kind: counted.get(kind, 0) for kind in Pemda.Kind.values}


@dataclass(frozen=True)
class NationalSummary:
    average: Decimal | None
    categories: list[tuple[scoring.Category, int]]
    areas: list[tuple[str, str, Decimal]]  # code, name, average
    trend: list[tuple[int, Decimal]]


def national_summary(*, snapshot: ScoreSnapshot) -> NationalSummary:
    rows = PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR)
    counts = dict(rows.values_list("category").annotate(n=Count("pk")))
    # The year's areas, read once: their names, and the order the averages are shown in.
    year_areas = snapshot_areas(snapshot)
    area_names = dict(year_areas)
    areas = [
        (code, area_names.get(code, code), Decimal(avg).quantize(scoring.CENT))
        for code, avg in AreaScore.objects.filter(snapshot=snapshot, termin=YEAR)
        .values_list("area_code")
        .annotate(avg=Avg("verified_score"))
        .order_by("area_code")
    ]
    order = [code for code, _name in year_areas]
    areas.sort(key=lambda a: order.index(a[0]) if a[0] in order else 99)
    trend = [
        (year, Decimal(avg).quantize(scoring.CENT))
        for year, avg in PemdaScore.objects.filter(snapshot__in=published_snapshots(), termin=YEAR)
        .values_list("snapshot__year")
        .annotate(avg=Avg("verified_score"))
        .order_by("snapshot__year")
    ]
    average = rows.aggregate(avg=Avg("verified_score"))["avg"]
    return NationalSummary(
        Decimal(average).quantize(scoring.CENT) if average is not None else None,
        [(c, counts.get(c.code, 0)) for c in scoring.categories()],
        areas,
        trend,
    )


@dataclass(frozen=True)
class ProvinceTile:
    province: Province
    row: int
    col: int
    average: Decimal | None
    category: scoring.Category | None


@cache
def _tile_positions() -> dict[str, tuple[int, int]]:
    path = Path(settings.BASE_DIR) / "data" / "regions" / "province_tiles.csv"
    with path.open(encoding="utf-8") as f:
        return {r["code"]: (int(r["row"]), int(r["col"])) for r in csv.DictReader(f)}


def province_tiles(*, snapshot: ScoreSnapshot) -> list[ProvinceTile]:
    """Each province with the average of all its Pemda (its own government included)."""
    averages = dict(
        PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR)
        .values_list("pemda__province_id")
        .annotate(avg=Avg("verified_score"))
    )
    tiles = []
    for province in Province.objects.order_by("code"):
        row, col = _tile_positions().get(province.code, (8, 1))
        avg = averages.get(province.pk)
        value = Decimal(avg).quantize(scoring.CENT) if avg is not None else None
        category = scoring.category_for(value) if value is not None else None  # 0.00 is red
        tiles.append(ProvinceTile(province, row, col, value, category))
    return tiles


def awards_of(*, snapshot: ScoreSnapshot) -> QuerySet[Award]:
    return Award.objects.filter(snapshot=snapshot).select_related("pemda__province")


@dataclass(frozen=True)
class YearScore:
    snapshot: ScoreSnapshot
    total: PemdaScore | None
    areas: dict[str, Decimal]


def pemda_history(*, pemda: Pemda) -> list[YearScore]:
    """The Pemda's published yearly scores, oldest first, each with its area scores."""
    snapshots = list(published_snapshots().order_by("year"))
    totals = {
        r.snapshot_id: r
        for r in PemdaScore.objects.filter(snapshot__in=snapshots, pemda=pemda, termin=YEAR)
    }
    areas: dict[int, dict[str, Decimal]] = {}
    for snapshot_id, code, score in AreaScore.objects.filter(
        snapshot__in=snapshots, pemda=pemda, termin=YEAR
    ).values_list("snapshot_id", "area_code", "verified_score"):
        areas.setdefault(snapshot_id, {})[code] = score
    return [YearScore(s, totals.get(s.pk), areas.get(s.pk, {})) for s in snapshots]


@dataclass(frozen=True)
class HistoryArea:
    """One area across the published years: its name in each year's own catalogue (an area
    renamed between catalogues shows both names), and its score in each year (None where that
    year's catalogue had no such area)."""

    code: str
    names: list[tuple[int, str]]  # (first year of the name, name), oldest first
    scores: list[Decimal | None]  # one per year of the history


def history_areas(history: list[YearScore]) -> list[HistoryArea]:
    """Every area of every year shown, under its own year's name: the latest year's order
    first, then areas that only older years had, in their order. One query."""
    by_snapshot = _areas_of([h.snapshot for h in history])
    order: list[str] = []
    for h in reversed(history):  # the latest year first
        for code, _name in by_snapshot[h.snapshot.pk]:
            if code not in order:
                order.append(code)
    rows = []
    for code in order:
        names: list[tuple[int, str]] = []
        for h in history:
            found = dict(by_snapshot[h.snapshot.pk]).get(code)
            if found is not None and (not names or names[-1][1] != found):
                names.append((h.snapshot.year, found))
        rows.append(HistoryArea(code, names, [h.areas.get(code) for h in history]))
    return rows


def _areas_of(snapshots: list[ScoreSnapshot]) -> dict[int, list[tuple[str, str]]]:
    """Each snapshot's areas as (code, name), in order: its catalogue's, or for an imported
    year without one, those its file named. One query for all."""
    by_catalogue: dict[int, list[tuple[str, str]]] = {}
    catalogue_ids = {s.catalogue_id for s in snapshots if s.catalogue_id is not None}
    for area in Area.objects.filter(catalogue_id__in=catalogue_ids).order_by("position"):
        by_catalogue.setdefault(area.catalogue_id, []).append((area.code, area.name))
    return {
        s.pk: by_catalogue.get(s.catalogue_id, [])
        if s.catalogue_id is not None
        else [(a["code"], a["name"]) for a in s.area_names]
        for s in snapshots
    }


def snapshot_areas(snapshot: ScoreSnapshot) -> list[tuple[str, str]]:
    """The published year's areas as (code, name), in the year's order."""
    return _areas_of([snapshot])[snapshot.pk]


def termin_scores(*, snapshot: ScoreSnapshot, pemda: Pemda) -> QuerySet[PemdaScore]:
    return PemdaScore.objects.filter(snapshot=snapshot, pemda=pemda, termin__gt=0).order_by(
        "termin"
    )


def indicator_scores(*, snapshot: ScoreSnapshot, pemda: Pemda) -> dict[str, IndicatorScore]:
    return {
        s.indicator_code: s for s in IndicatorScore.objects.filter(snapshot=snapshot, pemda=pemda)
    }


@dataclass(frozen=True)
class UnmetIndicator:
    code: str
    name: str
    score: Decimal


def unmet_indicators(*, snapshot: ScoreSnapshot, pemda: Pemda) -> list[UnmetIndicator]:
    """Every indicator the Pemda did not fully meet in the published year, lowest score first."""
    names = (
        {i.code: i.name for i in snapshot.catalogue.indicators.only("code", "name_id", "name_en")}
        if snapshot.catalogue is not None
        else {}
    )
    unmet = IndicatorScore.objects.filter(
        snapshot=snapshot, pemda=pemda, verified_score__lt=Decimal(100)
    ).order_by("verified_score", "indicator_code")
    return [
        UnmetIndicator(
            s.indicator_code, names.get(s.indicator_code, s.indicator_code), s.verified_score
        )
        for s in unmet
    ]


def verified_basis(*, snapshot: ScoreSnapshot, pemda: Pemda) -> QuerySet[Answer]:
    """The approved answers of the year's last termin behind a published score, with their
    decisions and current evidence titles (never the files)."""
    last = Answer.objects.filter(pemda=pemda, period__year=snapshot.year).aggregate(
        n=Max("period__number")
    )["n"]
    return (
        answers_with_history()
        .filter(
            pemda=pemda,
            period__year=snapshot.year,
            period__number=last or 0,
            state=Answer.State.APPROVED,
        )
        .select_related("sub_indicator__indicator")
        .order_by("sub_indicator__indicator__position", "sub_indicator__position")
    )


def bulk_file(*, snapshot: ScoreSnapshot) -> ScoreJob | None:
    """The finished full-data export of this published version, if one was made."""
    return (
        ScoreJob.objects.filter(
            snapshot=snapshot, kind=ScoreJob.Kind.EXPORT, state=ScoreJob.State.DONE
        )
        .exclude(file="")
        .order_by("-finished_at")
        .first()
    )


# --- What publishing or recomputing a year covers (the Koordinator's confirm pages) -----------


@dataclass(frozen=True)
class Unfinished:
    """What is still open in a year: termin open for reporting, items waiting for a verifier
    (with the Pemda that have most of them first, when read live)."""

    open_termins: tuple[int, ...] = ()
    undecided: int = 0
    undecided_pemdas: int = 0
    by_pemda: tuple[tuple[str, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.open_termins or self.undecided)

    def record(self) -> dict[str, object]:
        """What a published version keeps of it (`ScoreSnapshot.unfinished`)."""
        if not self:
            return {}
        return {
            "open_termins": list(self.open_termins),
            "undecided": self.undecided,
            "undecided_pemdas": self.undecided_pemdas,
        }

    @classmethod
    def of(cls, snapshot: ScoreSnapshot) -> Unfinished:
        """What was unfinished when the snapshot was published."""
        kept = snapshot.unfinished or {}
        return cls(
            tuple(int(n) for n in kept.get("open_termins", [])),
            int(kept.get("undecided", 0)),
            int(kept.get("undecided_pemdas", 0)),
        )

    def lines(self) -> list[str]:
        """Each unfinished thing as a sentence in the reader's language, numbers as they read
        them ("1.260 item")."""
        said = [_("Termin %(number)d masih dibuka.") % {"number": n} for n in self.open_termins]
        if self.undecided:
            said.append(
                ngettext(
                    "%(count)s item dari %(pemdas)s Pemda masih menunggu keputusan verifikator.",
                    "%(count)s item dari %(pemdas)s Pemda masih menunggu keputusan verifikator.",
                    self.undecided,
                )
                % {"count": intcomma(self.undecided), "pemdas": intcomma(self.undecided_pemdas)}
            )
        return said


def unfinished_work(*, year: int, pemdas_named: int = 10) -> Unfinished:
    """The year's open termin and undecided items, naming the `pemdas_named` Pemda with most."""
    open_termins = tuple(
        Period.objects.filter(year=year, state=Period.State.OPEN)
        .order_by("number")
        .values_list("number", flat=True)
    )
    by_pemda = list(
        Answer.objects.filter(period__year=year, state__in=UNDECIDED_STATES)
        .values_list("pemda__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "pemda__name")
    )
    return Unfinished(
        open_termins,
        sum(n for _name, n in by_pemda),
        len(by_pemda),
        tuple(by_pemda[:pemdas_named]),
    )


@dataclass(frozen=True)
class ScoreRun:
    """What recomputing or publishing a year's scores reads and replaces."""

    year: int
    pemdas: int
    answers: int
    approved: int
    published: ScoreSnapshot | None  # the latest published version
    unfinished: Unfinished
    last_recompute: ScoreJob | None  # the newest recompute started for the year

    @property
    def next_version(self) -> int:
        return self.published.version + 1 if self.published else 1


def score_run(*, year: int) -> ScoreRun:
    counted = Answer.objects.filter(period__year=year).aggregate(
        answers=Count("pk"), approved=Count("pk", filter=Q(state=Answer.State.APPROVED))
    )
    return ScoreRun(
        year,
        Pemda.objects.count(),
        counted["answers"],
        counted["approved"],
        versions_of(year).select_related("published_by").first(),
        unfinished_work(year=year),
        latest_recompute(year=year),
    )


def latest_recompute(*, year: int) -> ScoreJob | None:
    return ScoreJob.objects.filter(year=year, kind=ScoreJob.Kind.RECOMPUTE).order_by("-pk").first()
