"""WBS background work, run daily by `manage.py db_worker` (scheduled by `manage.py wbs_daily --schedule`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from cegah.core.scheduling import next_morning

from . import proof_of_work
from .services import handler_reminders_send, reports_close_unanswered, reports_purge


def daily_run() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "closed_unanswered": reports_close_unanswered(today=today),
        "purged": reports_purge(today=today),
        "reminded": handler_reminders_send(today=today),
        "forgotten_challenges": proof_of_work.forget_old(),
    }


@task()
def wbs_daily() -> dict[str, int]:
    done = daily_run()
    if wbs_daily.get_backend().supports_defer:
        wbs_daily.using(run_after=next_morning(timezone.now())).enqueue()
    return done
