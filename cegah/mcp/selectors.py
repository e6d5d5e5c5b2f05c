"""Reads of the MCP domain. Views scope everything through here and `accounts.selectors`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import NamedTuple, cast

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

from cegah.accounts.models import User
from cegah.core.i18n import in_reader_language
from cegah.mcp.access import operator_opd_ids
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


def catalogue_areas(*, catalogue: CatalogueVersion, query: str = "") -> Sequence[Area]:
    """The areas of a catalogue, each with `.shown` indicators (matching the query) and their
    sub-indicators, in four queries whatever the size."""
    indicators = (
        Indicator.objects.filter(catalogue=catalogue)
        .filter(_search_q(query))
        .select_related("sasaran")
        .prefetch_related("sub_indicators", "lineage")
        .order_by("position")
    )
    areas = list(
        catalogue.areas.prefetch_related(
            Prefetch("indicators", queryset=indicators, to_attr="shown")
        )
    )
    return [a for a in areas if a.shown] if query.strip() else areas


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
    total: int = 0
    complete: int = 0
    returned: int = 0
    submitted: int = 0
    approved: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.complete

    def add(self, row: WorkRow) -> None:
        self.total += 1
        self.complete += row.complete
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
    page, which tells each person what is waiting."""

    termin: TerminDeadline
    progress: Progress


def work_summary(*, pemda: Pemda, opd_ids: list[int] | None = None) -> WorkSummary | None:
    """The open termin's deadline and progress for the Pemda, or for the items of `opd_ids`;
    None when no termin is open. Progress counts as the work page does (`progress_of`)."""
    period = open_period(pemda=pemda)
    if period is None:
        return None
    rows = work_rows(pemda=pemda, period=period, opd_ids=opd_ids, with_history=False)
    return WorkSummary(termin_deadline(period=period, pemda=pemda), progress_of(rows))


def waiting_for_verifier(*, pemdas: Sequence[Pemda]) -> tuple[int, datetime | None]:
    """How many items of the verifier's Pemda wait for a decision, and when the oldest was
    sent: one count over the queue's index."""
    found = Answer.objects.filter(
        pemda_id__in=[p.pk for p in pemdas], state__in=UNDECIDED_STATES
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
        by_area.setdefault(area.pk, Progress(f"{area.code} · {area.name}")).add(row)
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
            opd_query,
        )
        row.cache_key = _digest(shown)
        by_key[make_template_fragment_key(WORK_ROW_FRAGMENT, [row.cache_key, language])] = row
    for key, html in cache.get_many(list(by_key)).items():
        by_key[key].cached_summary = html


# A queue row's own columns. Its Pemda come from the verifier's list, its sub-indicator's texts
# by id when a row is rendered: joining Pemda, province and sub-indicator to every undecided
# item before sorting and taking a page was most of the page's SQL on PostgreSQL.
QUEUE_ROW_FIELDS = ("pk", "state", "submitted_at", "evidence_count", "sub_indicator_id", "pemda_id")


class SubTexts(NamedTuple):
    code: str
    question: str
    indicator: str  # its code and name: many questions recur under several indicators


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
            )
            self.texts = {
                pk: SubTexts(
                    code,
                    in_reader_language(question_id, question_en),
                    f"{indicator_code} {in_reader_language(name_id, name_en)}",
                )
                for pk, code, question_id, question_en, indicator_code, name_id, name_en in found
            }
        return self.texts[pk]


@dataclass(slots=True)
class QueueRow:
    """One item of the verifier queue, as the page and its export show it."""

    pk: int
    state: str
    submitted_at: datetime | None
    evidence_count: int
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


def queue_rows(
    queue: QuerySet[Answer], pemdas: Sequence[Pemda], *, stream: bool = False
) -> Iterator[QueueRow]:
    """The rows of `queue` (a page of it, or all of it streamed for an export), whose items
    belong to `pemdas` (loaded with their provinces), in batches of 500."""
    by_id = {pemda.pk: pemda for pemda in pemdas}
    values = queue.values_list(*QUEUE_ROW_FIELDS)
    found = iter(values.iterator(chunk_size=500) if stream else values)
    while batch := list(islice(found, 500)):
        texts = SubIndicatorTexts({row[4] for row in batch})
        for pk, state, submitted_at, evidence_count, sub_id, pemda_id in batch:
            yield QueueRow(pk, state, submitted_at, evidence_count, sub_id, by_id[pemda_id], texts)


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
    time, evidence count, item, Pemda), and returns the digest of all of them: rows and a page
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
) -> QuerySet[Answer]:
    """Submitted items of `pemdas`, the Pemda assigned to the verifier (`pemda_verified_by`,
    loaded with their provinces), filtered and sorted."""
    states = [state] if state in Answer.State.values else list(UNDECIDED_STATES)
    # The verifier's few Pemda (those the filters keep) as literal ids, not a subquery or a join:
    # PostgreSQL can then read just their part of the queue index instead of every undecided
    # item in the country.
    pemda_ids = [
        p.pk
        for p in pemdas
        if (not province or p.province.code == province) and (not pemda or p.code == pemda)
    ]
    qs = Answer.objects.filter(pemda_id__in=pemda_ids, state__in=states)
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
