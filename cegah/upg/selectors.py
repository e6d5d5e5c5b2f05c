"""Reads of gratification control: the rules in force on a day, a person's reports, the UPG's
queue and custody register, the statistics, and the public figures (as of yesterday, small
counts suppressed)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import Employee, Role, User
from cegah.core.errors import DomainError
from cegah.regions.models import Pemda

from .models import CustodyItem, ExemptGift, Kind, Outcome, Report, RuleSet

# Below this, a public count is shown as "< 5": a smaller one could point at a person.
SMALLEST_SHOWN = 5


def rules_for(day: date) -> RuleSet:
    """The rule set in force on the day a gift was received."""
    found = (
        RuleSet.objects.filter(in_force_from__lte=day).order_by("-in_force_from").first()
        # The first set has no start: in force until the next.
        or RuleSet.objects.filter(in_force_from__isnull=True).first()
    )
    if found is None:
        raise DomainError(
            _("Aturan gratifikasi belum dimuat (manage.py upg_rules import)."), code="no_rules"
        )
    return found


def giver_key(name: str) -> str:
    """The same giver however the name is spaced or capitalised."""
    return " ".join(name.casefold().split())


def earlier_from_giver(
    *,
    employee: Employee,
    giver: str,
    category: str,
    received_on: date,
    exclude_report: int | None = None,
) -> Decimal:
    """What the same giver gave this person earlier in the same calendar year, in the same
    category: reports (not refused) and gifts noted as exempt."""
    key = giver_key(giver)
    year = Q(received_on__year=received_on.year, received_on__lte=received_on)
    reports = (
        Report.objects.filter(year, employee=employee, category=category, refused=False)
        .exclude(pk=exclude_report or 0)
        .values_list("giver_name", "value")
    )
    noted = ExemptGift.objects.filter(year, employee=employee, category=category).values_list(
        "giver_name", "value"
    )
    return sum((value for name, value in [*reports, *noted] if giver_key(name) == key), Decimal(0))


def upg_members(*, pemda: Pemda) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__role=Role.UPG, roles__pemda=pemda).distinct()


def reports_of(*, user: User) -> QuerySet[Report]:
    return Report.objects.filter(reporter=user).select_related("pemda").order_by("-pk")


def exempt_gifts_of(*, employee: Employee) -> QuerySet[ExemptGift]:
    return ExemptGift.objects.filter(employee=employee)


def report_detail(*, pk: int) -> Report:
    return (
        Report.objects.select_related("pemda__province", "opd", "rules", "reporter")
        .prefetch_related("evidence", "custody", "history__actor")
        .get(pk=pk)
    )


def overdue(report: Report, today: date) -> bool:
    """The step the report waits on is past its deadline."""
    due = {
        Report.State.SUBMITTED: report.upg_due,
        Report.State.RETURNED: report.completion_due,
        Report.State.FORWARDED: report.kpk_due,
    }.get(Report.State(report.state))
    return due is not None and today > due


def waiting_until(report: Report) -> date | None:
    return {
        Report.State.SUBMITTED: report.upg_due,
        Report.State.RETURNED: report.completion_due,
        Report.State.FORWARDED: report.kpk_due,
    }.get(Report.State(report.state))


def queue(
    *, pemda: Pemda, state: str = "", year: int | None = None, late_only: bool = False
) -> QuerySet[Report]:
    """The UPG's reports, open ones first by their deadline."""
    qs = Report.objects.filter(pemda=pemda).select_related("opd")
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(submitted_on__year=year)
    if late_only:
        today = timezone.localdate()
        qs = qs.filter(
            Q(state=Report.State.SUBMITTED, upg_due__lt=today)
            | Q(state=Report.State.RETURNED, completion_due__lt=today)
            | Q(state=Report.State.FORWARDED, kpk_due__lt=today)
        )
    return qs.order_by("upg_due", "pk")


def custody_register(*, pemda: Pemda, state: str = "") -> QuerySet[CustodyItem]:
    qs = CustodyItem.objects.filter(report__pemda=pemda).select_related("report", "received_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-received_on", "-pk")


def report_years(*, pemda: Pemda | None = None) -> list[int]:
    qs = Report.objects.all() if pemda is None else Report.objects.filter(pemda=pemda)
    years = {d.year for d in qs.dates("submitted_on", "year")}
    return sorted(years | {timezone.localdate().year}, reverse=True)


@dataclass
class Statistics:
    """A year's reports of a Pemda (or the nation), counted several ways."""

    total: int = 0
    value: Decimal = Decimal(0)
    by_kind: Counter[str] = field(default_factory=Counter)
    by_state: Counter[str] = field(default_factory=Counter)
    by_outcome: Counter[str] = field(default_factory=Counter)
    by_opd: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    forwarded: int = 0
    forwarded_on_time: int = 0
    late_reports: int = 0
    refused: int = 0

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.forwarded:
            return None
        return (Decimal(100) * self.forwarded_on_time / self.forwarded).quantize(Decimal("0.1"))


def statistics(*, year: int, pemda: Pemda | None = None, until: date | None = None) -> Statistics:
    """Counted from the reports' few columns in one query; `until` leaves out what happened
    later (the public figures stop at yesterday)."""
    qs = Report.objects.filter(submitted_on__year=year)
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    if until is not None:
        qs = qs.filter(submitted_on__lte=until)
    stats = Statistics()
    rows = qs.values_list(
        "kind",
        "state",
        "outcome",
        "value",
        "forwarded_on",
        "upg_due",
        "late",
        "refused",
        "opd__name",
        "decided_on",
    )
    for kind, state, outcome, value, forwarded_on, upg_due, late, refused, opd, decided in rows:
        if until is not None and decided is not None and decided > until:
            # Decided today: yesterday it still waited at KPK.
            state, outcome = Report.State.FORWARDED, ""
        if until is not None and forwarded_on is not None and forwarded_on > until:
            # Forwarded today: yesterday it still waited at the UPG.
            state, outcome, forwarded_on = Report.State.SUBMITTED, "", None
        stats.total += 1
        stats.value += value
        stats.by_kind[kind] += 1
        stats.by_state[state] += 1
        if outcome:
            stats.by_outcome[outcome] += 1
        stats.by_opd[opd][kind] += 1
        stats.by_opd[opd]["total"] += 1
        if forwarded_on is not None:
            stats.forwarded += 1
            stats.forwarded_on_time += forwarded_on <= upg_due
        stats.late_reports += late
        stats.refused += refused
    return stats


@dataclass(frozen=True)
class PublicFigures:
    """What the public sees of a year: counts with small ones hidden, and no total value or
    share computed from fewer than five reports (one report's value is one person's gift)."""

    year: int
    as_of: date
    # Shown through the `small_count` filter: under 5, "< 5".
    total: int
    value: Decimal | None
    by_kind: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    on_time_share: Decimal | None
    forwarded: int


def public_figures(*, year: int, pemda: Pemda | None = None) -> PublicFigures:
    as_of = timezone.localdate() - timedelta(days=1)
    stats = statistics(year=year, pemda=pemda, until=as_of)
    enough = stats.total >= SMALLEST_SHOWN
    return PublicFigures(
        year=year,
        as_of=as_of,
        total=stats.total,
        value=stats.value if enough else None,
        by_kind=[(str(label), stats.by_kind[k]) for k, label in Kind.choices],
        by_outcome=[(str(label), stats.by_outcome[k]) for k, label in Outcome.choices],
        on_time_share=stats.on_time_share if stats.forwarded >= SMALLEST_SHOWN else None,
        forwarded=stats.forwarded,
    )


def public_pemda_table(*, year: int) -> list[dict[str, Any]]:
    """Every Pemda with reports in the year (as of yesterday): one row each, counts suppressed."""
    as_of = timezone.localdate() - timedelta(days=1)
    rows = (
        Report.objects.filter(submitted_on__year=year, submitted_on__lte=as_of)
        .values("pemda__code", "pemda__name")
        .annotate(total=Count("pk"))
        .order_by("pemda__name")
    )
    return [{"code": r["pemda__code"], "name": r["pemda__name"], "total": r["total"]} for r in rows]


@dataclass(frozen=True)
class Waiting:
    """What waits on someone, for their home: how many, how many past their deadline, and the
    nearest deadline."""

    count: int
    late: int
    nearest: date | None


def _waiting(reports: QuerySet[Report], due_field: str) -> Waiting:
    today = timezone.localdate()
    dues = [d for d in reports.values_list(due_field, flat=True) if d is not None]
    return Waiting(len(dues), sum(d < today for d in dues), min(dues, default=None))


def waiting_on_reporter(*, user: User) -> Waiting:
    """The reporter's returned reports, to complete."""
    return _waiting(
        Report.objects.filter(reporter=user, state=Report.State.RETURNED), "completion_due"
    )


def waiting_on_upg(*, pemda: Pemda) -> Waiting:
    """Reports the UPG has still to check and forward."""
    return _waiting(Report.objects.filter(pemda=pemda, state=Report.State.SUBMITTED), "upg_due")


def gifts_in(*, pemda: Pemda) -> list[tuple[int, str, str, date, int]]:
    """(report id, number, giver, day received, reporter's employee id) of the Pemda's reports:
    for finding gifts from a party named in a conflict-of-interest declaration."""
    return list(
        Report.objects.filter(pemda=pemda, refused=False).values_list(
            "pk", "number", "giver_name", "received_on", "employee_id"
        )
    )


def counts_by_pemda(*, year: int, until: date) -> dict[int, int]:
    """Reports sent in the year up to `until`, by Pemda: for the Koordinator's signals."""
    return dict(
        Report.objects.filter(submitted_on__year=year, submitted_on__lte=until)
        .values_list("pemda_id")
        .annotate(n=Count("pk"))
    )
