"""Who handles a report: the inspectorate it is routed to, or the national coordinator, minus
anyone who declared a conflict of interest on it. Everyone else gets a 404."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from cegah.accounts.models import Role, User
from cegah.accounts.selectors import has_role, role_assignments
from cegah.regions.models import Pemda

from .models import Conflict, HandlingLevel, Report, RoutedBecause


def inspected_pemda_ids(*, user: User) -> list[int]:
    """The Pemda whose Inspektorat the user belongs to (from the roles loaded once per request)."""
    return [
        a.pemda_id for a in role_assignments(user=user) if a.role == Role.INSPEKTORAT and a.pemda_id
    ]


def is_national_handler(*, user: User) -> bool:
    # The Koordinator, not the Superadmin: running the system is no reason to read reports.
    return has_role(user=user, role=Role.KOORDINATOR)


def reports_handled_by(*, user: User) -> QuerySet[Report]:
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    scope = Q(
        level__in=[HandlingLevel.PEMDA, HandlingLevel.PROVINSI],
        handler_pemda__in=inspected_pemda_ids(user=user),
    )
    if is_national_handler(user=user):
        scope |= Q(level=HandlingLevel.NASIONAL)
    conflicted = Conflict.objects.filter(report=OuterRef("pk"), user=user)
    return Report.objects.filter(scope).exclude(Exists(conflicted))


def handles(*, user: User, report: Report) -> bool:
    return reports_handled_by(user=user).filter(pk=report.pk).exists()


def handlers_of(*, report: Report) -> QuerySet[User]:
    """Who handles this report: the handlers of its level, but for any who declared a conflict
    on it. One query, however many handlers."""
    declared = Conflict.objects.filter(report=report).values("user")
    return handlers_at(level=report.level, handler_pemda_id=report.handler_pemda_id).exclude(
        pk__in=declared
    )


def handlers_at(*, level: str, handler_pemda_id: int | None) -> QuerySet[User]:
    if level == HandlingLevel.NASIONAL:
        people = User.objects.filter(roles__role=Role.KOORDINATOR, roles__pemda__isnull=True)
    else:
        if handler_pemda_id is None:
            return User.objects.none()
        people = User.objects.filter(roles__role=Role.INSPEKTORAT, roles__pemda_id=handler_pemda_id)
    return people.filter(is_active=True)


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
