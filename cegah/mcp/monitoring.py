"""In-year monitoring (pemantauan): the running, provisional state of every Pemda's report in the
year's current termin, as KPK's dashboard showed it: running self-assessed and verified scores
and the provisional rank in the province, documents required / uploaded / valid / rejected / in
review / missing, items returned and not yet sent again, and who is behind the schedule.

A constant number of queries whatever the number of Pemda: the counts are grouped in the
database, the Pemda and their scores read once each (docs/domain/mcp.md, "In-year monitoring").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.mcp import scoring
from cegah.mcp.models import (
    YEAR,
    Answer,
    Area,
    CatalogueVersion,
    Evidence,
    PemdaScore,
    Period,
    PeriodExtension,
    ScoreSnapshot,
    SubIndicator,
)
from cegah.mcp.selectors import current_catalogue
from cegah.regions.models import Pemda

S = Answer.State
SENT = (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW, S.APPROVED)
IN_REVIEW = (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW)
# "Behind the schedule": less than this share of the items handed in with this many days or
# fewer left before the Pemda's upload deadline. A reading aid for the coordinators, not a rule.
BEHIND_DAYS = 14
BEHIND_SHARE = Decimal("0.5")


@dataclass
class Counts:
    """Items and their documents. A document is required where the sub-indicator asks for one."""

    items: int = 0
    answered: int = 0
    sent: int = 0
    approved: int = 0
    returned: int = 0
    required: int = 0
    uploaded: int = 0
    valid: int = 0
    rejected: int = 0
    in_review: int = 0
    unsent: int = 0  # uploaded with an item not sent yet (a draft)

    @property
    def missing(self) -> int:
        return max(self.required - self.uploaded, 0)

    @property
    def sent_share(self) -> Decimal:
        return Decimal(self.sent) / self.items if self.items else Decimal(0)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class PemdaRow:
    pemda: Pemda
    counts: Counts
    self_score: Decimal | None
    verified_score: Decimal | None
    rank_province: int | None
    province_size: int | None
    deadline: datetime
    days_left: int

    @property
    def behind(self) -> bool:
        return self.days_left <= BEHIND_DAYS and self.counts.sent_share < BEHIND_SHARE

    @property
    def category(self) -> scoring.Category | None:
        return (
            scoring.category_for(self.verified_score) if self.verified_score is not None else None
        )


@dataclass
class Rollup:
    """A province's or the nation's figures: sums of the counts, mean of the running scores."""

    label: str
    code: str
    counts: Counts = field(default_factory=Counts)
    pemda: int = 0
    behind: int = 0
    self_total: Decimal = Decimal(0)
    verified_total: Decimal = Decimal(0)
    scored: int = 0

    def add(self, row: PemdaRow) -> None:
        self.counts.add(row.counts)
        self.pemda += 1
        self.behind += row.behind
        if row.verified_score is not None and row.self_score is not None:
            self.self_total += row.self_score
            self.verified_total += row.verified_score
            self.scored += 1

    @property
    def self_average(self) -> Decimal | None:
        return (self.self_total / self.scored).quantize(scoring.CENT) if self.scored else None

    @property
    def verified_average(self) -> Decimal | None:
        return (self.verified_total / self.scored).quantize(scoring.CENT) if self.scored else None


@dataclass
class Monitoring:
    year: int
    period: Period | None
    rows: list[PemdaRow]
    provinces: list[Rollup]
    nation: Rollup


def figures_marker(*, year: int, period: Period | None) -> str:
    """Changes whenever the figures may: an answer or its evidence changed in the termin (each
    such write sets the answer's updated_at), the working scores were recomputed, a deadline
    was extended, or the hour turned (the days left). Three indexed reads, no counting."""
    if period is None:
        return f"{year}:none"
    changed = Answer.objects.filter(period=period).aggregate(m=Max("updated_at"))["m"]
    computed = (
        ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.WORKING)
        .values_list("computed_at", flat=True)
        .first()
    )
    extended = PeriodExtension.objects.filter(period=period).aggregate(
        m=Max("granted_at"), n=Count("pk")
    )
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"{period.pk}:{period.updated_at}:{changed}:{computed}:{extended}:{hour}"


def current_period(*, year: int) -> Period | None:
    """The termin the running figures are of: the open one, else the latest opened."""
    return (
        Period.objects.filter(year=year)
        .exclude(state=Period.State.PLANNED)
        .order_by("-state", "-number")  # "open" sorts after "closed": the open one first
        .first()
    )


def _needs_document(sub: SubIndicator) -> bool:
    return bool(sub.evidence) or sub.answer_type == SubIndicator.AnswerType.DOCUMENT


def _subs(catalogue: CatalogueVersion) -> list[SubIndicator]:
    return list(
        SubIndicator.objects.filter(indicator__catalogue=catalogue).select_related(
            "indicator__area"
        )
    )


def _required(subs: Iterable[SubIndicator], kind: str) -> tuple[int, int]:
    applicable = [s for s in subs if s.indicator.applies_to(kind)]
    return len(applicable), sum(_needs_document(s) for s in applicable)


def _counted(
    period: Period, pemda_ids: Sequence[int] | None, doc_subs: set[int], *, by_area: bool = False
) -> dict[tuple[int, str], Counts]:
    """The answers of the termin counted per Pemda (and area), by state and by current document:
    one grouped query."""
    current = Evidence.objects.filter(answer=OuterRef("pk"), replaced_at__isnull=True)
    answers = Answer.objects.filter(period=period)
    if pemda_ids is not None:
        answers = answers.filter(pemda_id__in=list(pemda_ids))
    keys = ["pemda_id", "state", *(["sub_indicator__indicator__area__code"] if by_area else [])]
    grouped = (
        answers.annotate(has_document=Exists(current))
        .values(*keys)
        .annotate(
            n=Count("pk"),
            answered=Count("pk", filter=Q(value__isnull=False) | Q(has_document=True)),
            documents=Count("pk", filter=Q(sub_indicator_id__in=doc_subs, has_document=True)),
        )
        .order_by()
    )
    counts: dict[tuple[int, str], Counts] = defaultdict(Counts)
    for row in grouped:
        key = (row["pemda_id"], row.get("sub_indicator__indicator__area__code", ""))
        c = counts[key]
        state, documents = row["state"], row["documents"]
        c.answered += row["answered"]
        c.sent += row["n"] if state in SENT else 0
        c.approved += row["n"] if state == S.APPROVED else 0
        c.returned += row["n"] if state == S.RETURNED else 0
        c.uploaded += documents
        c.valid += documents if state == S.APPROVED else 0
        c.rejected += documents if state == S.RETURNED else 0
        c.in_review += documents if state in IN_REVIEW else 0
        c.unsent += documents if state == S.DRAFT else 0
    return counts


def _days_left(deadline: datetime, now: datetime) -> int:
    return (deadline - now).days if deadline >= now else -((now - deadline).days + 1)


def monitoring(*, year: int, pemdas: Sequence[Pemda] | None = None) -> Monitoring:
    """Every Pemda given (all when None), with province and national roll-ups."""
    period = current_period(year=year)
    catalogue = current_catalogue(year=year)
    chosen = (
        list(pemdas)
        if pemdas is not None
        else list(Pemda.objects.select_related("province").order_by("code"))
    )
    # A verifier's few Pemda add up to their own total, not the nation's.
    label = _("Nasional") if pemdas is None else _("Pemda yang Anda verifikasi")
    empty = Monitoring(year, period, [], [], Rollup(label, ""))
    if period is None or catalogue is None or not chosen:
        return empty
    subs = _subs(catalogue)
    doc_subs = {s.pk for s in subs if _needs_document(s)}
    ids = None if pemdas is None else [p.pk for p in chosen]
    counts = _counted(period, ids, doc_subs)
    working = ScoreSnapshot.objects.filter(year=year, state=ScoreSnapshot.State.WORKING).first()
    scores = {
        s.pemda_id: s
        for s in PemdaScore.objects.filter(snapshot=working, termin=YEAR).only(
            "pemda_id",
            "self_score",
            "verified_score",
            "rank_province",
            "province_size",
        )
    }
    extensions = dict(
        PeriodExtension.objects.filter(period=period).values_list("pemda_id", "upload_deadline")
    )
    needed = {kind: _required(subs, kind) for kind in Pemda.Kind.values}
    now = timezone.now()
    rows = []
    for pemda in chosen:
        c = counts.get((pemda.pk, ""), Counts())
        c.items, c.required = needed[pemda.kind]
        score = scores.get(pemda.pk)
        deadline = extensions.get(pemda.pk, period.upload_deadline)
        rows.append(
            PemdaRow(
                pemda,
                c,
                score.self_score if score else None,
                score.verified_score if score else None,
                score.rank_province if score else None,
                score.province_size if score else None,
                deadline,
                _days_left(deadline, now),
            )
        )
    return Monitoring(year, period, rows, *_rollups(rows, label))


def _rollups(rows: Sequence[PemdaRow], label: str) -> tuple[list[Rollup], Rollup]:
    provinces: dict[str, Rollup] = {}
    nation = Rollup(label, "")
    for row in rows:
        province = row.pemda.province
        provinces.setdefault(province.code, Rollup(province.name, province.code)).add(row)
        nation.add(row)
    return [provinces[code] for code in sorted(provinces)], nation


@dataclass(frozen=True)
class AreaRow:
    area: Area
    counts: Counts


def pemda_areas(*, pemda: Pemda, year: int) -> list[AreaRow]:
    """One Pemda's figures per area of the year's catalogue, in the catalogue's order."""
    period = current_period(year=year)
    catalogue = current_catalogue(year=year)
    if period is None or catalogue is None:
        return []
    subs = [s for s in _subs(catalogue) if s.indicator.applies_to(pemda.kind)]
    doc_subs = {s.pk for s in subs if _needs_document(s)}
    counts = _counted(period, [pemda.pk], doc_subs, by_area=True)
    rows = []
    for area in catalogue.areas.order_by("position"):
        mine = [s for s in subs if s.indicator.area_id == area.pk]
        c = counts.get((pemda.pk, area.code), Counts())
        c.items, c.required = len(mine), sum(_needs_document(s) for s in mine)
        rows.append(AreaRow(area, c))
    return rows


SORTS = {
    "nama": lambda r: (r.pemda.name,),
    "provinsi": lambda r: (r.pemda.province.name, r.pemda.code),
    "skor": lambda r: (-(r.verified_score or Decimal(-1)), r.pemda.code),
    "mandiri": lambda r: (-(r.self_score or Decimal(-1)), r.pemda.code),
    "hilang": lambda r: (-r.counts.missing, r.pemda.code),
    "dikembalikan": lambda r: (-r.counts.returned, r.pemda.code),
    "terkirim": lambda r: (r.counts.sent_share, r.pemda.code),
}


def filtered(
    rows: Sequence[PemdaRow],
    *,
    province: str = "",
    kind: str = "",
    behind_only: bool = False,
    query: str = "",
    sort: str = "provinsi",
) -> list[PemdaRow]:
    chosen = [
        r
        for r in rows
        if (not province or r.pemda.province.code == province)
        and (not kind or r.pemda.kind == kind)
        and (not behind_only or r.behind)
        and all(w.lower() in r.pemda.name.lower() for w in query.split()[:5])
    ]
    return sorted(chosen, key=SORTS.get(sort, SORTS["provinsi"]))
