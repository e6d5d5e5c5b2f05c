"""Reads of the MCP domain. Views scope everything through here and `accounts.selectors`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple, cast

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cegah.accounts.models import User, VerifierAssignment
from cegah.core.i18n import in_reader_language, text_in_reader_language
from cegah.core.numbers import format_number
from cegah.mcp.access import operator_opd_ids, verifiable_q
from cegah.mcp.workflows import UNDECIDED_STATES
from cegah.regions.models import Pemda

from .models import (
    Answer,
    Area,
    CatalogueVersion,
    Comment,
    Decision,
    Evidence,
    Indicator,
    IndicatorAssignment,
    IndicatorLineage,
    Period,
    PeriodExtension,
    SubIndicator,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- Catalogue -------------------------------------------------------------------------------


def catalogue_years() -> list[int]:
    return sorted(set(CatalogueVersion.objects.values_list("year", flat=True)), reverse=True)


def catalogue_versions(*, year: int) -> QuerySet[CatalogueVersion]:
    """A year's versions, latest correction first."""
    return CatalogueVersion.objects.filter(year=year).order_by("-version")


def current_catalogue(*, year: int) -> CatalogueVersion | None:
    """The version in force for a year: the latest correction."""
    return catalogue_versions(year=year).first()


def current_catalogue_id(*, year: int) -> Subquery:
    """current_catalogue's id as a subquery: a filter on it costs no round trip of its own."""
    return Subquery(catalogue_versions(year=year).values("pk")[:1])


def newest_areas() -> QuerySet[Area]:
    """The areas of the newest catalogue, in order: filters offer them by code, which stays the
    same from year to year."""
    newest = CatalogueVersion.objects.order_by("-year", "-version").values("pk")[:1]
    return Area.objects.filter(catalogue=Subquery(newest)).order_by("position")


def applicable_q(kind: str, prefix: str = "") -> Q:
    """Indicators that apply to a kind of Pemda (provinsi, kabupaten or kota)."""
    return Q(**{f"{prefix}applies_{kind}": True})


def _search_q(query: str) -> Q:
    """Every word must appear somewhere in the indicator or one of its sub-indicators."""
    condition = Q()
    for word in query.split()[:8]:
        in_subs = SubIndicator.objects.filter(
            Q(code__icontains=word)
            | Q(question_id__icontains=word)
            | Q(question_en__icontains=word)
            | Q(guidance_id__icontains=word)
            | Q(guidance_en__icontains=word)
        ).values("indicator_id")
        condition &= (
            Q(code__icontains=word)
            | Q(name_id__icontains=word)
            | Q(name_en__icontains=word)
            | Q(area__name_id__icontains=word)
            | Q(area__name_en__icontains=word)
            | Q(pk__in=in_subs)
        )
    return condition


def catalogue_areas(
    *, catalogue: CatalogueVersion, query: str = "", aspect: str = ""
) -> Sequence[Area]:
    """The areas of a catalogue, each with `.shown` indicators (matching the query and, when
    given, of one aspect) and their sub-indicators, in four queries whatever the size."""
    indicators = Indicator.objects.filter(catalogue=catalogue).filter(_search_q(query))
    if aspect:
        indicators = indicators.filter(aspect=aspect)
    indicators = (
        indicators.select_related("sasaran")
        .prefetch_related("sub_indicators", "lineage")
        .order_by("position")
    )
    areas = list(
        catalogue.areas.prefetch_related(
            Prefetch("indicators", queryset=indicators, to_attr="shown")
        )
    )
    return [a for a in areas if a.shown] if query.strip() or aspect else areas


def aspect_counts(*, catalogue: CatalogueVersion) -> list[tuple[str, str, int]]:
    """Each aspect of the catalogue with its name and how many indicators it groups."""
    counted = dict(
        Indicator.objects.filter(catalogue=catalogue)
        .values_list("aspect")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (a["code"], catalogue.aspect_name(a["code"]), counted.get(a["code"], 0))
        for a in catalogue.aspects
    ]


def applicable_indicators(*, catalogue: CatalogueVersion, pemda: Pemda) -> QuerySet[Indicator]:
    return Indicator.objects.filter(catalogue=catalogue).filter(applicable_q(pemda.kind))


# --- Changes between two years -----------------------------------------------------------------


@dataclass
class IndicatorChange:
    indicator: Indicator
    previous: list[Indicator] = field(default_factory=list)
    old_weight: Decimal | None = None

    @property
    def moved(self) -> bool:
        return bool(self.previous) and self.previous[0].area.code != self.indicator.area.code

    @property
    def renamed(self) -> bool:
        return bool(self.previous) and self.previous[0].name != self.indicator.name

    @property
    def reweighted(self) -> bool:
        return self.old_weight is not None and self.old_weight != self.indicator.weight


@dataclass
class CatalogueChanges:
    catalogue: CatalogueVersion
    previous: CatalogueVersion
    added: list[IndicatorChange] = field(default_factory=list)
    removed: list[Indicator] = field(default_factory=list)
    split: list[IndicatorChange] = field(default_factory=list)
    merged: list[IndicatorChange] = field(default_factory=list)
    continued: list[IndicatorChange] = field(default_factory=list)

    @property
    def moved(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.moved]

    @property
    def renamed(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.renamed]

    @property
    def reweighted(self) -> list[IndicatorChange]:
        return [c for c in self.continued if c.reweighted]


def catalogue_changes(*, year: int) -> CatalogueChanges | None:
    """What changed in a year's catalogue against the year before, following the mapping the
    catalogue states (continues, split, merge; a same-code indicator continues)."""
    new, old = current_catalogue(year=year), current_catalogue(year=year - 1)
    if new is None or old is None:
        return None
    old_by_code = {
        i.code: i for i in Indicator.objects.filter(catalogue=old).select_related("area")
    }
    changes = CatalogueChanges(catalogue=new, previous=old)
    referenced: set[str] = set()
    indicators = (
        Indicator.objects.filter(catalogue=new)
        .select_related("area")
        .prefetch_related(Prefetch("lineage", queryset=IndicatorLineage.objects.order_by("pk")))
        .order_by("area__position", "position")
    )
    for indicator in indicators:
        links = list(indicator.lineage.all())
        previous = [old_by_code[x.previous_code] for x in links if x.previous_code in old_by_code]
        referenced.update(x.previous_code for x in links)
        change = IndicatorChange(indicator, previous)
        if not links:
            changes.added.append(change)
        elif links[0].kind == IndicatorLineage.Kind.SPLIT:
            changes.split.append(change)
        elif links[0].kind == IndicatorLineage.Kind.MERGE:
            changes.merged.append(change)
        else:
            change.old_weight = previous[0].weight if previous else None
            changes.continued.append(change)
    changes.removed = [i for code, i in old_by_code.items() if code not in referenced]
    return changes


# --- Periods ------------------------------------------------------------------------------------


def periods_of(*, year: int) -> QuerySet[Period]:
    return Period.objects.filter(year=year).prefetch_related(
        Prefetch(
            "extensions",
            queryset=PeriodExtension.objects.select_related("pemda", "granted_by"),
        )
    )


def open_period(*, year: int | None = None, pemda: Pemda | None = None) -> Period | None:
    """The open termin. With a Pemda, its deadline for that Pemda comes in the same query, and
    upload_deadline_for then reads it from there."""
    qs = Period.objects.filter(state=Period.State.OPEN).order_by("-year")
    if pemda is not None:
        extended = PeriodExtension.objects.filter(period=OuterRef("pk"), pemda=pemda)
        qs = qs.annotate(
            deadline_of_pemda=Coalesce(
                Subquery(extended.values("upload_deadline")[:1]), F("upload_deadline")
            ),
            deadline_pemda_id=Value(pemda.pk, output_field=IntegerField()),
        )
    return (qs.filter(year=year) if year else qs).first()


def upload_deadline_for(*, period: Period, pemda: Pemda) -> datetime:
    """The deadline that applies to this Pemda: its extension, if the Koordinator granted one."""
    if getattr(period, "deadline_pemda_id", None) == pemda.pk:
        deadline: datetime = period.deadline_of_pemda  # type: ignore[attr-defined]
        return deadline
    extension = PeriodExtension.objects.filter(period=period, pemda=pemda).first()
    return extension.upload_deadline if extension else period.upload_deadline


# --- Assignment ---------------------------------------------------------------------------------


def assignment_board(*, catalogue: CatalogueVersion, pemda: Pemda) -> Sequence[Area]:
    """Areas with the indicators that apply to the Pemda, each with `.assigned` OPD."""
    assigned = IndicatorAssignment.objects.filter(pemda=pemda).select_related("opd")
    indicators = (
        applicable_indicators(catalogue=catalogue, pemda=pemda)
        .prefetch_related(
            Prefetch("assignments", queryset=assigned.order_by("opd__name"), to_attr="assigned")
        )
        .order_by("position")
    )
    areas = catalogue.areas.prefetch_related(
        Prefetch("indicators", queryset=indicators, to_attr="shown")
    )
    return [a for a in areas if a.shown]


def indicators_for_operator(*, user: User, catalogue: CatalogueVersion) -> QuerySet[Indicator]:
    """Only what the Admin Pemda assigned to the operator's own OPD."""
    return (
        Indicator.objects.filter(
            catalogue=catalogue, assignments__opd_id__in=operator_opd_ids(user=user)
        )
        .distinct()
        .select_related("area")
        .prefetch_related("sub_indicators")
        .order_by("area__position", "position")
    )


# --- Reporting ----------------------------------------------------------------------------------


# Where an item stands in the Pemda's work, in the words of the work list's filter (and its
# address): still to fill in, complete but not sent, with the verifier, returned, approved.
UNFILLED = "belum-diisi"
READY = "siap-dikirim"
WAITING = "menunggu-verifikasi"
RETURNED = "dikembalikan"
APPROVED = "disetujui"
WORK_STATES: tuple[tuple[str, StrOrPromise], ...] = (
    (UNFILLED, gettext_lazy("Belum diisi")),
    (RETURNED, gettext_lazy("Dikembalikan")),
    (READY, gettext_lazy("Lengkap, belum dikirim")),
    (WAITING, gettext_lazy("Menunggu verifikasi")),
    (APPROVED, gettext_lazy("Disetujui")),
)
# Still the Pemda's to act on before its upload deadline.
WITH_PEMDA = (UNFILLED, RETURNED, READY)


@dataclass
class WorkRow:
    """One sub-indicator of a Pemda's report in a termin, with everything its row shows."""

    sub: SubIndicator
    answer: Answer | None
    # Whether the page shows the row's forms or only its summary (opened on demand).
    expanded: bool = False
    # Counted by the database when the row is read for its summary, without its history.
    evidence_count: int | None = None
    # A digest of every value the row's summary shows, and its HTML when the fragment cache
    # had it (`cached_summaries`).
    cache_key: str = ""
    cached_summary: str = ""

    @property
    def state(self) -> str:
        return self.answer.state if self.answer else Answer.State.DRAFT

    @property
    def is_returned(self) -> bool:
        return self.state == Answer.State.RETURNED

    @property
    def revisions(self) -> list[Evidence]:
        return list(self.answer.evidence.all()) if self.answer else []

    @property
    def current_evidence(self) -> Evidence | None:
        return next((e for e in self.revisions if e.replaced_at is None), None)

    @property
    def current_evidence_count(self) -> int:
        if self.evidence_count is not None:
            return self.evidence_count
        return sum(e.replaced_at is None for e in self.revisions)

    @property
    def last_decision(self) -> Decision | None:
        return next(iter(self.answer.decisions.all()), None) if self.answer else None

    @property
    def comments(self) -> list[Comment]:
        return list(self.answer.comments.all()) if self.answer else []

    @property
    def complete(self) -> bool:
        value = self.answer.value if self.answer else None
        return self.sub.is_complete(value, self.current_evidence_count > 0)

    @property
    def work_state(self) -> str:
        """One of WORK_STATES: what the item waits for."""
        state = self.state
        if state == Answer.State.APPROVED:
            return APPROVED
        if state == Answer.State.RETURNED:
            return RETURNED
        if state in UNDECIDED_STATES:
            return WAITING
        return READY if self.complete else UNFILLED

    @property
    def work_state_label(self) -> str:
        return str(dict(WORK_STATES)[self.work_state])

    @property
    def done(self) -> bool:
        """Really done for now: complete and sent, or complete and waiting to be sent. A
        returned item is not, whatever it holds: the verifier asked for a change."""
        return self.work_state in (READY, WAITING, APPROVED)

    @property
    def editable(self) -> bool:
        return self.answer is None or self.answer.editable_by_pemda

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


def answers_with_history() -> QuerySet[Answer]:
    return Answer.objects.select_related("updated_by").prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("uploaded_by", "stored_file").order_by(
                "-revision"
            ),
        ),
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    )


def work_subs(
    *,
    pemda: Pemda,
    period: Period,
    opd_ids: list[int] | None = None,
    sub_indicator_ids: list[int] | None = None,
) -> QuerySet[SubIndicator]:
    """The Pemda's sub-indicators for the termin (only the given OPD's when opd_ids is set), in
    catalogue order."""
    subs = SubIndicator.objects.filter(
        indicator__catalogue=current_catalogue_id(year=period.year)
    ).filter(applicable_q(pemda.kind, "indicator__"))
    if opd_ids is not None:
        subs = subs.filter(
            indicator__assignments__opd_id__in=opd_ids, indicator__assignments__pemda=pemda
        ).distinct()
    if sub_indicator_ids is not None:
        subs = subs.filter(pk__in=sub_indicator_ids)
    return subs.select_related("indicator__area").order_by(
        "indicator__area__position", "indicator__position", "position"
    )


def work_rows(
    *,
    pemda: Pemda,
    period: Period,
    opd_ids: list[int] | None = None,
    sub_indicator_ids: list[int] | None = None,
    with_history: bool = True,
) -> list[WorkRow]:
    """work_subs with their answers and histories, in a fixed number of queries. Without
    history: what a row's summary shows (state, answer, evidence count, the last decision)."""
    sub_list = list(
        work_subs(pemda=pemda, period=period, opd_ids=opd_ids, sub_indicator_ids=sub_indicator_ids)
    )
    answers = answers_with_history() if with_history else _answers_summarised()
    by_sub = {
        a.sub_indicator_id: a
        for a in answers.filter(pemda=pemda, period=period, sub_indicator__in=sub_list)
    }
    rows = [WorkRow(s, by_sub.get(s.pk)) for s in sub_list]
    if not with_history:
        for row in rows:
            if row.answer is not None:
                row.evidence_count = row.answer.current_evidence  # type: ignore[attr-defined]
    return rows


def _answers_summarised() -> QuerySet[Answer]:
    return Answer.objects.annotate(
        current_evidence=Count("evidence", filter=Q(evidence__replaced_at__isnull=True))
    ).prefetch_related("decisions")


@dataclass
class Progress:
    label: str
    area: Area | None = None  # the area counted, in the table per area
    total: int = 0
    complete: int = 0
    returned: int = 0
    submitted: int = 0
    approved: int = 0
    ready: int = 0  # complete, not sent yet

    @property
    def missing(self) -> int:
        return self.total - self.complete

    def add(self, row: WorkRow) -> None:
        self.total += 1
        self.complete += row.done  # "Lengkap": returned items are not
        self.ready += row.work_state == READY
        self.returned += row.state == Answer.State.RETURNED
        self.approved += row.state == Answer.State.APPROVED
        self.submitted += row.state in UNDECIDED_STATES


def progress_of(rows: list[WorkRow], label: str = "") -> Progress:
    progress = Progress(label)
    for row in rows:
        progress.add(row)
    return progress


@dataclass(frozen=True)
class TerminDeadline:
    """The open termin's upload deadline for one Pemda, with any extension: the work page, the
    report review and the home say it with `mcp/_termin_status.html`."""

    period: Period
    pemda: Pemda
    deadline: datetime

    @property
    def remaining(self) -> timedelta:
        return self.deadline - timezone.now()

    @property
    def locked(self) -> bool:
        """Past the deadline: the items not yet sent are locked (as the services refuse)."""
        return timezone.now() > self.deadline


def termin_deadline(*, period: Period, pemda: Pemda) -> TerminDeadline:
    return TerminDeadline(period, pemda, upload_deadline_for(period=period, pemda=pemda))


@dataclass(frozen=True)
class WorkSummary:
    """Where a Pemda's report (or an OPD's part of it) stands in the open termin: for the home
    page, which shows each person the work itself."""

    termin: TerminDeadline
    progress: Progress
    rows: list[WorkRow]

    @property
    def returned(self) -> list[WorkRow]:
        return [row for row in self.rows if row.work_state == RETURNED]

    @property
    def to_do(self) -> list[WorkRow]:
        """What the Pemda still has to do, the returned items first, then those not filled in,
        each in catalogue order."""
        return self.returned + [row for row in self.rows if row.work_state == UNFILLED]

    @property
    def by_area(self) -> list[Progress]:
        found: dict[int, Progress] = {}
        for row in self.rows:
            area = row.sub.indicator.area
            found.setdefault(area.pk, Progress(f"{area.code} · {area.name}")).add(row)
        return list(found.values())


def work_summary(*, pemda: Pemda, opd_ids: list[int] | None = None) -> WorkSummary | None:
    """The open termin's deadline, progress and rows for the Pemda, or for the items of
    `opd_ids`; None when no termin is open. Progress counts as the work page does
    (`progress_of`). Rows come with what their summaries show (no history)."""
    period = open_period(pemda=pemda)
    if period is None:
        return None
    rows = work_rows(pemda=pemda, period=period, opd_ids=opd_ids, with_history=False)
    return WorkSummary(termin_deadline(period=period, pemda=pemda), progress_of(rows), rows)


# --- The work list's filters ----------------------------------------------------------------

# How soon the Pemda's deadline is, for items it still has to act on: passed, or within days.
DEADLINE_PASSED = "lewat"
DEADLINE_FILTERS: tuple[tuple[str, StrOrPromise], ...] = (
    (DEADLINE_PASSED, gettext_lazy("Batas sudah lewat")),
    ("3", gettext_lazy("Batas dalam 3 hari")),
    ("7", gettext_lazy("Batas dalam 7 hari")),
    ("30", gettext_lazy("Batas dalam 30 hari")),
)


@dataclass(frozen=True)
class WorkFilters:
    state: str = ""  # one of WORK_STATES
    area: str = ""  # an area's code
    deadline: str = ""  # one of DEADLINE_FILTERS


@dataclass(frozen=True)
class Choice:
    """One option of a filter, with how many items it would show given the other filters."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class WorkList:
    rows: list[WorkRow]  # those the filters keep
    total: int  # before filtering
    states: list[Choice]
    areas: list[Choice]
    deadlines: list[Choice]


def _due_within(row: WorkRow, wanted: str, deadline: datetime, now: datetime) -> bool:
    if row.work_state not in WITH_PEMDA:
        return False  # sent or approved: the Pemda has nothing left to do before it
    if wanted == DEADLINE_PASSED:
        return deadline < now
    return now <= deadline <= now + timedelta(days=int(wanted))


def work_list(rows: list[WorkRow], *, filters: WorkFilters, deadline: datetime) -> WorkList:
    """The rows the filters keep, with each filter's options counted over the rows the other
    filters keep (so a count says what choosing it would show). `deadline` is the Pemda's upload
    deadline, which concerns only the items it still has to act on."""
    now = timezone.now()
    tests: dict[str, Callable[[WorkRow, str], bool]] = {
        "state": lambda row, v: row.work_state == v,
        "area": lambda row, v: row.sub.indicator.area.code == v,
        "deadline": lambda row, v: _due_within(row, v, deadline, now),
    }
    asked = {"state": filters.state, "area": filters.area, "deadline": filters.deadline}

    def kept(row: WorkRow, *, but: str = "") -> bool:
        return all(not v or name == but or tests[name](row, v) for name, v in asked.items())

    def counted(name: str, options: Sequence[tuple[str, object]]) -> list[Choice]:
        pool = [row for row in rows if kept(row, but=name)]
        return [
            Choice(value, str(label), sum(tests[name](row, value) for row in pool))
            for value, label in options
        ]

    areas: dict[str, str] = {}
    for row in rows:
        area = row.sub.indicator.area
        areas.setdefault(area.code, f"{area.code} · {area.name}")
    return WorkList(
        rows=[row for row in rows if kept(row)],
        total=len(rows),
        states=counted("state", WORK_STATES),
        areas=counted("area", list(areas.items())),
        deadlines=counted("deadline", DEADLINE_FILTERS),
    )


def waiting_for_verifier(
    *, pemdas: Sequence[Pemda], area_limits: Mapping[int, set[str]] | None = None
) -> tuple[int, datetime | None]:
    """How many items of the verifier's Pemda (within their areas) wait for a decision, and
    when the oldest was sent: one count over the queue's index."""
    found = Answer.objects.filter(
        verifiable_q([p.pk for p in pemdas], area_limits or {}), state__in=UNDECIDED_STATES
    ).aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    return found["count"], found["oldest"]


def opd_reporting(*, sub_indicator_id: int, opd_ids: Sequence[int]) -> int | None:
    """Which of these OPD (an operator's) reports the sub-indicator: its indicator's OPD."""
    return (
        IndicatorAssignment.objects.filter(
            opd_id__in=opd_ids, indicator__sub_indicators__pk=sub_indicator_id
        )
        .order_by("opd_id")
        .values_list("opd_id", flat=True)
        .first()
    )


def items_per_opd(*, opd_ids: Sequence[int], year: int) -> dict[int, int]:
    """How many sub-indicators each OPD reports in a year (those that apply to its Pemda), in
    one query: the OPD filter of someone working for several OPD says it."""
    applies = Q()
    for kind in Pemda.Kind.values:
        applies |= Q(opd__pemda__kind=kind, **{f"indicator__applies_{kind}": True})
    found = (
        IndicatorAssignment.objects.filter(
            opd_id__in=opd_ids, indicator__catalogue=current_catalogue_id(year=year)
        )
        .filter(applies)
        .order_by()
        .values_list("opd_id")
        .annotate(n=Count("indicator__sub_indicators"))
    )
    return dict(found)


def work_item_url(sub_indicator_id: int) -> str:
    """The work page with this item open (notifications and the no-JavaScript path link here)."""
    return reverse("mcp:work") + f"?buka={sub_indicator_id}#sub-{sub_indicator_id}"


def report_progress(
    *, pemda: Pemda, period: Period, rows: list[WorkRow]
) -> tuple[list[Progress], list[Progress]]:
    """Progress of the Pemda's report per area and per OPD (an item counts for each OPD it is
    assigned to; unassigned items under their own heading)."""
    by_area: dict[int, Progress] = {}
    by_opd: dict[str, Progress] = {}
    opds_of: dict[int, list[str]] = {}
    for indicator_id, opd_name in IndicatorAssignment.objects.filter(
        pemda=pemda, indicator__catalogue=current_catalogue_id(year=period.year)
    ).values_list("indicator_id", "opd__name"):
        opds_of.setdefault(indicator_id, []).append(opd_name)
    for row in rows:
        area = row.sub.indicator.area
        by_area.setdefault(area.pk, Progress(f"{area.code} · {area.name}", area)).add(row)
        for name in opds_of.get(row.sub.indicator_id) or [_("(belum ditugaskan)")]:
            by_opd.setdefault(name, Progress(name)).add(row)
    return list(by_area.values()), sorted(by_opd.values(), key=lambda p: p.label)


QUEUE_SORTS = {
    "lama": ("submitted_at", "pk"),
    "baru": ("-submitted_at", "-pk"),
    "pemda": ("pemda__code", "sub_indicator__indicator__area__position", "pk"),
    "area": ("sub_indicator__indicator__area__position", "pemda__code", "pk"),
}


def _digest(shown: tuple[object, ...]) -> str:
    """A cache key of every value a fragment shows: a changed value is a new key."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()


WORK_ROW_FRAGMENT = "work_row_summary"  # the name work.html's {% cache %} tag stores them under


def cached_summaries(rows: Sequence[WorkRow], *, opd_query: str, language: str) -> None:
    """Gives each summarised work row `cache_key`, a digest of every value its summary shows
    (state, answer, evidence count, the verifier's reason when returned, its links), so a
    cached summary is never stale, and `cached_summary`, its HTML when the cache has it, read
    for all rows in one cache call (which counts with a shared cache such as Redis). The
    template's {% cache %} tag renders and stores the rest under the same keys.

    The sub-indicator's own texts belong to its id: an opened catalogue does not change. The
    row's links are relative to the page and name no Pemda, so Pemda whose rows show the same
    values share one cached summary."""
    by_key: dict[str, WorkRow] = {}
    for row in rows:
        if row.expanded:
            continue
        answer = row.answer
        decision = row.last_decision if row.state == Answer.State.RETURNED else None
        shown = (
            row.sub.pk,
            row.state,
            answer.value if answer else None,
            row.current_evidence_count,
            (decision.kind, decision.reason) if decision else None,
            (answer.carried, answer.changed_since_carried) if answer else None,
            opd_query,
        )
        row.cache_key = _digest(shown)
        by_key[make_template_fragment_key(WORK_ROW_FRAGMENT, [row.cache_key, language])] = row
    for key, html in cache.get_many(list(by_key)).items():
        by_key[key].cached_summary = html


# A queue row's own columns. Its Pemda come from the verifier's list, its sub-indicator's texts
# by id when a row is rendered: joining Pemda, province and sub-indicator to every undecided
# item before sorting and taking a page was most of the page's SQL on PostgreSQL.
QUEUE_ROW_FIELDS = (
    "pk",
    "state",
    "submitted_at",
    "evidence_count",
    "value",
    "sub_indicator_id",
    "pemda_id",
)


class SubTexts(NamedTuple):
    code: str
    question: str
    indicator: str  # its code and name: many questions recur under several indicators
    sub: SubIndicator  # what reading its answer needs: the answer type, options and target


class SubIndicatorTexts:
    """The texts of some sub-indicators, in the reader's language, read on first use: a page
    of rows served from the cache shows none of them."""

    def __init__(self, ids: set[int]) -> None:
        self.ids = ids
        self.texts: dict[int, SubTexts] | None = None

    def __getitem__(self, pk: int) -> SubTexts:
        if self.texts is None:
            found = SubIndicator.objects.filter(pk__in=self.ids).values_list(
                "pk",
                "code",
                "question_id",
                "question_en",
                "indicator__code",
                "indicator__name_id",
                "indicator__name_en",
                "answer_type",
                "options",
                "target",
            )
            self.texts = {
                pk: SubTexts(
                    code,
                    in_reader_language(question_id, question_en),
                    f"{indicator_code} {in_reader_language(name_id, name_en)}",
                    SubIndicator(
                        pk=pk, code=code, answer_type=answer_type, options=options, target=target
                    ),
                )
                for (
                    pk,
                    code,
                    question_id,
                    question_en,
                    indicator_code,
                    name_id,
                    name_en,
                    answer_type,
                    options,
                    target,
                ) in found
            }
        return self.texts[pk]


@dataclass(slots=True)
class QueueRow:
    """One item of the verifier queue, as the page and its export show it."""

    pk: int
    state: str
    submitted_at: datetime | None
    evidence_count: int
    value: Decimal | None  # the Pemda's
    sub_indicator_id: int
    pemda: Pemda  # with its province
    texts: SubIndicatorTexts
    row_key: str = ""

    @property
    def state_label(self) -> str:
        return str(Answer.State(self.state).label)

    @property
    def sub_code(self) -> str:
        return self.texts[self.sub_indicator_id].code

    @property
    def question(self) -> str:
        return self.texts[self.sub_indicator_id].question

    @property
    def indicator(self) -> str:
        return self.texts[self.sub_indicator_id].indicator

    # A row is read like a work row (mcp_format's answer_text): its sub-indicator, and its
    # answer, which is the row itself (it holds the value).
    @property
    def sub(self) -> SubIndicator:
        return self.texts[self.sub_indicator_id].sub

    @property
    def answer(self) -> QueueRow:
        return self


def queue_rows(
    queue: QuerySet[Answer], pemdas: Sequence[Pemda], *, stream: bool = False
) -> Iterator[QueueRow]:
    """The rows of `queue` (a page of it, or all of it streamed for an export), whose items
    belong to `pemdas` (loaded with their provinces), in batches of 500."""
    by_id = {pemda.pk: pemda for pemda in pemdas}
    values = queue.values_list(*QUEUE_ROW_FIELDS)
    found = iter(values.iterator(chunk_size=500) if stream else values)
    while batch := list(islice(found, 500)):
        texts = SubIndicatorTexts({row[5] for row in batch})
        for pk, state, submitted_at, evidence_count, value, sub_id, pemda_id in batch:
            yield QueueRow(
                pk, state, submitted_at, evidence_count, value, sub_id, by_id[pemda_id], texts
            )


def queue_page(
    queue: QuerySet[Answer], pemdas: Sequence[Pemda], number: str | None
) -> tuple[Page[Answer], list[QueueRow]]:
    """A page of 50 of the queue, counted as answers (no joins), and its rows; the page lists
    the rows too, as the template and the tests read it."""
    page = Paginator(queue, 50).get_page(number)
    rows = list(queue_rows(cast("QuerySet[Answer]", page.object_list), pemdas))
    page.object_list = rows  # type: ignore[assignment]  # the page shows rows, not answers
    return page, rows


def queue_cache_keys(rows: Sequence[QueueRow]) -> str:
    """Gives each queue row `row_key`, a digest of every value the row shows (state, submission
    time, the Pemda's value, evidence count, item, Pemda), and returns the digest of all of them: rows and a page
    of rows cached under these keys are never stale, and an unchanged page is one cache read."""
    keys = []
    for row in rows:
        pemda = row.pemda
        # The sub-indicator's texts (and its indicator's) belong to its id: an opened catalogue
        # is fixed.
        row.row_key = _digest(
            (
                row.pk,
                row.state,
                row.submitted_at,
                row.value,
                row.evidence_count,
                row.sub_indicator_id,
                pemda.name,
                pemda.time_zone,
                pemda.province.name,
            )
        )
        keys.append(row.row_key)
    return _digest(tuple(keys))


def verifier_queue(
    *,
    pemdas: Sequence[Pemda],
    province: str = "",
    pemda: str = "",
    area: str = "",
    state: str = "",
    older_than_days: int | None = None,
    sort: str = "lama",
    area_limits: Mapping[int, set[str]] | None = None,
) -> QuerySet[Answer]:
    """Submitted items of `pemdas`, the Pemda assigned to the verifier (`pemda_verified_by`,
    loaded with their provinces), within the areas an assignment is limited to
    (`access.area_limits`), filtered and sorted."""
    states = [state] if state in Answer.State.values else list(UNDECIDED_STATES)
    # The verifier's few Pemda (those the filters keep) as literal ids, not a subquery or a join:
    # PostgreSQL can then read just their part of the queue index instead of every undecided
    # item in the country.
    pemda_ids = [
        p.pk
        for p in pemdas
        if (not province or p.province.code == province) and (not pemda or p.code == pemda)
    ]
    qs = Answer.objects.filter(verifiable_q(pemda_ids, area_limits or {}), state__in=states)
    if area:
        qs = qs.filter(sub_indicator__indicator__area__code=area)
    if older_than_days:
        qs = qs.filter(submitted_at__lte=timezone.now() - timedelta(days=older_than_days))
    current_evidence = (
        Evidence.objects.filter(answer=OuterRef("pk"), replaced_at__isnull=True)
        .order_by()
        .values("answer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A subquery, not a joined Count: only the page's rows are counted, and the paginator's
    # COUNT needs no GROUP BY over the whole queue.
    return qs.annotate(evidence_count=Coalesce(Subquery(current_evidence), 0)).order_by(
        *QUEUE_SORTS.get(sort, QUEUE_SORTS["lama"])
    )


def queue_order(queue: QuerySet[Answer]) -> list[int]:
    """The ids of the queue's items in its order: read before a decision, to find the item
    after the decided one (`next_in_queue`)."""
    return list(queue.values_list("pk", flat=True))


def next_in_queue(*, order: Sequence[int], after: int) -> int | None:
    """The first item after `after` in the queue's `order` that still waits for a decision (the
    others may have been decided since), then those before it; None when none waits."""
    if after in order:
        index = list(order).index(after)
        candidates = [*order[index + 1 :], *order[:index]]
    else:
        candidates = list(order)
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        waiting = set(
            Answer.objects.filter(pk__in=batch, state__in=UNDECIDED_STATES).values_list(
                "pk", flat=True
            )
        )
        found = next((pk for pk in batch if pk in waiting), None)
        if found is not None:
            return found
    return None


def oldest_waiting(
    *, pemdas: Sequence[Pemda], limit: int = 5, area_limits: Mapping[int, set[str]] | None = None
) -> list[QueueRow]:
    """The verifier's items that have waited longest, as their queue shows them."""
    queue = verifier_queue(pemdas=pemdas, sort="lama", area_limits=area_limits)[:limit]
    return list(queue_rows(queue, pemdas))


# --- What a verifier judges an item by ----------------------------------------------------------


@dataclass(frozen=True)
class AssessmentBasis:
    """A sub-indicator's criteria, as the catalogue states them: its guidance, how its answer
    scores, its weight in the indicator, and the documents asked for."""

    guidance: str
    rule: str
    options: list[tuple[str, Decimal]]  # a choice's options and the share of the weight each earns
    weight: Decimal
    evidence: list[tuple[str, str]]  # each document asked for and its file types


def assessment_basis(sub: SubIndicator) -> AssessmentBasis:
    kind = SubIndicator.AnswerType
    rules = {
        kind.YES_NO: _("Ya mendapat seluruh bobot, Tidak mendapat 0."),
        kind.CHOICE: _("Setiap pilihan mendapat bagian bobot yang tertulis di bawah."),
        kind.PERCENTAGE: _("Persentase dibagi 100: 100% mendapat seluruh bobot."),
        kind.NUMBER: _("Nilai dibagi target %(target)s, paling banyak seluruh bobot.")
        % {"target": format_number(sub.target)},
        kind.DOCUMENT: _("Terpenuhi bila dokumennya ada dan diterima verifikator."),
    }
    unanswered = _("Tanpa jawaban bernilai 0.")
    return AssessmentBasis(
        guidance=sub.guidance,
        rule=f"{rules.get(kind(sub.answer_type), '')} {unanswered}",
        options=[
            (text_in_reader_language(option), Decimal(str(option.get("value", 0))) * 100)
            for option in sub.options
        ]
        if sub.answer_type == kind.CHOICE
        else [],
        weight=sub.weight,
        evidence=[
            (text_in_reader_language(doc), ", ".join(doc.get("file_types") or []))
            for doc in sub.evidence
        ],
    )


# --- The Koordinator's national overview --------------------------------------------------------


@dataclass(frozen=True)
class NationalOverview:
    """Where the open termin stands in the whole country."""

    period: Period
    pemdas: int
    pemdas_sending: int  # Pemda that have sent at least one item
    by_state: dict[str, int]  # answers per state
    waiting: int
    oldest_waiting: datetime | None
    extensions: int
    unverified_pemdas: int  # Pemda with items waiting and no verifier assigned

    @property
    def states(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_state.get(value, 0)) for value, label in Answer.State.choices]


def national_overview() -> NationalOverview | None:
    """None when no termin is open. A fixed number of queries, each counting in the database."""
    period = open_period()
    if period is None:
        return None
    answers = Answer.objects.filter(period=period)
    by_state = dict(answers.order_by().values_list("state").annotate(n=Count("pk")))
    sent = answers.filter(submitted_at__isnull=False).aggregate(
        pemdas=Count("pemda", distinct=True),
        oldest=Min("submitted_at", filter=Q(state__in=UNDECIDED_STATES)),
    )
    verified = VerifierAssignment.objects.values("pemda_id")
    unverified = (
        answers.filter(state__in=UNDECIDED_STATES)
        .exclude(pemda_id__in=verified)
        .aggregate(n=Count("pemda", distinct=True))["n"]
    )
    return NationalOverview(
        period=period,
        pemdas=Pemda.objects.count(),
        pemdas_sending=sent["pemdas"],
        by_state=by_state,
        waiting=sum(by_state.get(state, 0) for state in UNDECIDED_STATES),
        oldest_waiting=sent["oldest"],
        extensions=PeriodExtension.objects.filter(period=period).count(),
        unverified_pemdas=unverified,
    )
