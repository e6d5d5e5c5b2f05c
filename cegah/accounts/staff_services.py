"""Loading a Pemda's staff list (planned by `cegah.accounts.staff`): employees, their accounts
and the Pegawai role, in bulk, in one transaction; invitations leave afterwards in the
background (`tasks.staff_invitations_send`)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.core.tables import Problem, Table
from cegah.regions.models import Pemda

from .models import Employee, Role, RoleAssignment, StaffImport, User
from .selectors import can_administer, forget_roles
from .staff import StaffPlan, StaffRow, chunks, staff_plan
from .tasks import staff_invitations_send

BATCH = 500


class StaffListRefused(DomainError):
    """The file has problems; nothing was loaded. `problems` holds each by line and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            [DomainError(str(p), code="row") for p in problems] or _("Berkas ditolak.")
        )
        self.problems = problems


def _may_import(actor: User | None, pemda: Pemda) -> None:
    # None: the server's shell (manage.py staff_import) or the demo seeding.
    if actor is not None and not can_administer(user=actor, pemda=pemda):
        raise Http404  # never confirm that a Pemda the actor cannot manage exists


@transaction.atomic
def staff_import(
    *,
    actor: User | None,
    pemda: Pemda,
    table: Table,
    file_name: str,
    file_sha256: str,
    dry_run: bool,
    via: str = "",
) -> tuple[StaffImport, StaffPlan]:
    """Checks the staff list and, unless `dry_run`, loads it: new employees with an account each
    (an existing account with the same email is reused) and the Pegawai role; listed ones
    updated in place by NIP (a returning one reactivated); those not listed marked left, losing
    the Pegawai role only (never deleted: their reports stay). Every other role, the actor's
    Admin Pemda role included, is untouched. Raises StaffListRefused when the file has a problem:
    nothing is loaded then. Either way the check is recorded as a StaffImport."""
    _may_import(actor, pemda)
    # One import of a Pemda at a time: a second waits, then plans against what the first did.
    pemda = Pemda.objects.select_for_update().get(pk=pemda.pk)
    plan = staff_plan(pemda=pemda, table=table)
    if plan.problems:
        raise StaffListRefused(plan.problems)
    if not plan.rows:
        raise DomainError(_("Berkas ini tidak memuat pegawai."), code="empty")
    record = StaffImport(
        pemda=pemda,
        started_by=actor,
        via=via,
        file_name=file_name[:255],
        file_sha256=file_sha256,
        dry_run=dry_run,
        rows=len(plan.rows),
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        returning=plan.returning,
        leaving=len(plan.leaving),
    )
    if dry_run:
        record.invitations_finished_at = timezone.now()
        record.save()
        return record, plan
    invitations = _load(plan, actor)
    record.invitations_total = invitations
    record.invitations_finished_at = None if invitations else timezone.now()
    record.save()
    audit.record(
        actor=actor,
        action="accounts.staff.import",
        obj=record,
        data={"pemda": pemda.code, "file": record.file_name, "sha256": file_sha256, "via": via}
        | plan.counts,
    )
    if invitations:
        record_id = record.pk
        transaction.on_commit(lambda: staff_invitations_send.enqueue(record_id))
    return record, plan


def _load(plan: StaffPlan, actor: User | None) -> int:
    """Writes the plan in batches: a fixed number of queries per 500 rows. Returns how many
    employees await an invitation."""
    now = timezone.now()
    pemda = plan.pemda
    existing = plan.existing
    # Accounts: reused by email, or made without a password (an unusable one, made without
    # hashing: its owner sets one from the invitation's link).
    new_users = [
        User(email=r.email, full_name=r.name, nip=r.nip, password=make_password(None))
        for r in plan.rows
        if r.nip not in existing and r.email not in plan.accounts
    ]
    for part in chunks(new_users, BATCH):
        User.objects.bulk_create(part, batch_size=BATCH)
    users = {u.email: u for u in new_users} | plan.accounts
    changed_users: list[User] = []
    for r in plan.rows:
        current = existing.get(r.nip)
        user = current.user if current is not None else users[r.email]
        if (user.email, user.full_name, user.nip) != (r.email, r.name, r.nip):
            user.email, user.full_name, user.nip = r.email, r.name, r.nip
            changed_users.append(user)
        users[r.email] = user
    User.objects.bulk_update(changed_users, ["email", "full_name", "nip"], batch_size=BATCH)

    # New employees go in level by level of the hierarchy, superiors first, so each row is
    # inserted with its superior (a bulk update of 8,000 superiors afterwards took seconds).
    fresh = [r for r in plan.rows if r.nip not in existing]
    employees = dict(existing)
    for level in _levels(fresh):
        batch = [
            Employee(
                user=users[r.email],
                pemda=pemda,
                opd=r.opd,
                nip=r.nip,
                full_name=r.name,
                position=r.position,
                superior=employees[r.superior_nip] if r.superior_nip else None,
            )
            for r in level
        ]
        Employee.objects.bulk_create(batch, batch_size=BATCH)
        employees |= {e.nip: e for e in batch}

    changed: list[Employee] = []
    for r in plan.rows:
        employee = employees[r.nip]
        if _apply(employee, r, employees, now):
            changed.append(employee)
    Employee.objects.bulk_update(
        changed,
        ["full_name", "opd", "position", "superior", "is_active", "left_at", "updated_at"],
        batch_size=BATCH,
    )
    for employee in plan.leaving:
        employee.is_active, employee.left_at, employee.updated_at = False, now, now
    Employee.objects.bulk_update(
        plan.leaving, ["is_active", "left_at", "updated_at"], batch_size=BATCH
    )

    # The Pegawai role: given to every listed employee who lacks it, taken from those who left.
    holders = set(
        RoleAssignment.objects.filter(pemda=pemda, role=Role.PEGAWAI).values_list(
            "user_id", flat=True
        )
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users[r.email], role=Role.PEGAWAI, pemda=pemda, granted_by=actor)
            for r in plan.rows
            if users[r.email].pk not in holders
        ],
        batch_size=BATCH,
    )
    leaving_users = [e.user_id for e in plan.leaving]
    for ids in chunks(leaving_users):
        RoleAssignment.objects.filter(pemda=pemda, role=Role.PEGAWAI, user_id__in=ids).delete()
    if actor is not None:
        forget_roles(user=actor)
    return sum(1 for r in plan.rows if employees[r.nip].invited_at is None)


def _levels(rows: list[StaffRow]) -> list[list[StaffRow]]:
    """New rows grouped so that each one's superior, when also new, is in an earlier group.
    The plan has refused loops, so every walk up ends."""
    by_nip = {r.nip: r for r in rows}
    depth: dict[str, int] = {}
    for row in rows:
        path, nip = [], row.nip
        while nip in by_nip and nip not in depth:
            path.append(nip)
            nip = by_nip[nip].superior_nip
        level = depth.get(nip, -1)
        for member in reversed(path):
            level += 1
            depth[member] = level
    levels: list[list[StaffRow]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for row in rows:
        levels[depth[row.nip]].append(row)
    return levels


def _apply(
    employee: Employee, row: StaffRow, employees: dict[str, Employee], now: datetime
) -> bool:
    """Sets the row's values on the employee (a returning one is active again); whether
    anything changed."""
    superior = employees[row.superior_nip] if row.superior_nip else None
    before = _fields(employee)
    employee.full_name, employee.opd, employee.position = row.name, row.opd, row.position
    employee.superior = superior
    employee.is_active, employee.left_at = True, None
    if _fields(employee) == before:
        return False
    employee.updated_at = now
    return True


def _fields(e: Employee) -> tuple[object, ...]:
    return (e.full_name, e.opd_id, e.position, e.superior_id, e.is_active, e.left_at)
