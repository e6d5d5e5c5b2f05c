"""Reads of conflict-of-interest declarations: the lists in force, a person's own and those
waiting on them, the register, the positions at risk with who has not answered, and the public
counts (as of yesterday)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Employee, Role, User
from cegah.core.errors import DomainError
from cegah.core.i18n import text_in_reader_language
from cegah.regions.models import Pemda

from .models import Declaration, Handling, ListVersion, RiskPosition, YearlyStatement


def current_lists() -> ListVersion:
    found = ListVersion.objects.order_by("-version").first()
    if found is None:
        raise DomainError(
            _("Daftar benturan kepentingan belum dimuat (manage.py coi_lists import)."),
            code="no_lists",
        )
    return found


def named(lists: ListVersion, key: str, code: str) -> str:
    """The reader's name of a source or matter kind of a list version."""
    for entry in lists.structure[key]:
        if entry["code"] == code:
            return text_in_reader_language(entry["name"])
    return code


def choices(key: str) -> list[tuple[str, str]]:
    found = ListVersion.objects.order_by("-version").first()
    if found is None:
        return []
    return [(e["code"], text_in_reader_language(e["name"])) for e in found.structure[key]]


def _detail() -> QuerySet[Declaration]:
    return Declaration.objects.select_related(
        "pemda",
        "opd",
        "employee__user",
        "superior__user",
        "superior__superior__user",
        "delegate__user",
        "lists",
    )


def declaration_detail(*, pk: int) -> Declaration:
    return _detail().prefetch_related("documents", "notes__author", "history__actor").get(pk=pk)


def mine(*, employee: Employee) -> QuerySet[Declaration]:
    return _detail().filter(employee=employee)


def _inspected(user: User) -> list[int]:
    """The Pemda whose Inspektorat the person is."""
    return [
        a.pemda_id
        for a in accounts.role_assignments(user=user)
        if a.role == Role.INSPEKTORAT and a.pemda_id
    ]


def recordable_by(*, user: User) -> QuerySet[Employee]:
    """Whom the person may record an undeclared conflict for (access.can_record_for): their
    staff, and as the Inspektorat anyone of its Pemda; never themselves."""
    return (
        Employee.objects.filter(
            Q(superior__user=user) | Q(pemda_id__in=_inspected(user)), is_active=True
        )
        .exclude(user=user)
        .select_related("opd")
        .order_by("full_name")
    )


def awaiting_decision_by(*, user: User) -> QuerySet[Declaration]:
    """Declarations the person decides: as superior, or as the Inspektorat of a Pemda for
    officials with no superior."""
    inspected = _inspected(user)
    return _detail().filter(
        Q(superior__user=user) | Q(superior__isnull=True, pemda_id__in=inspected),
        state=Declaration.State.SUBMITTED,
    )


def delegated_to(*, user: User) -> QuerySet[Declaration]:
    return _detail().filter(delegate__user=user)


def subordinates_of(*, user: User) -> QuerySet[Employee]:
    return Employee.objects.filter(superior__user=user, is_active=True).order_by("full_name")


def register(
    *, pemda: Pemda, year: int | None = None, state: str = "", overdue: bool = False
) -> QuerySet[Declaration]:
    qs = _detail().filter(pemda=pemda)
    if year:
        qs = qs.filter(declared_on__year=year)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=Declaration.State.SUBMITTED, decision_due__lt=timezone.localdate())
    return qs.order_by("-declared_on", "-pk")


def is_overdue(declaration: Declaration, today: date) -> bool:
    return declaration.state == Declaration.State.SUBMITTED and today > declaration.decision_due


def years(*, pemda: Pemda | None = None) -> list[int]:
    qs = Declaration.objects.all() if pemda is None else Declaration.objects.filter(pemda=pemda)
    found = {d.year for d in qs.dates("declared_on", "year")}
    return sorted(found | {timezone.localdate().year}, reverse=True)


@dataclass(frozen=True)
class HolderRow:
    employee: Employee
    positions: list[str]
    statement: YearlyStatement | None


def positions(*, pemda: Pemda, year: int) -> QuerySet[RiskPosition]:
    return (
        RiskPosition.objects.filter(pemda=pemda, year=year)
        .prefetch_related("holders__opd")
        .order_by("title")
    )


def holders(*, pemda: Pemda, year: int) -> list[HolderRow]:
    """Every holder of a position at risk in the year, with their statement or none yet."""
    by_employee: dict[int, HolderRow] = {}
    for position in positions(pemda=pemda, year=year):
        for employee in position.holders.all():
            row = by_employee.setdefault(employee.pk, HolderRow(employee, [], None))
            row.positions.append(position.title)
    statements = {
        s.employee_id: s
        for s in YearlyStatement.objects.filter(year=year, employee_id__in=list(by_employee))
    }
    return sorted(
        (
            HolderRow(r.employee, r.positions, statements.get(r.employee.pk))
            for r in by_employee.values()
        ),
        key=lambda r: (r.statement is not None, r.employee.full_name),
    )


def statement_asked_of(*, employee: Employee, year: int) -> list[str]:
    """The positions at risk the person holds in the year (their statement is asked)."""
    return list(
        RiskPosition.objects.filter(year=year, holders=employee).values_list("title", flat=True)
    )


@dataclass(frozen=True)
class Counts:
    year: int
    as_of: date
    declared: int
    decided: int
    by_handling: list[tuple[str, int]]


def public_counts(*, year: int, pemda: Pemda | None = None) -> Counts:
    """Declarations of the year up to yesterday, decided ones by handling (a decision made today
    counts tomorrow). Shown through `small_count`: under 5, "< 5"."""
    as_of = timezone.localdate() - timedelta(days=1)
    qs = Declaration.objects.filter(declared_on__year=year, declared_on__lte=as_of)
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    declared = 0
    handled: Counter[str] = Counter()
    for handling, decided_on in qs.values_list("handling", "decided_on"):
        declared += 1
        if handling and decided_on is not None and decided_on <= as_of:
            handled[handling] += 1
    return Counts(
        year=year,
        as_of=as_of,
        declared=declared,
        decided=sum(handled.values()),
        by_handling=[(str(label), handled[h]) for h, label in Handling.choices],
    )


@dataclass(frozen=True)
class Waiting:
    count: int
    late: int
    nearest: date | None


def waiting_on(*, user: User) -> Waiting:
    """Decisions waiting on the person, for their home."""
    today = timezone.localdate()
    dues = list(awaiting_decision_by(user=user).values_list("decision_due", flat=True))
    return Waiting(len(dues), sum(d < today for d in dues), min(dues, default=None))


def register_overdue(*, today: date) -> QuerySet[Declaration]:
    """Undecided past their deadline and not yet escalated."""
    return _detail().filter(
        state=Declaration.State.SUBMITTED, decision_due__lt=today, escalated_on__isnull=True
    )


def public_pemda_table(*, year: int) -> list[dict[str, object]]:
    """Every Pemda with declarations in the year (as of yesterday), its count."""
    as_of = timezone.localdate() - timedelta(days=1)
    rows = (
        Declaration.objects.filter(declared_on__year=year, declared_on__lte=as_of)
        .values("pemda__code", "pemda__name")
        .annotate(total=Count("pk"))
        .order_by("pemda__name")
    )
    return [{"code": r["pemda__code"], "name": r["pemda__name"], "total": r["total"]} for r in rows]


def public_counts_by_pemda(*, year: int) -> dict[int, tuple[int, int]]:
    """(declared, decided) of the year up to yesterday, by Pemda: for the open-data figures."""
    as_of = timezone.localdate() - timedelta(days=1)
    declared = dict(
        Declaration.objects.filter(declared_on__year=year, declared_on__lte=as_of)
        .values_list("pemda_id")
        .annotate(n=Count("pk"))
    )
    decided = dict(
        Declaration.objects.filter(
            declared_on__year=year, declared_on__lte=as_of, decided_on__lte=as_of
        )
        .values_list("pemda_id")
        .annotate(n=Count("pk"))
    )
    return {pk: (n, decided.get(pk, 0)) for pk, n in declared.items()}
