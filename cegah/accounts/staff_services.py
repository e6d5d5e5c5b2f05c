"""Loading a Pemda's staff list (planned by `cegah.accounts.staff`): employees, their accounts
and the Pegawai role, in bulk, in one transaction; invitations leave afterwards in the
background (`tasks.staff_invitations_send`)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.core.tables import Problem, StreamedTable, Table
from cegah.regions.models import Pemda

from .models import Employee, Role, RoleAssignment, StaffImport, User
from .selectors import can_administer, forget_roles
from .staff import StaffPlan, StaffRow, chunks, staff_plan, staff_rows
from .tasks import staff_invitations_send

BATCH = 500
# What the load reads of the employees a chunk lists, and their accounts.
EMPLOYEE_FIELDS = ("nip", "full_name", "opd", "position", "is_active", "left_at", "invited_at")
USER_FIELDS = ("email", "full_name", "nip")


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
    table: Table | StreamedTable,
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
        rows=plan.rows,
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
    invitations = _load(plan, table, actor)
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


def _load(plan: StaffPlan, table: Table | StreamedTable, actor: User | None) -> int:
    """Writes the plan, reading the file again a chunk at a time: a fixed number of queries per
    500 rows, and only a chunk's rows in memory. Superiors are set last, when every listed
    employee exists. Returns how many employees await an invitation."""
    now = timezone.now()
    invitations = sum(_load_chunk(plan, rows, actor) for rows in staff_rows(plan, table))
    _set_superiors(plan)
    for nips in chunks(plan.leaving):
        leavers = Employee.objects.filter(pemda=plan.pemda, nip__in=nips)
        RoleAssignment.objects.filter(
            pemda=plan.pemda, role=Role.PEGAWAI, user_id__in=leavers.values("user_id")
        ).delete()
        leavers.update(is_active=False, left_at=now, updated_at=now)
    if actor is not None:
        forget_roles(user=actor)
    return invitations


def _load_chunk(plan: StaffPlan, rows: list[StaffRow], actor: User | None) -> int:
    """One chunk's employees, accounts and Pegawai roles; how many of them await an invitation."""
    now = timezone.now()
    pemda = plan.pemda
    existing = {
        e.nip: e
        for e in Employee.objects.filter(pemda=pemda, nip__in=[r.nip for r in rows])
        .select_related("user")
        .only(*EMPLOYEE_FIELDS, "user", "pemda", "updated_at", *(f"user__{f}" for f in USER_FIELDS))
    }
    fresh = [r for r in rows if r.nip not in existing]
    # Accounts: reused by email (the plan refused any that belongs to another employee), or
    # made without a password (an unusable one, made without hashing: its owner sets one from
    # the invitation's link).
    users: dict[str, User] = {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[r.email for r in fresh]
        )
    }
    new_users = [
        User(email=r.email, full_name=r.name, nip=r.nip, password=make_password(None))
        for r in fresh
        if r.email not in users
    ]
    User.objects.bulk_create(new_users, batch_size=BATCH)
    users |= {u.email: u for u in new_users}
    changed_users: list[User] = []
    for r in rows:
        current = existing.get(r.nip)
        user = current.user if current is not None else users[r.email]
        if (user.email, user.full_name, user.nip) != (r.email, r.name, r.nip):
            user.email, user.full_name, user.nip = r.email, r.name, r.nip
            changed_users.append(user)
        users[r.email] = user
    User.objects.bulk_update(changed_users, ["email", "full_name", "nip"], batch_size=BATCH)

    # New employees without their superior for now: theirs may come in a later chunk.
    Employee.objects.bulk_create(
        [
            Employee(
                user=users[r.email],
                pemda=pemda,
                opd=r.opd,
                nip=r.nip,
                full_name=r.name,
                position=r.position,
            )
            for r in fresh
        ],
        batch_size=BATCH,
    )
    changed = [e for r in rows if (e := existing.get(r.nip)) is not None and _apply(e, r, now)]
    Employee.objects.bulk_update(
        changed,
        ["full_name", "opd", "position", "is_active", "left_at", "updated_at"],
        batch_size=BATCH,
    )

    # The Pegawai role for every listed employee who lacks it (a returning one lost it).
    holders = set(
        RoleAssignment.objects.filter(
            pemda=pemda, role=Role.PEGAWAI, user_id__in=[users[r.email].pk for r in rows]
        ).values_list("user_id", flat=True)
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users[r.email], role=Role.PEGAWAI, pemda=pemda, granted_by=actor)
            for r in rows
            if users[r.email].pk not in holders
        ],
        batch_size=BATCH,
    )
    return len(fresh) + sum(1 for e in existing.values() if e.invited_at is None)


def _set_superiors(plan: StaffPlan) -> None:
    """Each listed employee's superior as the file names it, where it differs: two statements
    per 500 listed, the second finding each superior's row by NIP (every listed one exists
    now)."""
    now = timezone.now()
    table = Employee._meta.db_table
    # Table and column names are the model's own; values are parameters.
    sql = (
        f"UPDATE {table} SET superior_id = (SELECT s.id FROM {table} s WHERE s.nip = %s), "  # noqa: S608
        f"updated_at = %s WHERE nip = %s"
    )
    with connection.cursor() as cursor:
        for nips in chunks(list(plan.superior_of)):
            different = [
                (plan.superior_of[nip] or None, now, nip)
                for nip, superior in Employee.objects.filter(
                    pemda=plan.pemda, nip__in=nips
                ).values_list("nip", "superior__nip")
                if (superior or "") != plan.superior_of[nip]
            ]
            if different:
                cursor.executemany(sql, different)


def _apply(employee: Employee, row: StaffRow, now: datetime) -> bool:
    """Sets the row's values on the employee (a returning one is active again); whether
    anything changed. The superior is set apart (_set_superiors)."""
    before = _fields(employee)
    employee.full_name, employee.opd, employee.position = row.name, row.opd, row.position
    employee.is_active, employee.left_at = True, None
    if _fields(employee) == before:
        return False
    employee.updated_at = now
    return True


def _fields(e: Employee) -> tuple[object, ...]:
    return (e.full_name, e.opd_id, e.position, e.is_active, e.left_at)
