"""Gratification control's daily work, run by `manage.py db_worker` (scheduled by
`manage.py upg_daily --schedule`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from cegah.core.scheduling import next_morning

from .services import reminders_send, reports_close_incomplete


def daily_run() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "closed_incomplete": reports_close_incomplete(today=today),
        "reminded": reminders_send(today=today),
    }


@task()
def upg_daily() -> dict[str, int]:
    done = daily_run()
    if upg_daily.get_backend().supports_defer:
        upg_daily.using(run_after=next_morning(timezone.now())).enqueue()
    return done
