"""The reporter's and the handler's pages through HTTP."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import StreamObject

from cegah.audit.models import AuditEntry
from cegah.testing.clients import sign_in
from cegah.uploads.tests import files
from cegah.wbs.models import HandlingLevel, Report, ReportState
from cegah.wbs.services import ReporterIdentity

from .conftest import jpeg_with_gps, solved
from .test_confidentiality import every_stored_byte, pdf_with

pytestmark = pytest.mark.django_db

REPORTER = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "ReporterPhone/9.9 (unik)"}


def report_data(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "type": "korupsi",
        "what": "Kepala bidang meminta fee 10% dari setiap kontrak pemeliharaan jalan.",
        "who_name": "Ir. Bambang",
        "who_position": "Kepala Bidang Bina Marga",
        "who_unit": "Dinas PUPR",
        "when": "Januari sampai Maret 2026",
        "where": "Kantor Dinas PUPR",
        "how": "Transfer ke rekening kerabat.",
        "estimated_loss": "250000000",
        **solved("report"),
    }
    data.update(extra)
    return data


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_reporter_journey_over_http(world, caplog) -> None:
    reporter = Client(
        REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"]
    )
    page = reporter.get("/lapor/", {"q": "binjai"})
    assert page.status_code == 200
    assert reverse("wbs_public:report_new", args=[world.binjai.code]) in page.content.decode()
    form_page = reporter.get(reverse("wbs_public:report_new", args=[world.binjai.code]))
    assert form_page.status_code == 200 and "no-store" in form_page["Cache-Control"]
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with caplog.at_level(logging.DEBUG):
        response = reporter.post(
            reverse("wbs_public:report_new", args=[world.binjai.code]),
            report_data(attachments=[photo]),
        )
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    found = re.search(r'id="receipt-code">([\d ]+)<', html)
    assert found is not None
    code = found.group(1)
    assert len(code.replace(" ", "")) == 16 and "hanya ditampilkan sekali" in html
    report = Report.objects.get()
    assert report.state == ReportState.RECEIVED and report.attachments.count() == 1
    # Nothing of the reporter's address, browser or the time of day is kept or logged.
    dump = every_stored_byte()
    assert b"203.0.113.77" not in dump and b"ReporterPhone" not in dump
    assert "203.0.113.77" not in caplog.text and "ReporterPhone" not in caplog.text
    assert "/lapor/" not in caplog.text

    signed_in = reporter.post("/lapor/ikuti/", {"receipt": code, **solved("receipt")})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/lapor/ikuti/laporan/"
    follow = reporter.get("/lapor/ikuti/laporan/")
    text = follow.content.decode()
    assert "Diterima" in text and "fee 10%" in text and "lampiran-1.jpg" in text
    assert "jalan.jpg" not in text  # the name the photo came with is kept nowhere
    sent = reporter.post(
        "/lapor/ikuti/laporan/",
        {
            "body": "Bukti transfer menyusul.",
            "attachments": [SimpleUploadedFile("transfer.png", _png(), content_type="image/png")],
            **solved("message"),
        },
    )
    assert sent.status_code == 302
    assert "Bukti transfer menyusul." in reporter.get("/lapor/ikuti/laporan/").content.decode()
    reporter.post("/lapor/ikuti/keluar/")
    assert reporter.get("/lapor/ikuti/laporan/")["Location"] == "/lapor/ikuti/"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 200, "tidak sesuai"),
        ("skrip.exe", b"MZ\x90\x00", "tidak diterima"),
        ("../../etc/rusak.pdf", b"%PDF-1.4 tidak lengkap", "PDF rusak"),
        ("kosong.pdf", b"", "kosong"),
        ("foto.png", files.png_broken(), "Gambar rusak"),
        # A hex string "<>" before the trailer's dictionary: pypdf raised AttributeError.
        (
            "kuitansi.pdf",
            pdf_with("Setoran", "Budi").replace(b"trailer\n<<", b"trailer\n<><<"),
            "PDF rusak",
        ),
        ("foto.jpg", jpeg_with_gps()[:-400], "Gambar rusak"),  # cut off on the way
        ("rekap.xlsx", files.xlsx_damaged("checksum"), "Berkas Office rusak"),
        ("rekap.xlsx", files.xlsx_damaged("method"), "Berkas Office rusak"),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_kept(world, name, content, message) -> None:
    response = Client().post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        report_data(attachments=[SimpleUploadedFile(name, content)]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "fee 10%" in html  # what the person wrote stays in the form
    assert not Report.objects.exists() and not media_files()


# What a phone and an office leave in a file: the names they give it and the person in it.
WORD_NAME = "Laporan_Rahmawati_IMG_20261205_143212.docx"
PDF_NAME = "Scan_Rahmawati_20261205_143212.pdf"
TRACES = (
    files.AUTHOR,
    files.AUTHOR_ACCOUNT,
    files.PHOTO_OWNER,
    "rahmawati.siregar",
    "PhoneMaker",
    "Scanner",
    "IMG_20261205",
    "20261205",
    "2026:12:05",
    "2026-12-05",
)


def test_a_word_file_and_a_pdf_with_a_phone_photo_reach_the_handler_without_their_writer(
    world,
) -> None:
    """Sent as a reporter sends them, downloaded as a handler downloads them: the pictures have
    no EXIF or GPS, the documents no author, editors, dates or thumbnails, and the files are
    called lampiran-1.docx and lampiran-2.pdf everywhere; their names are kept nowhere."""
    from cegah.uploads.models import StoredFile
    from cegah.uploads.tests.test_metadata import (
        _dictionaries,
        assert_package_opens,
        assert_photo_is_clean,
    )

    sent = Client().post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        report_data(
            attachments=[
                SimpleUploadedFile(WORD_NAME, files.docx_with_photo()),
                SimpleUploadedFile(PDF_NAME, files.pdf_with_photo()),
            ]
        ),
    )
    assert sent.status_code == 200
    report = Report.objects.get()
    handler = sign_in(Client(), world.inspektorat_binjai)
    page = handler.get(f"/wbs/{report.pk}/").content.decode()
    assert "lampiran-1.docx" in page and "lampiran-2.pdf" in page
    downloads = {}
    for attachment in report.attachments.order_by("number"):
        response = handler.get(reverse("wbs:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        downloads[response["Content-Disposition"]] = response.content
    word = downloads['attachment; filename="lampiran-1.docx"']
    pdf = downloads['attachment; filename="lampiran-2.pdf"']

    archive = zipfile.ZipFile(io.BytesIO(word))
    assert_package_opens(archive)
    assert_photo_is_clean(archive.read("word/media/image1.jpeg"))
    names = set(archive.namelist())
    assert "word/people.xml" not in names and "docProps/thumbnail.jpeg" not in names
    assert not [name for name in names if name.startswith("customXml/")]
    for name in (n for n in names if n.endswith(".xml")):
        assert not re.search(rb"\s(?:w:)?(?:date|initials|rsid\w*)=", archive.read(name)), name
        assert not re.search(rb'\sw:author="[^"]+"', archive.read(name)), name
    assert "Setoran kedua." in archive.read("word/document.xml").decode()  # tracked, kept

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is None and "Kuitansi" in reader.pages[0].extract_text()
    dictionaries = _dictionaries(reader)
    assert not [d for d in dictionaries if "/Metadata" in d or "/Thumb" in d]
    (image,) = [d for d in dictionaries if d.get("/Subtype") == "/Image"]
    assert isinstance(image, StreamObject)
    assert_photo_is_clean(image.get_data())

    for content in (word, pdf):
        everything = content + b"".join(archive.read(n) for n in names)
        for trace in TRACES:
            assert trace.encode() not in everything, trace
    # The names the files came with: in no row of any table, no stored file's name, no audit
    # entry; the files' times hold the day, not the minute.
    dump = every_stored_byte()
    for sent_name in (WORD_NAME, PDF_NAME, "Rahmawati", "IMG_20261205"):
        assert sent_name.encode() not in dump, sent_name
    audit = [str(entry.data) for entry in AuditEntry.objects.all()]
    assert audit and not [entry for entry in audit if "lampiran" in entry or "Rahmawati" in entry]
    for stored in StoredFile.objects.filter(purpose="wbs.attachment"):
        path = Path(stored.file.path)
        assert "Rahmawati" not in str(stored.file.name) and "." not in path.name
        for moment in (path.stat().st_mtime, path.parent.stat().st_mtime):
            when = datetime.fromtimestamp(moment)  # local time, as _set_day writes it
            assert (when.hour, when.minute, when.second) == (0, 0, 0)
            assert when.date() == stored.stored_on


def test_an_oversized_attachment_is_refused(world, settings) -> None:
    settings.WBS_ATTACHMENT_MAX_MB = 1
    big = SimpleUploadedFile("besar.jpg", jpeg_with_gps() + b"\x00" * (1024 * 1024 + 1))
    response = Client().post(
        reverse("wbs_public:report_new", args=[world.binjai.code]), report_data(attachments=[big])
    )
    assert response.status_code == 400 and "1 MB" in response.content.decode()
    assert not Report.objects.exists() and not media_files()


def test_without_proof_of_work_or_sent_twice_nothing_more_is_stored(world) -> None:
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    unsolved = Client().post(url, report_data(pow_solution=""))
    assert unsolved.status_code == 400 and "anti-spam" in unsolved.content.decode()
    assert not Report.objects.exists()
    data = report_data()
    assert Client().post(url, data).status_code == 200
    again = Client().post(url, data)  # the same form sent a second time
    assert again.status_code == 400 and Report.objects.count() == 1


def test_missing_required_answers_are_explained(world) -> None:
    response = Client().post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        report_data(what="", give_identity="on", identity_name=""),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Isi nama Anda" in html and not Report.objects.exists()


def test_a_wrong_receipt_is_refused_without_saying_more(submit) -> None:
    submit()
    response = Client().post(
        "/lapor/ikuti/", {"receipt": "1234 5678 9012 3456", **solved("receipt")}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "tidak dikenal" in html and "1234 5678" not in html
    assert "wbs_ikuti" not in response.cookies


def test_a_forged_follow_cookie_opens_nothing(submit) -> None:
    report, _ = submit()
    client = Client()
    client.cookies["wbs_ikuti"] = report.receipt_hash  # unsigned
    assert client.get("/lapor/ikuti/laporan/")["Location"] == "/lapor/ikuti/"


@pytest.fixture
def handled(submit, world):
    report, _ = submit(
        identity=ReporterIdentity(name="Ani Wijaya", contact="ani@contoh.test"),
        uploads=[
            __import__("cegah.wbs.services", fromlist=["Upload"]).Upload(
                "foto.jpg", io.BytesIO(jpeg_with_gps())
            )
        ],
    )
    return report


def test_the_handler_works_a_report_over_http(handled, world) -> None:
    client = sign_in(Client(), world.inspektorat_binjai)
    queue = client.get("/wbs/")
    assert queue.status_code == 200 and str(handled) in queue.content.decode()
    page = client.get(f"/wbs/{handled.pk}/")
    assert page.status_code == 200 and "fee" not in page.content.decode()  # fixture's words
    assert "Pungutan liar" in page.content.decode()
    assert "Ani Wijaya" not in page.content.decode()  # identity needs a reason first
    assert (
        AuditEntry.objects.filter(
            action="wbs.report.opened", actor=world.inspektorat_binjai
        ).count()
        == 1
    )
    client.post(
        f"/wbs/{handled.pk}/identitas/",
        {"reason": "Perlu keterangan langsung tentang tanggal penyerahan uang."},
    )
    assert "Ani Wijaya" not in client.get(f"/wbs/{handled.pk}/").content.decode()  # not yet
    from cegah.testing.factories import RoleAssignmentFactory, UserFactory
    from cegah.wbs.models import IdentityDisclosure

    colleague = UserFactory.create(email="irban2@binjai.test")
    RoleAssignmentFactory.create(user=colleague, role="inspektorat", pemda=world.binjai)
    second = sign_in(Client(), colleague)
    # The newcomer's key pair was made at sign-in; the report was sealed before it existed.
    assert second.get(f"/wbs/{handled.pk}/").status_code == 403
    client.post(f"/wbs/akses/{colleague.pk}/")  # a colleague grants access
    asked = IdentityDisclosure.objects.get()
    shown = second.get(f"/wbs/{handled.pk}/").content.decode()
    assert "tanggal penyerahan uang" in shown  # the colleague reads the reason to judge it
    second.post(f"/wbs/{handled.pk}/identitas/", {"approve": asked.pk})
    assert "Ani Wijaya" in client.get(f"/wbs/{handled.pk}/").content.decode()
    moved = client.post(
        f"/wbs/{handled.pk}/status/", {"to_state": "verifying", "note": "", "version": 1}
    )
    assert moved.status_code == 302
    stale = client.post(
        f"/wbs/{handled.pk}/status/",
        {"to_state": "rejected", "note": "Tidak cukup bukti untuk diperiksa.", "version": 1},
    )
    # Refused, the page says why and keeps the note as typed, against the current version.
    assert stale.status_code == 400
    handled.refresh_from_db()
    assert handled.state == ReportState.VERIFYING
    assert "diubah orang lain" in stale.content.decode()
    assert "Tidak cukup bukti untuk diperiksa." in stale.content.decode()
    assert f'name="version" value="{handled.version}"' in stale.content.decode()
    attachment = handled.attachments.get()
    download = client.get(f"/wbs/lampiran/{attachment.pk}/")
    assert download.status_code == 200 and download.content.startswith(b"\xff\xd8")
    assert "attachment" in download["Content-Disposition"] and b"PhoneMaker" not in download.content
    assert AuditEntry.objects.filter(action="wbs.attachment.opened").count() == 1


def test_every_other_role_and_pemda_gets_404(handled, world) -> None:
    attachment = handled.attachments.get()
    urls_get = [f"/wbs/{handled.pk}/", f"/wbs/lampiran/{attachment.pk}/"]
    urls_post = {
        f"/wbs/{handled.pk}/status/": {"to_state": "verifying", "note": "", "version": 1},
        f"/wbs/{handled.pk}/pesan/": {"body": "Halo"},
        f"/wbs/{handled.pk}/identitas/": {"reason": "Ingin tahu siapa pelapornya sebenarnya."},
        f"/wbs/{handled.pk}/konflik/": {},
    }
    for user in (
        world.operator_binjai,
        world.admin_binjai,
        world.operator_pekalongan,
        world.admin_pekalongan,
        world.verifier_sumut,
        world.koordinator,
        world.superadmin,
        world.nobody,
    ):
        client = sign_in(Client(), user)
        assert str(handled) not in client.get("/wbs/").content.decode()
        for url in urls_get:
            assert client.get(url).status_code == 404, (user, url)
        for url, data in urls_post.items():
            assert client.post(url, data).status_code == 404, (user, url)
    anonymous = Client()
    assert anonymous.get(f"/wbs/{handled.pk}/")["Location"].startswith("/akun/")
    handled.refresh_from_db()
    assert handled.state == ReportState.RECEIVED and handled.version == 1
    assert not handled.messages.exists() and not handled.disclosures.exists()
    # Nothing written but the key pairs each handler's sign-in makes.
    assert (
        not AuditEntry.objects.filter(action__startswith="wbs.")
        .exclude(action__in=["wbs.key.created"])
        .exists()
    )


def test_the_queue_shows_overdue_and_keeps_its_query_count(
    submit, world, django_assert_max_num_queries
) -> None:
    from datetime import date

    for _ in range(3):
        submit()
    Report.objects.filter(pk=Report.objects.earliest("pk").pk).update(due_on=date(2026, 1, 5))
    client = sign_in(Client(), world.inspektorat_binjai)
    # 15: the queue, and who waits for access or has no key pair yet (once per inspectorate).
    with django_assert_max_num_queries(15):
        page = client.get("/wbs/")
    assert page.content.decode().count("terlambat") == 1
    for _ in range(20):
        submit()
    with django_assert_max_num_queries(15):
        client.get("/wbs/")
    assert len(client.get("/wbs/", {"tenggat": "overdue"}).context["page"].object_list) == 1


def _yesterday() -> None:
    """Everything so far happened yesterday: public figures stand at the end of the day before."""
    from datetime import timedelta

    from django.utils import timezone

    from cegah.wbs.models import StateChange

    day = timezone.localdate() - timedelta(days=1)
    Report.objects.update(received_on=day)
    Report.objects.exclude(closed_on=None).update(closed_on=day)
    StateChange.objects.update(created_on=day)


def test_public_statistics_show_counts_and_no_words(submit, world) -> None:
    report, _ = submit()
    for _n in range(5):
        submit(type="gratifikasi")
    client = sign_in(Client(), world.inspektorat_binjai)
    client.post(
        f"/wbs/{report.pk}/status/",
        {"to_state": "rejected", "note": "Bukan kewenangan Inspektorat daerah.", "version": 1},
    )
    today = Client().get("/lapor/statistik/")
    assert today.context["stats"].total == 0  # nothing of today is public yet
    _yesterday()
    for url in ("/lapor/statistik/", f"/lapor/statistik/{world.binjai.code}/"):
        html = Client().get(url).content.decode()
        assert "Pungutan liar" not in html and "Bukan kewenangan" not in html
        assert re.search(r"Gratifikasi</td><td>5<", html)
        assert re.search(r"Ditolak</td><td>&lt; 5<", html)  # one report: never an exact small count
        assert "<h2>6</h2>" in html
    assert Client().get(f"/lapor/statistik/{world.sumut.code}/").context["stats"].total == 0


def test_a_report_counts_under_the_level_that_handles_it(submit, world) -> None:
    """A report about the Pemda's own inspectorate goes to the province: it is counted there,
    so the Pemda's figures do not reveal that someone reported its inspectorate."""
    submit(names_inspectorate=True)
    _yesterday()
    assert Client().get(f"/lapor/statistik/{world.binjai.code}/").context["stats"].total == 0
    assert Client().get(f"/lapor/statistik/{world.sumut.code}/").context["stats"].total == 1


def test_log_lines_about_reporter_pages_are_dropped_others_kept(world) -> None:
    from django.test import RequestFactory

    from cegah.core.middleware import ReporterPrivacyLogFilter

    console = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ReporterPrivacyLogFilter) for f in h.filters)
    )
    factory = RequestFactory()

    def record_for(path: str) -> logging.LogRecord:
        record = logging.LogRecord(
            "django.request", logging.WARNING, "", 0, "Bad Request: %s", (path,), None
        )
        record.request = factory.get(path)
        return record

    assert not console.filter(record_for("/lapor/12.75/"))
    assert console.filter(record_for("/mcp/lapor/"))


def test_the_access_log_skips_reporter_pages_and_never_has_an_address() -> None:
    from types import SimpleNamespace

    from config import gunicorn_conf

    assert "%(h)s" not in gunicorn_conf.access_log_format
    assert "%(a)s" not in gunicorn_conf.access_log_format
    lines: list[str] = []
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", gunicorn_conf.access_log_format)
    logger = gunicorn_conf.PrivateAccessLogger(config)
    logger.access_log.handlers = []
    logger.access_log.addHandler(_ListHandler(lines))
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    for path in ("/lapor/12.75/", "/static/js/wbs.4f2a9c.js", "/publik/"):
        request = SimpleNamespace(headers=[], method="GET", path=path, query="", version=(1, 1))
        environ = {
            "PATH_INFO": path,
            "REMOTE_ADDR": "203.0.113.77",
            "HTTP_USER_AGENT": "Unik/1",
            "REQUEST_METHOD": "GET",
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "RAW_URI": path,
        }
        from datetime import timedelta

        logger.access(response, request, environ, timedelta(seconds=0.01))
    assert len(lines) == 1 and "/publik/" in lines[0]
    assert "203.0.113.77" not in lines[0] and "Unik" not in lines[0]


class _ListHandler(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_national_statistics_keep_their_query_count_as_pemda_grow(
    submit, world, django_assert_max_num_queries
) -> None:
    from cegah.regions.models import Pemda

    submit()
    _yesterday()
    with django_assert_max_num_queries(8):
        Client().get("/lapor/statistik/")
    for pemda in Pemda.objects.order_by("code")[:30]:
        submit(pemda=pemda)
    _yesterday()
    with django_assert_max_num_queries(8):
        page = Client().get("/lapor/statistik/")
    assert len(page.context["stats"].per_pemda) == 31  # Binjai and the 30 others


def test_a_handler_declares_a_conflict_and_the_report_leaves_their_queue(
    submit, world, inspektorat_sumut
) -> None:
    report, _ = submit()
    binjai = sign_in(Client(), world.inspektorat_binjai)
    page = binjai.get(f"/wbs/{report.pk}/").content.decode()
    assert "Nyatakan benturan kepentingan" in page
    declared = binjai.post(f"/wbs/{report.pk}/konflik/", follow=True)
    assert declared.redirect_chain[-1][0] == "/wbs/"
    assert "Inspektorat provinsi" in declared.content.decode()
    assert report not in declared.context["page"].object_list
    assert binjai.get(f"/wbs/{report.pk}/").status_code == 404
    province = sign_in(Client(), inspektorat_sumut)
    assert str(report) in province.get("/wbs/").content.decode()
    assert province.get(f"/wbs/{report.pk}/").status_code == 200


def test_a_national_handler_who_declares_a_conflict_loses_the_report_and_others_keep_it(
    submit, world, second_koordinator
) -> None:
    """At the top level there is no level above: stepping aside must still take the report
    out of that handler's hands, and leave it with the other national handlers."""
    report, _ = submit(pemda=world.sumut, names_inspectorate=True)  # a province's: national
    stepping_aside = sign_in(Client(), world.koordinator)
    assert stepping_aside.get(f"/wbs/{report.pk}/").status_code == 200
    stepping_aside.post(f"/wbs/{report.pk}/konflik/")
    report.refresh_from_db()
    assert report.level == HandlingLevel.NASIONAL
    assert stepping_aside.get(f"/wbs/{report.pk}/").status_code == 404
    assert str(report) not in stepping_aside.get("/wbs/").content.decode()
    other = sign_in(Client(), second_koordinator)
    assert str(report) in other.get("/wbs/").content.decode()
    assert other.get(f"/wbs/{report.pk}/").status_code == 200


def test_running_the_system_is_no_reason_to_read_reports(submit, world) -> None:
    national, _ = submit(pemda=world.sumut, names_inspectorate=True)
    regional, _ = submit()
    superadmin = sign_in(Client(), world.superadmin)
    for report in (national, regional):
        assert superadmin.get(f"/wbs/{report.pk}/").status_code == 404
    queue = superadmin.get("/wbs/")
    assert queue.status_code == 200 and not queue.context["page"].object_list
