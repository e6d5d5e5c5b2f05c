"""Background work of the MCP module, run by `manage.py db_worker`."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from cegah.core.scheduling import next_morning
from cegah.mcp.services.reminders import reminders_send
from cegah.mcp.services.scores import score_job_run as run_score_job
from cegah.mcp.services.scores import scores_update_pemda


@task()
def deadline_reminders() -> int:
    sent = reminders_send(now=timezone.now())
    # Runs again tomorrow where the backend can defer (the database backend `make run` uses).
    if deadline_reminders.get_backend().supports_defer:
        deadline_reminders.using(run_after=next_morning(timezone.now())).enqueue()
    return sent


@task()
def pemda_scores_update(year: int, pemda_id: int) -> None:
    scores_update_pemda(year=year, pemda_id=pemda_id)


@task()
def score_job_run(job_id: int) -> None:
    run_score_job(job_id=job_id)
