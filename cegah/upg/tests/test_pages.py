"""Gratification pages over HTTP: the report form with Indonesian numbers and dates, the check
as one types, the denials, the UPG's acts, the files for KPK, the register and the public
figures with small counts hidden."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from cegah.accounts.models import User
from cegah.audit.models import AuditEntry
from cegah.testing.clients import sign_in
from cegah.upg import services
from cegah.upg.models import ExemptGift, Report
from cegah.uploads.tests.files import PDF

from .conftest import REPORTER, Upg, gift

pytestmark = pytest.mark.django_db


def as_(user: User) -> Client:
    return sign_in(Client(), user)


def form_data(**changes: str) -> dict[str, str]:
    received = timezone.localdate() - timedelta(days=3)
    data = {
        "received_on": received.strftime("%d-%m-%Y"),
        "refused": "0",
        "giver_name": "CV Sinar Abadi",
        "giver_relation": "Rekanan pengadaan",
        "giver_address": "",
        "category": "",
        "kind": "barang",
        "description": "Telepon genggam",
        "value": "Rp1.500.000",
        "place": "Kantor BPKAD",
        "occasion": "Serah terima pekerjaan",
        "chronology": "Diserahkan setelah rapat serah terima; saya terima karena tidak sempat menolak.",
        "nik": "1275 0101 0185 0002",
        "address": "Jl. Gatot Subroto 5, Binjai",
        "phone": "",
        "report": "1",
    }
    data.update(changes)
    return data


def submit(u: Upg, **changes: object) -> Report:
    return services.report_submit(
        actor=u.reporter.user, employee=u.reporter, gift=gift(**changes), reporter=REPORTER
    )


def test_a_civil_servant_reports_with_indonesian_numbers_and_dates(upg: Upg) -> None:
    client = as_(upg.reporter.user)
    url = reverse("upg:report_new")
    assert client.get(url).status_code == 200
    # A NIK of 15 digits: refused in words, what was typed kept, nothing saved.
    refused = client.post(url, form_data(nik="127501010185000"))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "NIK terdiri dari 16 angka." in page
    assert 'value="Rp1.500.000"' in page
    assert "Serah terima pekerjaan" in page
    assert not Report.objects.exists()
    sent = client.post(
        url, {**form_data(), "evidence": SimpleUploadedFile("foto-telepon.pdf", PDF)}
    )
    report = Report.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("upg:report", kwargs={"pk": report.pk})
    assert report.value == Decimal(1_500_000)
    assert report.nik == "1275010101850002"
    assert (report.reporter_name, report.opd) == ("Rudi Simanjuntak", upg.world.bpkad_binjai)
    shown = client.get(sent["Location"]).content.decode()
    assert "Rp1.500.000" in shown
    assert "foto-telepon.pdf" in shown
    evidence = report.evidence.get()
    download = client.get(reverse("upg:evidence_download", kwargs={"pk": evidence.pk}))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_the_check_says_why_while_writing(upg: Upg) -> None:
    client = as_(upg.reporter.user)
    answer = client.post(
        reverse("upg:check"),
        form_data(received_on="02-03-2026", category="pernikahan", kind="uang", value="1.200.000"),
    )
    text = answer.content.decode()
    assert "Tampaknya tidak wajib dilaporkan" in text
    assert "Rp1.200.000" in text and "Rp1.500.000 yang berlaku sejak 14 Januari 2026" in text
    # Received before 14 January 2026: over the Rp1.000.000 then in force.
    before = client.post(
        reverse("upg:check"),
        form_data(received_on="13-01-2026", category="pernikahan", kind="uang", value="1.200.000"),
    ).content.decode()
    assert "Wajib dilaporkan" in before and "Rp1.000.000" in before
    assert not Report.objects.exists()


def test_an_exempt_gift_is_noted_for_oneself(upg: Upg) -> None:
    client = as_(upg.reporter.user)
    noted = client.post(
        reverse("upg:report_new"),
        {
            **form_data(category="rekan_kerja", value="Rp250.000", nik=""),
            "note": "1",
        },
    )
    assert noted.status_code == 302
    assert ExemptGift.objects.get().value == Decimal(250_000)
    assert not Report.objects.exists()
    assert "Rp250.000" in client.get(reverse("upg:mine")).content.decode()
    # Not exempt: refused, nothing noted.
    again = client.post(
        reverse("upg:report_new"), {**form_data(category="rekan_kerja", kind="uang"), "note": "1"}
    )
    assert again.status_code == 400
    assert ExemptGift.objects.count() == 1


def test_only_the_reporter_and_their_upg_see_a_report(upg: Upg) -> None:
    report = submit(upg)
    evidence_less = reverse("upg:report", kwargs={"pk": report.pk})
    w = upg.world
    for outsider in (
        upg.colleague.user,  # a colleague
        upg.head.user,  # the reporter's superior
        upg.upg_pekalongan,  # another Pemda's UPG
        w.inspektorat_binjai,
        w.admin_binjai,
        w.koordinator,
    ):
        client = as_(outsider)
        for name in ("upg:report", "upg:kpk_pdf", "upg:kpk_csv", "upg:kpk_json"):
            assert client.get(reverse(name, kwargs={"pk": report.pk})).status_code == 404, (
                outsider,
                name,
            )
        assert (
            client.post(evidence_less, {"action": "forward", "confirm": "yes"}).status_code == 404
        )
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    # The reporter reads it but does not get the UPG's files.
    mine = as_(upg.reporter.user)
    assert mine.get(evidence_less).status_code == 200
    assert mine.get(reverse("upg:kpk_pdf", kwargs={"pk": report.pk})).status_code == 404
    assert as_(upg.upg).get(evidence_less).status_code == 200
    # Every opening is audited.
    assert AuditEntry.objects.filter(action="upg.report.open").count() == 2


def test_the_upg_pages_are_the_upgs(upg: Upg) -> None:
    code = upg.world.binjai.code
    for name in ("upg:queue", "upg:custody"):
        url = reverse(name, kwargs={"code": code})
        assert as_(upg.upg).get(url).status_code == 200
        for outsider in (upg.reporter.user, upg.upg_pekalongan, upg.world.inspektorat_binjai):
            assert as_(outsider).get(url).status_code == 404
    stats = reverse("upg:statistics", kwargs={"code": code})
    assert as_(upg.world.inspektorat_binjai).get(stats).status_code == 200
    for outsider in (upg.reporter.user, upg.upg_pekalongan, upg.world.admin_binjai):
        assert as_(outsider).get(stats).status_code == 404
    # Someone who is no civil servant has no gratification page of their own.
    assert as_(upg.world.admin_binjai).get(reverse("upg:mine")).status_code == 404
    assert as_(upg.world.admin_binjai).get(reverse("upg:report_new")).status_code == 404


def test_forwarding_asks_then_sends_and_the_files_for_kpk(upg: Upg) -> None:
    report = submit(upg, value=Decimal(2_750_000))
    services.evidence_add(
        actor=upg.reporter.user,
        report=report,
        uploads=[SimpleUploadedFile("kwitansi.pdf", PDF)],
    )
    client = as_(upg.upg)
    url = reverse("upg:report", kwargs={"pk": report.pk})
    asked = client.post(url, {"action": "forward"})
    assert asked.status_code == 200
    assert "Rp2.750.000" in asked.content.decode() and "1 berkas bukti" in asked.content.decode()
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED
    assert client.post(url, {"action": "forward", "confirm": "yes"}).status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.FORWARDED

    pdf = client.get(reverse("upg:kpk_pdf", kwargs={"pk": report.pk}))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert report.number in text and "1275010101850002" in text and "Rp2.750.000" in text
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    client.get(reverse("upg:kpk_csv", kwargs={"pk": report.pk})).streaming_content  # type: ignore[attr-defined]
                ).decode("utf-8-sig")
            )
        )
    )
    assert rows[0]["nomor"] == report.number
    assert rows[0]["perkiraan_nilai_rupiah"] == "2750000"
    assert rows[0]["berkas_bukti"] == "kwitansi.pdf"
    data = json.loads(client.get(reverse("upg:kpk_json", kwargs={"pk": report.pk})).content)
    assert data["nik"] == "1275010101850002"
    assert data["tanggal_diterima"] == report.received_on.isoformat()
    assert data["berkas_bukti"] == ["kwitansi.pdf"]


def test_a_refused_decision_keeps_what_was_typed(upg: Upg) -> None:
    report = submit(upg)
    services.report_forward(actor=upg.upg, report=report)
    client = as_(upg.upg)
    url = reverse("upg:report", kwargs={"pk": report.pk})
    today = timezone.localdate().strftime("%d-%m-%Y")
    refused = client.post(
        url,
        {
            "action": "decide",
            "outcome": "milik_penerima",
            "sk_number": "77/GRA/2026",
            "sk_date": today,
            "compensation": "Rp500.000",
            "compensation_paid_on": today,
        },
    )
    assert refused.status_code == 400
    assert "Kompensasi hanya dibayar" in refused.content.decode()
    assert 'value="77/GRA/2026"' in refused.content.decode()
    report.refresh_from_db()
    assert report.state == Report.State.FORWARDED


def test_statistics_register_and_export(upg: Upg) -> None:
    for value, kind in ((500_000, "barang"), (2_000_000, "uang"), (300_000, "barang")):
        submit(upg, value=Decimal(value), kind=kind)
    client = as_(upg.world.inspektorat_binjai)
    url = reverse("upg:statistics", kwargs={"code": upg.world.binjai.code})
    page = client.get(url).content.decode()
    assert "Rp2.800.000" in page
    assert "Rudi" not in page  # the register names nobody
    export = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert sorted(r[5] for r in rows[1:]) == [300_000, 500_000, 2_000_000]
    pdf = client.get(reverse("upg:register_pdf", kwargs={"code": upg.world.binjai.code}))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "3 laporan senilai Rp2.800.000" in text


def test_public_figures_hide_small_counts_and_stop_yesterday(upg: Upg) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    for _n in range(3):
        submit(upg, value=Decimal(1_000_000), received_on=yesterday - timedelta(days=2))
    Report.objects.update(submitted_on=yesterday)
    url = reverse("public:gratification_pemda", kwargs={"code": upg.world.binjai.code})
    page = Client().get(url + f"?tahun={yesterday.year}").content.decode()
    assert "&lt; 5" in page
    assert "Rp3.000.000" not in page  # no value from fewer than five reports
    for _n in range(2):
        submit(upg, value=Decimal(1_000_000), received_on=yesterday - timedelta(days=2))
    Report.objects.update(submitted_on=yesterday)
    # Sent today: not in the figures until tomorrow.
    submit(upg, value=Decimal(9_000_000))
    page = Client().get(url + f"?tahun={yesterday.year}").content.decode()
    assert "Rp5.000.000" in page
    assert "Rp14.000.000" not in page
    national = Client().get(reverse("public:gratification") + f"?tahun={yesterday.year}")
    assert "Kota Binjai" in national.content.decode()


def test_the_queue_reads_the_same_queries_for_n_and_2n(upg: Upg) -> None:
    client = as_(upg.upg)
    url = reverse("upg:queue", kwargs={"code": upg.world.binjai.code})

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for _n in range(3):
        submit(upg)
    small = count()
    for _n in range(3):
        submit(upg)
    assert count() == small
