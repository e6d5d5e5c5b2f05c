"""A refused form says why and keeps what was typed; files it cannot keep are named."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cegah.testing.clients import sign_in
from cegah.uploads.tests.files import EXE
from cegah.wbs.models import Message, Report

from .conftest import jpeg_with_gps
from .test_pages import REPORTER, handled, media_files, report_data  # noqa: F401

pytestmark = pytest.mark.django_db


def _reporter() -> Client:
    return Client(REMOTE_ADDR=REPORTER["REMOTE_ADDR"], HTTP_USER_AGENT=REPORTER["HTTP_USER_AGENT"])


def test_a_refused_report_keeps_its_text_and_names_the_files_to_choose_again(world) -> None:
    photo = SimpleUploadedFile("kwitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    refused = _reporter().post(url, report_data(estimated_loss="50.00.000", attachments=[photo]))
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Kepala bidang meminta fee 10% dari setiap kontrak" in html  # the text stays
    assert "Pilih lagi: kwitansi.jpg" in html
    assert not Report.objects.exists() and media_files() == []  # nothing kept meanwhile


def test_sent_by_the_page_script_the_files_stay_chosen_and_are_not_named(world) -> None:
    photo = SimpleUploadedFile("kwitansi.jpg", jpeg_with_gps(), content_type="image/jpeg")
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    refused = _reporter().post(
        url,
        report_data(estimated_loss="50.00.000", attachments=[photo]),
        headers={"X-Keeps-Files": "1"},
    )
    assert refused.status_code == 400 and "Pilih lagi" not in refused.content.decode()


def test_a_handlers_refused_message_keeps_its_text(handled, world) -> None:  # noqa: F811
    client = sign_in(Client(), world.inspektorat_binjai)
    body = "Mohon kirim foto kuitansi yang lebih jelas, termasuk tanggalnya."
    program = SimpleUploadedFile("alat.exe", EXE, content_type="application/octet-stream")
    refused = client.post(
        reverse("wbs:message", args=[handled.pk]), {"body": body, "attachments": [program]}
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert body in html  # the message is still in its box
    assert "Pilih lagi" in html and "alat.exe" in html
    assert not Message.objects.filter(report=handled, side=Message.Side.HANDLER).exists()


def test_the_receipt_and_the_follow_page_name_the_day_of_the_next_step(world, settings) -> None:
    import re
    from datetime import timedelta

    from django.utils import formats, timezone

    from cegah.workdays.days import add_working_days

    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    receipt = _reporter().post(url, report_data()).content.decode()
    due = add_working_days(timezone.localdate(), settings.WBS_VERIFY_DAYS)
    day = formats.date_format(due, "l, j F Y")
    assert f"Langkah berikutnya: pemeriksaan awal, paling lambat {day}." in receipt
    assert "kws.kpk.go.id" in receipt  # what to do when it passes
    code = re.search(r'id="receipt-code">([\d ]+)<', receipt)
    assert code is not None
    from .conftest import solved

    follower = _reporter()
    follower.post("/lapor/ikuti/", {"receipt": code.group(1), **solved("receipt")})
    page = follower.get("/lapor/ikuti/laporan/").content.decode()
    assert f"paling lambat {day}" in page
    Report.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert "Tanggal itu sudah lewat." in follower.get("/lapor/ikuti/laporan/").content.decode()
