"""Who may see and act on gratification reports. A report is the reporter's and their Pemda's
UPG's alone: anyone else (a colleague, a superior, another Pemda's UPG) gets 404."""

from __future__ import annotations

from django.http import Http404

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Employee, Role, User
from cegah.regions.models import Pemda

from .models import Report


def is_upg(*, user: User, pemda: Pemda) -> bool:
    return accounts.has_role(user=user, role=Role.UPG, pemda=pemda)


def employee_of(*, user: User) -> Employee | None:
    """The active civil servant record of a Pegawai, or None."""
    if not accounts.has_role(user=user, role=Role.PEGAWAI):
        return None
    return Employee.objects.select_related("pemda", "opd").filter(user=user, is_active=True).first()


def can_see_report(*, user: User, report: Report) -> bool:
    return report.reporter_id == user.pk or is_upg(user=user, pemda=report.pemda)


def can_see_register(*, user: User, pemda: Pemda) -> bool:
    """Statistics and the register (no reporter's name): the UPG and the Inspektorat."""
    return is_upg(user=user, pemda=pemda) or accounts.has_role(
        user=user, role=Role.INSPEKTORAT, pemda=pemda
    )


def ensure(allowed: bool) -> None:
    # 404, never 403: another person's report is not confirmed to exist.
    if not allowed:
        raise Http404
