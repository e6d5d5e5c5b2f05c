"""Background work of the MCP module, run by `manage.py db_worker`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from cegah.core.scheduling import next_morning
from cegah.mcp.services.reminders import reminders_send
from cegah.mcp.services.scores import pemda_scores_update, score_job_task

# Defined beside their services (no import cycle); named here with the module's other tasks.
__all__ = ["deadline_reminders", "pemda_scores_update", "score_job_task"]


@task()
def deadline_reminders() -> int:
    sent = reminders_send(now=timezone.now())
    # Runs again tomorrow where the backend can defer (the database backend `make run` uses).
    if deadline_reminders.get_backend().supports_defer:
        deadline_reminders.using(run_after=next_morning(timezone.now())).enqueue()
    return sent
