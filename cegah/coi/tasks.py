"""Conflict-of-interest daily work, run by `manage.py db_worker` (scheduled by
`manage.py coi_daily --schedule`): overdue decisions go up."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from cegah.core.scheduling import next_morning

from .services import declarations_escalate


def daily_run() -> dict[str, int]:
    return {"escalated": declarations_escalate(today=timezone.localdate())}


@task()
def coi_daily() -> dict[str, int]:
    done = daily_run()
    if coi_daily.get_backend().supports_defer:
        coi_daily.using(run_after=next_morning(timezone.now())).enqueue()
    return done
