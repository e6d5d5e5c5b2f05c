"""Invitations of a staff import leave in the background, a batch per task, never inside the
request that loaded the list; the import's page shows how far they are."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import Employee, Role, RoleAssignment, StaffImport
from .services import _send_invitation

BATCH = 100
log = logging.getLogger(__name__)


@task()
def staff_invitations_send(import_id: int, after: int = 0) -> None:
    """Invites the next batch of the Pemda's listed employees not yet invited (ids above
    `after`), counts them on the import, and queues the batch after it."""
    record = StaffImport.objects.select_related("pemda", "started_by").filter(pk=import_id).first()
    if record is None or record.invitations_finished_at is not None:
        return
    batch = list(
        Employee.objects.filter(
            pemda=record.pemda, is_active=True, invited_at__isnull=True, pk__gt=after
        )
        .select_related("user")
        .order_by("pk")[:BATCH]
    )
    roles = {
        a.user_id: a
        for a in RoleAssignment.objects.filter(
            pemda=record.pemda, role=Role.PEGAWAI, user_id__in=[e.user_id for e in batch]
        ).select_related("pemda")
    }
    sent = failed = 0
    for employee in batch:
        assignment = roles.get(employee.user_id)
        # Claimed before sending: a second import's task running beside this one skips it.
        claimed = Employee.objects.filter(pk=employee.pk, invited_at__isnull=True).update(
            invited_at=timezone.now()
        )
        if not claimed or assignment is None:
            continue
        try:
            _send_invitation(
                user=employee.user, assignment=assignment, invited_by=record.started_by
            )
        except Exception:  # a refused address must not stop the others; the next import retries
            log.exception("staff invitation to employee %s failed", employee.pk)
            Employee.objects.filter(pk=employee.pk).update(invited_at=None)
            failed += 1
        else:
            sent += 1
    StaffImport.objects.filter(pk=record.pk).update(
        invitations_sent=F("invitations_sent") + sent,
        invitations_failed=F("invitations_failed") + failed,
    )
    if len(batch) == BATCH:
        staff_invitations_send.enqueue(import_id, batch[-1].pk)
    else:
        StaffImport.objects.filter(pk=record.pk).update(invitations_finished_at=timezone.now())
