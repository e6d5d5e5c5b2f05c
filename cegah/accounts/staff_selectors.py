"""Who sees a Pemda's staff list, and the list itself."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cegah.regions.models import Pemda

from .models import Employee, Role, StaffImport, User
from .selectors import is_superadmin, role_assignments
from .staff import staff_search

# Who may read a Pemda's staff list: its Admin Pemda (who imports it) and its Inspektorat.
STAFF_READERS = (Role.ADMIN_PEMDA, Role.INSPEKTORAT)


def pemda_staff_visible_to(*, user: User) -> QuerySet[Pemda]:
    base = Pemda.objects.select_related("province")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_superadmin(user=user):
        return base.all()
    ids = [
        a.pemda_id
        for a in role_assignments(user=user)
        if a.role in STAFF_READERS and a.pemda_id is not None
    ]
    return base.filter(pk__in=ids)


class StaffState:
    ACTIVE = "aktif"
    LEFT = "keluar"
    ALL = "semua"


def employees_of(
    *, pemda: Pemda, search: str = "", opd_id: int | None = None, state: str = StaffState.ACTIVE
) -> QuerySet[Employee]:
    qs = Employee.objects.filter(pemda=pemda).select_related("opd", "superior", "user")
    if state == StaffState.ACTIVE:
        qs = qs.filter(is_active=True)
    elif state == StaffState.LEFT:
        qs = qs.filter(is_active=False)
    if search.strip():
        qs = qs.filter(staff_search(search))
    if opd_id is not None:
        qs = qs.filter(opd_id=opd_id)
    return qs.order_by("full_name", "nip")


def invitation_state(employee: Employee) -> str:
    """What the list says of the employee's account: signed in, invited, or not yet."""
    if employee.user.last_login is not None:
        return "signed_in"
    if employee.invited_at is not None:
        return "invited"
    return "waiting"


def staff_imports_of(*, pemda: Pemda) -> QuerySet[StaffImport]:
    return StaffImport.objects.filter(pemda=pemda).select_related("pemda", "started_by")


def staff_import_of(*, pemda: Pemda, pk: int) -> StaffImport | None:
    return staff_imports_of(pemda=pemda).filter(Q(pk=pk)).first()
