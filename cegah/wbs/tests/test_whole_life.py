"""A report's whole life, then every row of every table and every stored file read back: no
report text, name, time of day of the reporter's acts, or original file name (issue: WBS to
the standard of the best whistle-blowing platforms)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from cegah.testing.factories import RoleAssignmentFactory, UserFactory
from cegah.wbs import services
from cegah.wbs.models import Report, ReportState
from cegah.wbs.services import ReporterIdentity, Upload

from .conftest import jpeg_with_gps, key_of, reporter_key_of
from .test_confidentiality import docx_with_author, every_stored_byte, pdf_with

pytestmark = pytest.mark.django_db

# The reporter acts at 13.37.42 WIB (06.37.42 UTC): a time of day no row may keep.
REPORTER_MOMENT = datetime(2026, 3, 5, 6, 37, 42, 123456, tzinfo=UTC)
TIME_TRACES = (b"06:37:4", b"13:37:4", b"063742", b"133742", b"06.37", b"13.37")


@pytest.fixture
def at_reporter_moment(monkeypatch: pytest.MonkeyPatch):
    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_clock


def test_after_a_whole_life_nothing_points_back_at_the_reporter(
    submit, world, at_reporter_moment, django_capture_on_commit_callbacks
) -> None:
    colleague = UserFactory.create(email="irban2@binjai.test", full_name="Irban Dua")
    RoleAssignmentFactory.create(user=colleague, role="inspektorat", pemda=world.binjai)
    handler = world.inspektorat_binjai
    secrets = {
        "text": "Bendahara-Zulkarnain-menerima-setoran",
        "accused": "Zulkarnain Batubara",
        "reporter": "Pelapor-Rahmawati-Siregar",
        "contact": "0812-3456-7890",
        "message": "setoran-kedua-lima-april",
        "reply": "kami-periksa-dokumennya",
        "note": "catatan-internal-irban",
        "reason": "Perlu-konfirmasi-langsung-atas-kuitansi-yang-dilampirkan",
        "file": "IMG_20260305_133742.jpg",
        "file2": "kuitansi-asli-rahmawati.pdf",
        "file3": "surat-pengaduan-rahmawati.docx",
    }
    at_reporter_moment(REPORTER_MOMENT)
    report, receipt = submit(
        what=f"{secrets['text']} dari rekanan proyek jalan.",
        who_name=secrets["accused"],
        identity=ReporterIdentity(name=secrets["reporter"], contact=secrets["contact"]),
        uploads=[
            Upload(secrets["file"], io.BytesIO(jpeg_with_gps())),
            Upload(secrets["file2"], io.BytesIO(pdf_with("KUITANSI", author="Rahmawati"))),
            Upload(secrets["file3"], io.BytesIO(docx_with_author("Rahmawati Siregar"))),
        ],
    )
    services.reporter_message_add(
        report=report, reporter_key=reporter_key_of(report), body=secrets["message"]
    )
    # The handlers work on it in office hours; their own acts may keep their times.
    at_reporter_moment(REPORTER_MOMENT + timedelta(days=2, hours=3))
    services.handler_message_add(
        report_id=report.pk, user=handler, private_key=key_of(handler), body=secrets["reply"]
    )
    services.note_add(
        report_id=report.pk, user=handler, private_key=key_of(handler), body=secrets["note"]
    )
    asked = services.identity_request(
        report_id=report.pk, user=handler, private_key=key_of(handler), reason=secrets["reason"]
    )
    services.identity_approve(report_id=report.pk, request_id=asked.pk, user=colleague)
    for state in (ReportState.VERIFYING, ReportState.FOLLOWED_UP, ReportState.DONE):
        report.refresh_from_db()
        services.report_transition(
            report_id=report.pk,
            user=handler,
            private_key=key_of(handler),
            to_state=state,
            note="Ditindaklanjuti sesuai prosedur.",
            version=report.version,
        )
    while_kept = every_stored_byte()
    for name, secret in secrets.items():
        assert secret.encode() not in while_kept, name
    assert receipt.encode() not in while_kept
    for trace in TIME_TRACES:
        assert trace not in while_kept, trace
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
        assert (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0), path

    # The retention period passes: the report and its files go, and leave no trace either.
    report.refresh_from_db()
    later = (report.closed_on or date.today()) + timedelta(days=settings.WBS_RETENTION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):  # the files go once it commits
        assert services.reports_purge(today=later) == 1
    assert not Report.objects.exists()
    after = every_stored_byte()
    for name, secret in secrets.items():
        assert secret.encode() not in after, name
    for trace in TIME_TRACES:
        assert trace not in after, trace
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
