"""The report's life: sent with its deadlines in Indonesian working days, returned and completed
or closed, forwarded, decided; the custody register; separation of duties; reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cegah.audit.models import AuditEntry
from cegah.core.errors import AlreadyDone, DomainError
from cegah.notifications.models import Notification
from cegah.upg import services
from cegah.upg.models import CustodyItem, Outcome, Report
from cegah.upg.services import Decision
from cegah.upg.tasks import daily_run
from cegah.uploads.tests.files import PDF

from .conftest import REPORTER, Upg, gift

pytestmark = pytest.mark.django_db


def on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Today is `day` for the services (deadlines count from it)."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


def submit(u: Upg, **changes: object) -> Report:
    return services.report_submit(
        actor=u.reporter.user, employee=u.reporter, gift=gift(**changes), reporter=REPORTER
    )


def test_deadlines_count_working_days_past_a_holiday_and_cuti_bersama(
    upg: Upg, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Received Monday 9 March 2026, reported Monday 16 March: Nyepi (19 March), Idul Fitri
    (21 and 22 March) with cuti bersama on 18, 20, 23 and 24 March, and Good Friday (3 April) fall
    inside the windows."""
    on(monkeypatch, date(2026, 3, 16))
    report = submit(upg, received_on=date(2026, 3, 9))
    # UPG: 10 working days from 16 March — 17, 25, 26, 27, 30, 31 March, 1, 2, 6, 7 April.
    assert report.upg_due == date(2026, 4, 7)
    # Reporter: 30 working days from 9 March.
    assert report.report_due == date(2026, 4, 28)
    assert not report.late
    assert report.number == f"GRT-{upg.world.binjai.code}-2026-0001"
    assert report.rules.version == 2


def test_a_late_report_is_accepted_and_flagged(upg: Upg, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, date(2026, 6, 15))
    report = submit(upg, received_on=date(2026, 3, 2))
    assert report.late
    assert report.state == Report.State.SUBMITTED
    assert report.submitted_on > report.report_due


def test_submitting_tells_the_upg_but_not_the_reporters_colleagues(upg: Upg) -> None:
    report = submit(upg)
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {"upg@binjai.test", "upg2@binjai.test"}
    assert report.number in Notification.objects.first().title  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="upg.report.submit").count() == 1


def test_incomplete_then_completed(upg: Upg, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, date(2026, 11, 2))
    report = submit(upg, received_on=date(2026, 10, 26), description="Parsel")
    on(monkeypatch, date(2026, 11, 4))
    services.report_return(actor=upg.upg, report=report, missing="Foto parsel dan kartu ucapan.")
    report.refresh_from_db()
    assert report.state == Report.State.RETURNED
    # 20 working days since 2026 (from 4 November 2026).
    assert report.completion_due == date(2026, 12, 2)
    assert Notification.objects.filter(
        recipient=upg.reporter.user, title__contains="perlu dilengkapi"
    ).exists()
    on(monkeypatch, date(2026, 11, 10))
    services.report_complete(
        actor=upg.reporter.user,
        report=report,
        gift=gift(received_on=date(2026, 10, 26), description="Parsel buah dan kue"),
        reporter=REPORTER,
        uploads=[SimpleUploadedFile("foto-parsel.pdf", PDF)],
    )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert report.description == "Parsel buah dan kue"
    assert report.evidence.count() == 1
    # The UPG's 10 days start again from the complete report.
    assert report.upg_due == date(2026, 11, 24)
    assert [h.target for h in report.history.all()] == ["diajukan", "dikembalikan", "diajukan"]


def test_incomplete_and_not_completed_is_closed(upg: Upg, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, date(2026, 11, 2))
    report = submit(upg, received_on=date(2026, 10, 26))
    services.report_return(actor=upg.upg, report=report, missing="Kronologi yang lengkap.")
    report.refresh_from_db()
    due = report.completion_due
    assert due is not None
    on(monkeypatch, due)
    assert daily_run()["closed_incomplete"] == 0  # the last day still counts
    on(monkeypatch, due + timedelta(days=1))
    assert daily_run()["closed_incomplete"] == 1
    report.refresh_from_db()
    assert report.state == Report.State.CLOSED
    assert Notification.objects.filter(
        recipient=upg.reporter.user, title__contains="ditutup"
    ).exists()
    with pytest.raises(DomainError):
        services.report_complete(
            actor=upg.reporter.user, report=report, gift=gift(), reporter=REPORTER
        )


def test_before_2026_the_reporter_had_30_working_days_to_complete(
    upg: Upg, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, date(2026, 1, 12))
    report = submit(upg, received_on=date(2026, 1, 5))  # received under the 2019 rules
    services.report_return(actor=upg.upg, report=report, missing="Bukti.")
    report.refresh_from_db()
    assert report.rules.version == 1
    # 30 working days from 12 January 2026, past Isra Mikraj (16 January) and Imlek with its
    # cuti bersama (16 and 17 February).
    assert report.completion_due == date(2026, 2, 26)


def test_forwarded_then_decided_state_property_with_compensation(
    upg: Upg, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, date(2026, 11, 2))
    report = submit(upg, received_on=date(2026, 10, 26), kind="uang", value=Decimal(5_000_000))
    on(monkeypatch, date(2026, 11, 5))
    services.report_forward(actor=upg.upg, report=report)
    report.refresh_from_db()
    assert (report.state, report.forwarded_on) == (Report.State.FORWARDED, date(2026, 11, 5))
    assert report.kpk_due == date(2026, 12, 17)  # 30 working days
    with pytest.raises(AlreadyDone):
        services.report_forward(actor=upg.upg, report=report)
    with pytest.raises(DomainError, match="sebelum laporan diteruskan"):
        services.decision_record(
            actor=upg.upg,
            report=report,
            decision=Decision(Outcome.STATE, "SK-1", date(2026, 11, 4)),
        )
    on(monkeypatch, date(2026, 11, 25))
    with pytest.raises(DomainError, match="bersama-sama"):
        services.decision_record(
            actor=upg.upg,
            report=report,
            decision=Decision(Outcome.STATE, "SK-1", date(2026, 11, 20), Decimal(5_000_000)),
        )
    services.decision_record(
        actor=upg.upg_other,
        report=report,
        decision=Decision(
            Outcome.STATE,
            "123/GRA/KPK/11/2026",
            date(2026, 11, 20),
            Decimal(5_000_000),
            date(2026, 11, 24),
            "Kompensasi disetor ke kas negara.",
        ),
    )
    report.refresh_from_db()
    assert report.state == Report.State.DECIDED
    assert (report.outcome, report.sk_number, report.compensation) == (
        "milik_negara",
        "123/GRA/KPK/11/2026",
        Decimal(5_000_000),
    )
    assert report.decided_by == upg.upg_other
    assert Notification.objects.filter(
        recipient=upg.reporter.user, title__contains="Milik negara"
    ).exists()


def test_compensation_only_for_state_property(upg: Upg) -> None:
    report = submit(upg)
    services.report_forward(actor=upg.upg, report=report)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Kompensasi hanya"):
        services.decision_record(
            actor=upg.upg,
            report=report,
            decision=Decision(Outcome.RECIPIENT, "SK-2", today, Decimal(1), today),
        )
    report.refresh_from_db()
    assert report.state == Report.State.FORWARDED


def test_custody_register(upg: Upg) -> None:
    """An item is kept until KPK decides; returned to the recipient only once it is theirs."""
    today = timezone.localdate()
    report = submit(upg, description="Jam tangan", value=Decimal(3_000_000))
    item = services.custody_receive(
        actor=upg.upg,
        report=report,
        description="Jam tangan merek X, dalam kotak",
        received_on=today,
        location="Lemari besi ruang Inspektur",
    )
    assert item.state == CustodyItem.State.KEPT
    services.report_forward(actor=upg.upg, report=report)
    with pytest.raises(DomainError, match="milik penerima"):
        services.custody_release(
            actor=upg.upg,
            item=item,
            to=CustodyItem.State.RETURNED,
            released_on=today,
            released_to=upg.reporter.full_name,
        )
    services.decision_record(
        actor=upg.upg, report=report, decision=Decision(Outcome.RECIPIENT, "SK-3", today)
    )
    report.refresh_from_db()
    item.report = report
    services.custody_release(
        actor=upg.upg,
        item=item,
        to=CustodyItem.State.RETURNED,
        released_on=today,
        released_to=upg.reporter.full_name,
    )
    item.refresh_from_db()
    assert (item.state, item.released_to) == (CustodyItem.State.RETURNED, "Rudi Simanjuntak")
    with pytest.raises(AlreadyDone):
        services.custody_release(
            actor=upg.upg,
            item=item,
            to=CustodyItem.State.HANDED_OVER,
            released_on=today,
            released_to="KPK",
        )
    assert AuditEntry.objects.filter(action__startswith="upg.custody").count() == 2


def test_nobody_checks_their_own_report(upg: Upg) -> None:
    """A UPG member who is also a civil servant reporting a gift: a colleague checks it."""
    from .conftest import employee

    mine = employee(
        upg.upg, pemda=upg.world.binjai, opd=upg.world.bpkad_binjai, nip="198001012005011004"
    )
    report = services.report_submit(actor=upg.upg, employee=mine, gift=gift(), reporter=REPORTER)
    assert not Notification.objects.filter(recipient=upg.upg).exists()
    with pytest.raises(DomainError, match="anggota UPG yang lain"):
        services.report_forward(actor=upg.upg, report=report)
    services.report_forward(actor=upg.upg_other, report=report)


def test_only_the_reporter_changes_and_only_the_upg_checks(upg: Upg) -> None:
    from django.http import Http404

    report = submit(upg)
    with pytest.raises(Http404):
        services.evidence_add(
            actor=upg.colleague.user,
            report=report,
            uploads=[SimpleUploadedFile("x.pdf", PDF)],
        )
    for outsider in (upg.colleague.user, upg.head.user, upg.upg_pekalongan):
        with pytest.raises(Http404):
            services.report_forward(actor=outsider, report=report)
    with pytest.raises(Http404):
        services.report_return(actor=upg.world.inspektorat_binjai, report=report, missing="x")


def test_reminders_before_each_deadline_once_then_overdue(
    upg: Upg, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, date(2026, 11, 2))
    report = submit(upg, received_on=date(2026, 10, 26))  # UPG due 16 November
    assert report.upg_due == date(2026, 11, 16)
    Notification.objects.all().delete()
    on(monkeypatch, date(2026, 11, 6))
    assert daily_run()["reminded"] == 0  # not yet three working days before
    on(monkeypatch, date(2026, 11, 11))
    assert daily_run()["reminded"] == 2  # both UPG members
    assert daily_run()["reminded"] == 0  # once
    on(monkeypatch, date(2026, 11, 17))
    assert daily_run()["reminded"] == 2
    late = Notification.objects.filter(title__startswith="Lewat batas")
    assert {n.recipient.email for n in late} == {"upg@binjai.test", "upg2@binjai.test"}
    assert not Notification.objects.filter(recipient=upg.reporter.user).exists()
    # Returned: the reporter is reminded before their own deadline.
    services.report_return(actor=upg.upg, report=report, missing="Foto.")
    report.refresh_from_db()
    assert report.completion_due is not None
    on(monkeypatch, report.completion_due - timedelta(days=1))
    daily_run()
    assert Notification.objects.filter(
        recipient=upg.reporter.user, title__startswith="Batas laporan gratifikasi"
    ).exists()
    assert mail.outbox is not None
