"""Reads of recommendations (rekomendasi perbaikan): the lists per Pemda and national, with their
filters, one recommendation with its follow-up, and whom each person may write for. Who may read
what is cegah/mcp/access.py (recommendations_visible_to)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Role, User
from cegah.mcp import access
from cegah.mcp.models import FollowUp, Recommendation, RecommendationStateChange
from cegah.regions.models import ZONEINFO, Pemda

State = Recommendation.State
PAGE_SIZE = 50


@dataclass(frozen=True)
class RecommendationFilters:
    """What the list's address asks for; an empty value filters nothing."""

    state: str = ""
    overdue: bool = False
    province: str = ""  # a province's code
    pemda: str = ""  # a Pemda's code
    area: str = ""  # an area's code, the same from year to year
    year: int | None = None


def overdue_q(*, now: datetime | None = None) -> Q:
    """Not done, and its due day has passed in the Pemda's own zone (the due day itself is not
    late yet). One condition per zone: the list filters on it in the database."""
    now = now or timezone.now()
    passed = Q()
    for zone, info in ZONEINFO.items():
        passed |= Q(pemda__time_zone=zone, due_on__lt=timezone.localdate(now, timezone=info))
    return passed & ~Q(state=State.DONE)


def is_overdue(recommendation: Recommendation, *, now: datetime | None = None) -> bool:
    """overdue_q for one recommendation in hand."""
    today = timezone.localdate(now or timezone.now(), timezone=recommendation.pemda.zoneinfo)
    return not recommendation.is_done and recommendation.due_on < today


def recommendation_list(
    *, user: User, filters: RecommendationFilters, pemda: Pemda | None = None
) -> QuerySet[Recommendation]:
    """The recommendations the person may read, filtered; what the Pemda still has to do first
    (overdue ones at the top, then by due date), done ones last. Each row carries `overdue` and
    `follow_up_count`."""
    qs = access.recommendations_visible_to(user=user)
    if pemda is not None:
        qs = qs.filter(pemda=pemda)
    elif filters.pemda:
        qs = qs.filter(pemda__code=filters.pemda)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.province:
        qs = qs.filter(pemda__province__code=filters.province)
    if filters.area:
        qs = qs.filter(area__code=filters.area)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    late = overdue_q()
    if filters.overdue:
        qs = qs.filter(late)
    return (
        qs.select_related("pemda__province", "area", "indicator", "author")
        .annotate(
            overdue=ExpressionWrapper(late, output_field=BooleanField()),
            follow_up_count=Count("follow_ups", distinct=True),
            done_last=Case(
                When(state=State.DONE, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("done_last", "due_on", "pemda__code", "pk")
    )


def recommendation_page(qs: QuerySet[Recommendation], number: str | None) -> Page[Recommendation]:
    return Paginator(qs, PAGE_SIZE).get_page(number)


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


def state_counts(qs: QuerySet[Recommendation]) -> tuple[list[StateCount], int]:
    """How many of `qs` are in each state, and how many are overdue: one query."""
    totals = qs.order_by().aggregate(
        overdue=Count("pk", filter=overdue_q()),
        **{s.value: Count("pk", filter=Q(state=s.value)) for s in State},
    )
    return [StateCount(s.value, str(s.label), totals[s.value]) for s in State], totals["overdue"]


def recommendation_with_history(*, pk: int) -> Recommendation | None:
    """One recommendation with what its page shows: follow-up with files, state history."""
    return (
        Recommendation.objects.select_related(
            "pemda__province", "area", "indicator", "author", "accepted_by"
        )
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("author").prefetch_related("files"),
            ),
            Prefetch(
                "state_changes",
                queryset=RecommendationStateChange.objects.select_related("actor"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def pemda_writable_by(*, user: User) -> QuerySet[Pemda]:
    """The Pemda the person may write recommendations for (access.can_write_recommendation)."""
    base = Pemda.objects.select_related("province").order_by("code")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    own = [a.pemda_id for a in accounts.role_assignments(user=user) if a.pemda_id]
    if accounts.is_national_coordinator(user=user):
        return base.exclude(pk__in=own)
    if accounts.has_role(user=user, role=Role.VERIFIKATOR):
        return base.filter(pk__in=accounts.pemda_verified_by(user=user).values("pk"))
    return base.none()


def sees_recommendations_of(*, user: User, pemda: Pemda) -> bool:
    """Whether the person reads any of the Pemda's recommendations: the Koordinator, its
    verifier, and anyone holding a role in it (an operator, those tied to their OPD)."""
    return (
        accounts.is_national_coordinator(user=user)
        or access.can_verify(user=user, pemda=pemda)
        or accounts.works_in(user=user, pemda=pemda)
    )


def sees_recommendations(*, user: User) -> bool:
    """Whether the person reads recommendations at all (the national list is theirs)."""
    if accounts.is_national_coordinator(user=user):
        return True
    return any(
        (a.pemda_id is not None and a.role not in accounts.NARROW_ROLES)
        or a.role == Role.VERIFIKATOR
        for a in accounts.role_assignments(user=user)
    )
