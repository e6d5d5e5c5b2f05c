"""Who may act on a Pemda's integrity zones. Services call these themselves; views may too."""

from __future__ import annotations

from django.http import Http404

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Role, User
from cegah.regions.models import Pemda
from cegah.zi.models import Unit


def can_manage(*, user: User, pemda: Pemda) -> bool:
    """The Admin Pemda declares units and appoints the TPI."""
    return accounts.can_administer(user=user, pemda=pemda)


def can_answer(*, user: User, unit: Unit) -> bool:
    """The Admin Pemda, or an operator of the unit's OPD."""
    return can_manage(user=user, pemda=unit.pemda) or any(
        a.role == Role.OPERATOR and a.opd_id == unit.opd_id
        for a in accounts.role_assignments(user=user)
    )


def is_tpi(*, user: User, pemda: Pemda) -> bool:
    return accounts.has_role(user=user, role=Role.TPI, pemda=pemda)


def is_tpn(*, user: User) -> bool:
    """A member of KemenPAN-RB's national team (TPN): evaluates every Pemda's proposals."""
    return accounts.has_role(user=user, role=Role.TPN)


def can_revoke(*, user: User) -> bool:
    """A predicate is revoked by the TPN, or by the Koordinator."""
    return is_tpn(user=user) or accounts.is_national_coordinator(user=user)


def holds_role_in(*, user: User, pemda: Pemda) -> bool:
    """Any role in the Pemda (an OPD's operator included): a TPN member who holds one does not
    evaluate that Pemda's units (separation of duties)."""
    return any(a.pemda_id == pemda.pk for a in accounts.role_assignments(user=user))


def can_see(*, user: User, unit: Unit) -> bool:
    return (
        can_answer(user=user, unit=unit)
        or is_tpi(user=user, pemda=unit.pemda)
        or accounts.has_role(user=user, role=Role.INSPEKTORAT, pemda=unit.pemda)
        or accounts.has_role(user=user, role=Role.TPN)
        or accounts.is_national_coordinator(user=user)
    )


def can_see_pemda(*, user: User, pemda: Pemda) -> bool:
    """The Pemda's ZI page: its Admin, TPI, Inspektorat and OPD operators, and nationally the
    Koordinator and the TPN."""
    return (
        can_manage(user=user, pemda=pemda)
        or is_tpi(user=user, pemda=pemda)
        or accounts.has_role(user=user, role=Role.INSPEKTORAT, pemda=pemda)
        or any(
            a.role == Role.OPERATOR and a.pemda_id == pemda.pk
            for a in accounts.role_assignments(user=user)
        )
        or accounts.has_role(user=user, role=Role.TPN)
        or accounts.is_national_coordinator(user=user)
    )


def ensure(allowed: bool) -> None:
    # 404, never 403: another Pemda's unit is not confirmed to exist.
    if not allowed:
        raise Http404
