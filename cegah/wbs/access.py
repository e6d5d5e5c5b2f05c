"""Who handles a report: the inspectorate it is routed to, or the national coordinator, minus
anyone who declared a conflict of interest on it. Everyone else gets a 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.regions.models import Pemda

from .models import Conflict, HandlingLevel, Report, RoutedBecause


def inspectorates_of(*, user: User) -> QuerySet[Pemda]:
    return Pemda.objects.filter(
        role_assignments__user=user, role_assignments__role=Role.INSPEKTORAT
    )


def is_national_handler(*, user: User) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role=Role.KOORDINATOR, pemda__isnull=True
    ).exists()


def reports_handled_by(*, user: User) -> QuerySet[Report]:
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    scope = Q(
        level__in=[HandlingLevel.PEMDA, HandlingLevel.PROVINSI],
        handler_pemda__in=inspectorates_of(user=user),
    )
    if is_national_handler(user=user):
        scope |= Q(level=HandlingLevel.NASIONAL)
    conflicted = Conflict.objects.filter(report=OuterRef("pk"), user=user)
    return Report.objects.filter(scope).exclude(Exists(conflicted))


def handles(*, user: User, report: Report) -> bool:
    return reports_handled_by(user=user).filter(pk=report.pk).exists()


def handlers_at(*, level: str, handler_pemda_id: int | None) -> QuerySet[User]:
    if level == HandlingLevel.NASIONAL:
        people = User.objects.filter(roles__role=Role.KOORDINATOR, roles__pemda__isnull=True)
    else:
        if handler_pemda_id is None:
            return User.objects.none()
        people = User.objects.filter(roles__role=Role.INSPEKTORAT, roles__pemda_id=handler_pemda_id)
    return people.filter(is_active=True)


def handlers_of(*, report: Report) -> QuerySet[User]:
    """The people who may handle a report now (for reminders)."""
    return handlers_at(level=report.level, handler_pemda_id=report.handler_pemda_id).exclude(
        pk__in=Conflict.objects.filter(report=report).values("user_id")
    )


def level_above(*, pemda: Pemda, level: str) -> tuple[str, Pemda | None]:
    """One step up: a kabupaten/kota's inspectorate → its province's; a province's → national."""
    if level == HandlingLevel.PEMDA and pemda.kind != Pemda.Kind.PROVINSI:
        provincial = Pemda.objects.get(province_id=pemda.province_id, kind=Pemda.Kind.PROVINSI)
        return HandlingLevel.PROVINSI, provincial
    return HandlingLevel.NASIONAL, None


def first_route(*, pemda: Pemda, names_inspectorate: bool) -> tuple[str, Pemda | None, str]:
    if names_inspectorate:
        level, handler = level_above(pemda=pemda, level=HandlingLevel.PEMDA)
        return level, handler, RoutedBecause.NAMES_INSPECTORATE
    return HandlingLevel.PEMDA, pemda, RoutedBecause.NONE
