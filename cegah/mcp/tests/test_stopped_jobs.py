"""A recompute or export whose worker was killed mid-run: it shows as stopped, then failed, its
half-computed scores are dropped, and starting it again finishes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cegah.mcp.models import ScoreJob, ScoreSnapshot
from cegah.mcp.services.scores import scores_recompute

pytestmark = pytest.mark.django_db


def _killed_mid_run(world, *, minutes_silent: int) -> ScoreJob:
    """What a SIGKILLed worker leaves: the job running, and the year's scores half-written
    beside the current ones."""
    ScoreSnapshot.objects.create(
        year=2025,
        state=ScoreSnapshot.State.STAGING,
        catalogue=ScoreSnapshot.objects.get(year=2025, state="working").catalogue,
    )
    return ScoreJob.objects.create(
        year=2025,
        state=ScoreJob.State.RUNNING,
        done=275,
        total=546,
        started_by=world.koordinator,
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_silent),
    )


def test_a_job_whose_worker_was_killed_shows_stopped_and_a_rerun_finishes(
    reporting, world, login, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SCORE_JOB_STALE_MINUTES = 10
    scores_recompute(year=2025)
    working = ScoreSnapshot.objects.get(year=2025, state="working")
    alive = _killed_mid_run(world, minutes_silent=2)
    client = login(world.koordinator)
    fragment = client.get(reverse("mcp:score_job", kwargs={"pk": alive.pk})).content.decode()
    assert "every 1s" in fragment and "terhenti" not in fragment  # still may be working
    ScoreJob.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=11))
    fragment = client.get(reverse("mcp:score_job", kwargs={"pk": alive.pk})).content.decode()
    assert "terhenti di tengah jalan" in fragment and "every 1s" not in fragment

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mcp:score_admin"), {"year": "2025", "recompute": "1", "confirm": "yes"}
        )
    stopped, rerun = ScoreJob.objects.order_by("pk")
    assert stopped.state == ScoreJob.State.FAILED and stopped.message.startswith("stopped:")
    assert (rerun.state, rerun.done) == (ScoreJob.State.DONE, 546)
    assert not ScoreSnapshot.objects.filter(state="staging").exists()
    rewritten = ScoreSnapshot.objects.get(year=2025, state="working")
    assert rewritten.pk != working.pk and rewritten.content_hash == working.content_hash


def test_a_live_recompute_keeps_its_half_written_scores(reporting, world, settings) -> None:
    from cegah.mcp.services.scores import score_jobs_stopped_fail

    scores_recompute(year=2025)
    _killed_mid_run(world, minutes_silent=1)
    assert score_jobs_stopped_fail() == 0
    assert ScoreSnapshot.objects.filter(state="staging").count() == 1
    assert ScoreJob.objects.get().state == ScoreJob.State.RUNNING
