"""Anonymous writes to the reporter pages are limited per client without keeping its address,
and one report stores a bounded amount (security issue, item 9: follow-up messages took 5 x 20 MB
each with no proof of work)."""

from __future__ import annotations

import io
import logging
import os
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cegah.wbs.models import Attachment, Report
from cegah.wbs.services import Upload

from .conftest import solved

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.23"
FOLLOW = "/lapor/ikuti/laporan/"


def _noise_png(side: int = 500) -> bytes:
    """A photo-sized PNG that no compression shrinks: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


def _signed_in(receipt: str, address: str = ADDRESS) -> Client:
    reporter = Client(REMOTE_ADDR=address)
    answer = reporter.post("/lapor/ikuti/", {"receipt": receipt, **solved("receipt")})
    assert answer.status_code == 302
    return reporter


def test_a_client_making_too_many_writes_waits_and_keeps_what_it_typed(
    world, settings, caplog
) -> None:
    settings.WBS_WRITES_PER_HOUR = 3
    form = reverse("wbs_public:report_new", args=[world.binjai.code])
    reporter = Client(REMOTE_ADDR=ADDRESS)
    typed = {"type": "korupsi", "what": "Setoran ke rekening pribadi kepala dinas."}
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):  # refused for the missing proof of work, but counted
            assert reporter.post(form, typed).status_code == 400
        refused = reporter.post(form, typed)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Terlalu banyak kiriman" in page and "menit" in page
    assert "Setoran ke rekening pribadi kepala dinas." in page  # kept in the form
    # Another client is not held back by this one.
    assert Client(REMOTE_ADDR="198.51.100.24").post(form, typed).status_code == 400
    # Reading is never limited.
    assert reporter.get(form).status_code == 200
    # The address is neither kept in the cache (a keyed hash of it is, for the hour) nor logged.
    held = repr(list(cache._cache.items()))  # type: ignore[attr-defined]
    assert ADDRESS not in held and "wbs-writes:" in held
    assert ADDRESS not in caplog.text


def test_receipt_sign_ins_and_follow_up_messages_are_limited_too(submit, settings) -> None:
    settings.WBS_WRITES_PER_HOUR = 2
    _report, receipt = submit()
    reporter = _signed_in(receipt)  # the first sign-in
    wrong = {"receipt": "1234 5678 9012 3456", **solved("receipt")}
    assert reporter.post("/lapor/ikuti/", wrong).status_code == 400  # the second
    refused = reporter.post("/lapor/ikuti/", wrong)
    assert refused.status_code == 429 and "Terlalu banyak kiriman" in refused.content.decode()
    # Messages are counted apart from sign-ins.
    for n in range(2):
        assert (
            reporter.post(FOLLOW, {"body": f"Tambahan {n}.", **solved("message")}).status_code
            == 302
        )
    held_back = reporter.post(FOLLOW, {"body": "Tambahan ketiga, ditahan.", **solved("message")})
    assert held_back.status_code == 429
    assert "Tambahan ketiga, ditahan." in held_back.content.decode()


def test_an_ipv6_client_is_counted_by_its_network(world, settings) -> None:
    settings.WBS_WRITES_PER_HOUR = 1
    form = reverse("wbs_public:report_new", args=[world.binjai.code])
    assert Client(REMOTE_ADDR="2001:db8:1:2::10").post(form, {}).status_code == 400
    # Another address of the same /64, as a telephone is given: the same client.
    assert Client(REMOTE_ADDR="2001:db8:1:2::ffff").post(form, {}).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::10").post(form, {}).status_code == 400


def test_a_report_stores_at_most_its_cap_of_attachments(submit, settings) -> None:
    settings.WBS_REPORT_MAX_MB = 1
    photo = _noise_png()
    assert 600 * 1024 < len(photo) < 1024 * 1024
    report, receipt = submit(uploads=[Upload("foto-1.png", io.BytesIO(photo))])
    reporter = _signed_in(receipt)
    second = SimpleUploadedFile("foto-2.png", photo, content_type="image/png")
    refused = reporter.post(
        FOLLOW, {"body": "Foto kedua.", "attachments": [second], **solved("message")}
    )
    assert refused.status_code == 400
    assert "paling banyak 1 MB seluruhnya" in refused.content.decode()
    assert Attachment.objects.filter(report=report).count() == 1  # nothing more kept
    # Words still go, and files that fit.
    assert (
        reporter.post(FOLLOW, {"body": "Tanpa lampiran.", **solved("message")}).status_code == 302
    )
    small = SimpleUploadedFile("kecil.png", _noise_png(100), content_type="image/png")
    assert (
        reporter.post(
            FOLLOW, {"body": "Kecil.", "attachments": [small], **solved("message")}
        ).status_code
        == 302
    )
    assert Attachment.objects.filter(report=report).count() == 2


def test_wrong_receipts_slow_that_client_only(world, settings) -> None:
    settings.WBS_RECEIPT_FAILURES_PER_HOUR = 3
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    wrong = {"receipt": "1234 5678 9012 3456"}
    for _ in range(3):
        assert guesser.post("/lapor/ikuti/", {**wrong, **solved("receipt")}).status_code == 400
    held = guesser.post("/lapor/ikuti/", {**wrong, **solved("receipt")})
    assert held.status_code == 429 and "kode yang salah" in held.content.decode()
    # Another reporter's first try is neither slower nor refused.
    honest = Client(REMOTE_ADDR="203.0.113.50")
    page = honest.get("/lapor/ikuti/").content.decode()
    assert f'data-pow-bits="{settings.WBS_POW_BITS}"' in page
    assert honest.post("/lapor/ikuti/", {**wrong, **solved("receipt")}).status_code == 400


def _follow(world) -> tuple[Client, Report]:
    reporter = Client(REMOTE_ADDR="203.0.113.60")
    page = reporter.post(
        reverse("wbs_public:report_new", args=[world.binjai.code]),
        {
            "type": "korupsi",
            "what": "Pungutan izin usaha.",
            **solved("report"),
        },
    ).content.decode()
    code = re.search(r'id="receipt-code">([\d ]+)<', page)
    assert code is not None
    reporter.post("/lapor/ikuti/", {"receipt": code.group(1), **solved("receipt")})
    return reporter, Report.objects.get()


def test_the_follow_cookie_is_opaque_lives_with_the_browser_and_can_be_revoked(world) -> None:
    reporter, report = _follow(world)
    cookie = reporter.cookies["wbs_ikuti"]
    assert not cookie["max-age"] and not cookie["expires"]  # a session cookie
    import base64

    assert report.receipt_hash not in cookie.value
    assert b'"r"' not in base64.urlsafe_b64decode(cookie.value)  # sealed, not only encoded
    assert reporter.get("/lapor/ikuti/laporan/").status_code == 200
    # The same cookie on another device; closing the report on one closes it on both.
    other = Client()
    other.cookies["wbs_ikuti"] = cookie.value
    assert other.get("/lapor/ikuti/laporan/").status_code == 200
    reporter.post("/lapor/ikuti/keluar/")
    assert other.get("/lapor/ikuti/laporan/").status_code == 302  # back to the receipt form


def test_the_csrf_cookie_is_not_kept_for_a_year(world) -> None:
    page = Client().get(reverse("wbs_public:report_new", args=[world.binjai.code]))
    csrf = page.cookies.get("csrftoken")
    assert csrf is not None and not csrf["max-age"] and not csrf["expires"]


def test_a_reporter_without_javascript_reports_after_waiting(world, settings, monkeypatch) -> None:
    """Tor Browser at its safest runs no script: the proof of work is replaced by a wait."""
    import time as clock

    settings.WBS_NO_SCRIPT_WAIT_SECONDS = 120
    reporter = Client(REMOTE_ADDR="198.51.100.20")
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    form = reporter.get(url).content.decode()
    assert "Tanpa JavaScript pun laporan bisa dikirim" in form
    token = re.search(r'name="pow_token" value="([^"]+)"', form)
    assert token is not None
    typed = {"type": "korupsi", "what": "Pungutan di loket izin.", "pow_token": token.group(1)}
    early = reporter.post(url, typed)
    assert early.status_code == 400 and "Tunggu sebentar lagi" in early.content.decode()
    assert token.group(1) in early.content.decode()  # the same page's token: the wait goes on
    assert not Report.objects.exists()
    later = clock.time() + 121
    monkeypatch.setattr("cegah.wbs.proof_of_work.time.time", lambda: later)
    sent = reporter.post(url, typed)
    assert sent.status_code == 200 and "Laporan Anda sudah terkirim" in sent.content.decode()
    assert Report.objects.count() == 1
    again = reporter.post(url, typed)  # the token is spent
    assert again.status_code == 400 and Report.objects.count() == 1


def test_a_follow_up_without_javascript_is_sent_after_waiting(world, settings, monkeypatch) -> None:
    import time as clock

    settings.WBS_NO_SCRIPT_WAIT_SECONDS = 120
    reporter, report = _follow(world)
    page = reporter.get("/lapor/ikuti/laporan/").content.decode()
    token = re.search(r'name="pow_token" value="([^"]+)"', page)
    assert token is not None
    typed = {"body": "Tambahan tanpa skrip.", "pow_token": token.group(1)}
    early = reporter.post("/lapor/ikuti/laporan/", typed)
    assert early.status_code == 400 and "Tunggu sebentar lagi" in early.content.decode()
    assert token.group(1) in early.content.decode()  # the wait goes on with the same token
    later = clock.time() + 121
    monkeypatch.setattr("cegah.wbs.proof_of_work.time.time", lambda: later)
    assert reporter.post("/lapor/ikuti/laporan/", typed).status_code == 302
    assert report.messages.filter(side="pelapor").count() == 1
