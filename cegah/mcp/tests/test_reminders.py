"""Reminders 7, 3 and 1 days before the deadline, once each, to operators with open items."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from cegah.core.scheduling import next_morning
from cegah.mcp.models import Answer, Period, PeriodExtension
from cegah.mcp.services.reminders import reminders_send
from cegah.mcp.tasks import deadline_reminders
from cegah.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _deadline_in(reporting, days: float) -> None:
    deadline = timezone.now() + timedelta(days=days)
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=deadline, verification_deadline=deadline + timedelta(days=10)
    )


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_each_threshold_is_sent_once_to_operators_with_open_items(world, reporting) -> None:
    _deadline_in(reporting, 10)
    assert reminders_send(now=timezone.now()) == 0
    _deadline_in(reporting, 6.5)
    assert reminders_send(now=timezone.now()) == 3  # Binjai BPKAD, Binjai PUPR, Pekalongan BPBJ
    assert reminders_send(now=timezone.now()) == 0  # the same day again: nothing new
    assert _titles(world.operator_binjai) == ["7 hari lagi: batas unggah MCP termin 1"]
    (note,) = Notification.objects.filter(recipient=world.operator_binjai)
    assert note.body == "Kota Binjai: 2 item OPD Anda belum lengkap atau dikembalikan."
    _deadline_in(reporting, 2.5)
    reminders_send(now=timezone.now())
    _deadline_in(reporting, 0.5)
    reminders_send(now=timezone.now())
    assert len(_titles(world.operator_binjai)) == 3
    assert not Notification.objects.filter(recipient=world.admin_binjai).exists()


def test_each_operator_is_reminded_in_the_language_they_chose(world, reporting) -> None:
    type(world.operator_pupr_binjai).objects.filter(pk=world.operator_pupr_binjai.pk).update(
        language="en"
    )
    _deadline_in(reporting, 6.5)
    with translation.override("en"):  # whatever the sending process runs in
        reminders_send(now=timezone.now())
    assert _titles(world.operator_binjai) == ["7 hari lagi: batas unggah MCP termin 1"]
    assert _titles(world.operator_pupr_binjai) == ["7 days left: MCP termin 1 upload deadline"]
    _deadline_in(reporting, 0.5)
    reminders_send(now=timezone.now())
    assert "1 day left: MCP termin 1 upload deadline" in _titles(world.operator_pupr_binjai)
    assert Notification.objects.filter(
        recipient=world.operator_pupr_binjai,
        body="Kota Binjai: 1 item of your OPD is incomplete or returned.",
    ).exists()


def test_an_opd_that_finished_gets_no_reminder_and_an_extension_moves_the_date(
    world, reporting
) -> None:
    # PRC.1.1 went to the verifier; PRC.1.2 (no document asked) is answered.
    for code, value, state in (("PRC.1.1", 1, "submitted"), ("PRC.1.2", 0, "draft")):
        Answer.objects.create(
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator=reporting.subs[code],
            value=value,
            state=state,
        )
    PeriodExtension.objects.create(
        period=reporting.period,
        pemda=world.kota_pekalongan,
        reason="Banjir",
        upload_deadline=timezone.now() + timedelta(days=20),
        granted_by=world.koordinator,
    )
    _deadline_in(reporting, 2)
    reminders_send(now=timezone.now())
    assert _titles(world.operator_binjai) == []  # BPKAD answered everything
    assert _titles(world.operator_pupr_binjai) == ["3 hari lagi: batas unggah MCP termin 1"]
    assert _titles(world.operator_pekalongan) == []  # its deadline is 20 days away


def test_a_returned_item_counts_as_open(world, reporting) -> None:
    for code in ("PRC.1.1", "PRC.1.2"):
        Answer.objects.create(
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator=reporting.subs[code],
            value=1,
            state="returned" if code == "PRC.1.1" else "submitted",
        )
    _deadline_in(reporting, 1)
    reminders_send(now=timezone.now())
    (note,) = Notification.objects.filter(recipient=world.operator_binjai)
    assert "1 item" in note.body


def test_the_task_sends_reminders_and_emails_in_the_background(
    world, reporting, django_capture_on_commit_callbacks
) -> None:
    _deadline_in(reporting, 5)
    with django_capture_on_commit_callbacks(execute=True):
        result = deadline_reminders.enqueue()
    assert result.return_value == 3
    assert {m.to[0] for m in mail.outbox} == {
        "operator@binjai.test",
        "pupr@binjai.test",
        "operator@pekalongan.test",
    }


def test_the_next_run_is_tomorrow_morning_in_wib() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 24, 22, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert next_morning(now) == datetime(2026, 11, 25, 7, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_the_command_schedules_once(settings, capsys, db) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    call_command("mcp_reminders", "--schedule")
    call_command("mcp_reminders", "--schedule")
    out = capsys.readouterr().out
    assert out.splitlines() == ["reminders scheduled", "reminders already scheduled"]
