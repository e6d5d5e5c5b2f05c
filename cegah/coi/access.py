"""Who may see and act on conflict-of-interest declarations. A declaration is its declarant's,
their superior's (and the superior's own superior, to whom an overdue decision goes), the named
official's, and the Pemda's Inspektorat's and appointed officer's: a colleague, the superior of
another unit and anyone of another Pemda get 404."""

from __future__ import annotations

from django.http import Http404

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Employee, Role, User
from cegah.regions.models import Pemda

from .models import Declaration


def is_inspektorat(*, user: User, pemda: Pemda) -> bool:
    return accounts.has_role(user=user, role=Role.INSPEKTORAT, pemda=pemda)


def is_officer(*, user: User, pemda: Pemda) -> bool:
    """The pejabat pengelola konflik kepentingan: assists superiors, reads the register."""
    return accounts.has_role(user=user, role=Role.PPKK, pemda=pemda)


def can_see_register(*, user: User, pemda: Pemda) -> bool:
    return is_inspektorat(user=user, pemda=pemda) or is_officer(user=user, pemda=pemda)


def employee_of(*, user: User) -> Employee | None:
    if not accounts.has_role(user=user, role=Role.PEGAWAI):
        return None
    return (
        Employee.objects.select_related("pemda", "opd", "superior__user")
        .filter(user=user, is_active=True)
        .first()
    )


def _user_of(employee: Employee | None) -> int | None:
    return employee.user_id if employee is not None else None


def decides(*, user: User, declaration: Declaration) -> bool:
    """The superior decides; for an official with no superior in the staff list, the
    Inspektorat."""
    if declaration.employee.user_id == user.pk:
        return False
    if declaration.superior is not None:
        return declaration.superior.user_id == user.pk
    return is_inspektorat(user=user, pemda=declaration.pemda)


def can_see(*, user: User, declaration: Declaration) -> bool:
    superior = declaration.superior
    people = {
        declaration.employee.user_id,
        _user_of(superior),
        _user_of(superior.superior if superior is not None else None),
        _user_of(declaration.delegate),
    }
    return user.pk in people or can_see_register(user=user, pemda=declaration.pemda)


def can_record_for(*, user: User, employee: Employee) -> bool:
    """A conflict nobody declared is recorded by the person's superior or the Inspektorat."""
    if employee.user_id == user.pk:
        return False
    superior = employee.superior
    return (superior is not None and superior.user_id == user.pk) or is_inspektorat(
        user=user, pemda=employee.pemda
    )


def ensure(allowed: bool) -> None:
    if not allowed:
        raise Http404
