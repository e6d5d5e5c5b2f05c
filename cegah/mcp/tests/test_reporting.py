"""The reporting loop through HTTP: answer, upload, submit, return, fix, approve, lock."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import Role, RoleAssignment
from cegah.audit.models import AuditEntry
from cegah.core.errors import DomainError
from cegah.mcp.models import (
    Answer,
    Evidence,
    IndicatorAssignment,
    Period,
    PeriodExtension,
    SubIndicator,
)
from cegah.mcp.services import reporting as reporting_services
from cegah.notifications.models import Notification
from cegah.testing.clients import sign_in
from cegah.uploads.models import StoredFile
from cegah.uploads.tests import files

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def _answer(
    client,
    reporting,
    code: str = "PRC.1.1",
    value: str = "1",
    version: int | str = 0,
    pemda: str = "12.75",
    htmx: bool = True,
):
    url = reverse("mcp:work_answer", kwargs={"code": pemda, "sub_id": reporting.subs[code].pk})
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, {"value": value, "version": version}, headers=headers)


def _upload(
    client, reporting, code: str = "PRC.1.1", name: str = "notulen.pdf", data=files.PDF, **extra
):
    url = reverse("mcp:work_evidence", kwargs={"code": "12.75", "sub_id": reporting.subs[code].pk})
    payload = {"file": SimpleUploadedFile(name, data), "effective_date": TODAY, **extra}
    return client.post(url, payload, headers={"HX-Request": "true"})


def _state(reporting, code: str = "PRC.1.1", pemda_code: str = "12.75") -> Answer:
    return Answer.objects.get(sub_indicator=reporting.subs[code], pemda__code=pemda_code)


def test_the_whole_loop_from_upload_to_lock(
    world, reporting, client, django_capture_on_commit_callbacks
) -> None:
    operator = sign_in(client, world.operator_binjai)
    page = operator.get(reverse("mcp:work")).content.decode()
    assert "Musrenbang terdokumentasi" in page and "Sertifikasi tanah" not in page

    # The operator answers and uploads, each without a page reload (htmx fragments).
    saved = _answer(operator, reporting)
    assert saved.content.decode().lstrip().startswith('<article id="sub-')
    assert "Jawaban disimpan:" in saved.content.decode()
    assert "Bukti “notulen.pdf” diunggah." in _upload(operator, reporting).content.decode()
    assert "Jawaban disimpan:" in _answer(operator, reporting, "PRC.1.2", "1").content.decode()

    # The Admin Pemda submits; a second click sends nothing more.
    admin = sign_in(Client(), world.admin_binjai)
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    # The first click asks (cegah/mcp/tests/test_confirmations.py); the second sends.
    assert "Ya, kirim" in admin.post(review).content.decode()
    text = admin.post(review, {"confirm": "yes"}, follow=True).content.decode()
    assert "2 item dikirim ke verifikator." in text
    assert (
        "Tidak ada item lengkap yang perlu dikirim."
        in admin.post(review, {"confirm": "yes"}, follow=True).content.decode()
    )
    assert _state(reporting).state == "submitted"
    # Submitted items are read-only to the operator.
    refused = _answer(operator, reporting, value="0", version=_state(reporting).version)
    assert "hanya bisa diubah bila dikembalikan" in refused.content.decode()

    # The verifier returns PRC.1.1 with a reason; the Pemda is notified in the app and by email.
    verifier = sign_in(Client(), world.verifier_sumut)
    item = reverse("mcp:verify_item", kwargs={"pk": _state(reporting).pk})
    # Opening the item changes nothing (a link preview or a prefetch must not); starting the
    # review is an act of its own.
    assert verifier.get(item).status_code == 200
    assert verifier.head(item).status_code == 200
    assert _state(reporting).state == "submitted"
    assert not AuditEntry.objects.filter(action="mcp.answer.review").exists()
    verifier.post(item, {"start_review": "1"})
    assert _state(reporting).state == "in_review"
    assert AuditEntry.objects.filter(action="mcp.answer.review").count() == 1
    assert "sudah sedang diverifikasi" in (
        verifier.post(item, {"start_review": "1"}, follow=True).content.decode()
    )
    without_reason = verifier.post(
        item, {"decision_form": "1", "decision": "return", "reason": ""}, follow=True
    )
    assert "Tulis alasan pengembalian" in without_reason.content.decode()
    assert _state(reporting).state == "in_review"
    with django_capture_on_commit_callbacks(execute=True):
        verifier.post(
            item,
            {"decision_form": "1", "decision": "return", "reason": "Notulen tidak ditandatangani."},
        )
    assert _state(reporting).state == "returned"
    note = Notification.objects.get(recipient=world.operator_binjai)
    assert note.title == "PRC.1.1 dikembalikan" and "Notulen tidak ditandatangani." in note.body
    assert Notification.objects.filter(recipient=world.admin_binjai).exists()
    assert not Notification.objects.filter(recipient=world.operator_pupr_binjai).exists()
    assert any("PRC.1.1 dikembalikan" in m.subject for m in mail.outbox)

    # The operator sees the verifier's word, replaces the evidence and resubmits.
    page = operator.get(reverse("mcp:work")).content.decode()
    assert "Notulen tidak ditandatangani." in page
    assert "1 dikembalikan verifikator" in page and "1 menunggu verifikasi" in page
    signed = files.PDF.replace(b"%%EOF", b"% ditandatangani\n%%EOF")
    _upload(operator, reporting, name="notulen-ttd.pdf", data=signed)
    answer = _state(reporting)
    resubmit = reverse(
        "mcp:work_resubmit", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk}
    )
    operator.post(resubmit, {"version": answer.version}, headers={"HX-Request": "true"})
    assert _state(reporting).state == "resubmitted"
    revisions = list(Evidence.objects.filter(answer=answer).order_by("revision"))
    assert [e.original_name for e in revisions] == ["notulen.pdf", "notulen-ttd.pdf"]
    assert revisions[0].replaced_at is not None and revisions[1].replaced_at is None

    # The verifier approves with a verified value; the item locks.
    verifier.post(item, {"decision_form": "1", "decision": "approve", "verified_value": "1"})
    answer = _state(reporting)
    assert (answer.state, answer.verified_value) == ("approved", Decimal(1))
    locked = _answer(operator, reporting, value="0", version=answer.version)
    assert "sudah disetujui dan terkunci" in locked.content.decode()
    assert _state(reporting).value == 1
    actions = list(
        AuditEntry.objects.filter(action__startswith="mcp.").values_list("action", flat=True)
    )
    for expected in (
        "mcp.answer.save",
        "mcp.evidence.add",
        "mcp.report.submit",
        "mcp.answer.return",
        "mcp.answer.resubmit",
        "mcp.answer.approve",
    ):
        assert expected in actions


def test_the_verified_value_may_differ_from_the_self_assessed_one(world, reporting, login) -> None:
    client = login(world.operator_pupr_binjai)
    _answer(client, reporting, "BMD.1.1", "12000")
    answer = _state(reporting, "BMD.1.1")
    Answer.objects.filter(pk=answer.pk).update(state="submitted")
    verifier = login(world.verifier_sumut)
    item = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    verifier.post(item, {"decision_form": "1", "decision": "approve", "verified_value": "9500"})
    answer.refresh_from_db()
    assert (answer.value, answer.verified_value) == (Decimal(12000), Decimal(9500))


def test_the_verified_value_is_asked_as_the_question_asks_it(world, reporting, login) -> None:
    """A choice among the question's options (not an index to type), and nothing to fill for a
    document-only question, which approval marks met."""
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "0")  # "Sesuai"
    SubIndicator.objects.filter(pk=reporting.subs["PRC.1.1"].pk).update(answer_type="document")
    Answer.objects.create(
        pemda=world.binjai, period=reporting.period, sub_indicator=reporting.subs["PRC.1.1"]
    )
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    choice = reverse("mcp:verify_item", kwargs={"pk": _state(reporting, "PRC.1.2").pk})
    page = verifier.get(choice).content.decode()
    assert '<option value="2">Tidak</option>' in page
    assert '<option value="" selected>Sama dengan jawaban Pemda</option>' in page
    forged = verifier.post(
        choice, {"decision_form": "1", "decision": "approve", "verified_value": "7"}
    )
    assert "7 bukan salah satu dari pilihan yang tersedia" in forged.content.decode()
    assert _state(reporting, "PRC.1.2").state == "submitted"  # refused: nothing moved
    verifier.post(choice, {"decision_form": "1", "decision": "approve", "verified_value": "1"})
    answer = _state(reporting, "PRC.1.2")
    assert (answer.state, answer.value, answer.verified_value) == (
        "approved",
        Decimal(0),
        Decimal(1),
    )
    assert "Sebagian" in verifier.get(choice).content.decode()  # verified: partly

    document = reverse("mcp:verify_item", kwargs={"pk": _state(reporting, "PRC.1.1").pk})
    page = verifier.get(document).content.decode()
    assert 'name="verified_value"' not in page
    assert "<dd>dokumen saja</dd>" in page and "<dd>kosong</dd>" not in page
    verifier.post(document, {"decision_form": "1", "decision": "approve"})
    assert _state(reporting, "PRC.1.1").verified_value == 1
    assert "<dd>terpenuhi</dd>" in verifier.get(document).content.decode()


def test_a_second_person_saving_an_old_form_is_told_who_changed_it(world, reporting, login) -> None:
    first = sign_in(Client(), world.operator_binjai)
    second = sign_in(Client(), world.admin_binjai)
    _answer(first, reporting, "PRC.1.2", "0", version=0)
    stale = _answer(second, reporting, "PRC.1.2", "2", version=0).content.decode()
    assert "Rina Siregar mengubah item ini" in stale
    assert "Nilai terbaru: Sesuai" in stale
    assert _state(reporting, "PRC.1.2").value == 0  # nothing overwritten silently


def test_a_double_clicked_save_acts_once(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    first = _answer(client, reporting, value="1", version=0)
    again = _answer(client, reporting, value="1", version=0)
    assert (
        "Jawaban disimpan:" in first.content.decode()
        and "Jawaban disimpan:" in again.content.decode()
    )
    assert _state(reporting).version == 1
    assert AuditEntry.objects.filter(action="mcp.answer.save").count() == 1


def test_the_same_file_twice_in_a_pemda_is_stored_once(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _upload(client, reporting, "PRC.1.1", name="a.pdf")
    _upload(client, reporting, "PRC.1.2", name="b.pdf")
    assert StoredFile.objects.count() == 1
    assert Evidence.objects.count() == 2
    kept = StoredFile.objects.get()
    stored = str(kept.file.name)
    assert stored.endswith(f"{kept.sha256}.pdf") and "a.pdf" not in stored


def test_evidence_downloads_only_for_those_who_may_see_it(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _upload(client, reporting)
    evidence = Evidence.objects.get()
    url = reverse("mcp:evidence_download", kwargs={"pk": evidence.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert login(world.verifier_sumut).get(url).status_code == 200
    for who in (
        "operator_pekalongan",
        "admin_pekalongan",
        "verifier_jateng",
        "operator_pupr_binjai",
        "nobody",
    ):
        assert login(getattr(world, who)).get(url).status_code == 404, who


BAD_UPLOADS = [
    ("renamed executable", "laporan.pdf", files.EXE, "tidak sesuai dengan jenisnya"),
    ("empty", "kosong.pdf", b"", "kosong"),
    ("html", "bukti.pdf", files.HTML, "tidak sesuai dengan jenisnya"),
    ("svg with script", "bukti.pdf", files.SVG, "tidak sesuai dengan jenisnya"),
    ("zip bomb as xlsx", "rekap.xlsx", files.xlsx_bomb(), "Jenis berkas .xlsx tidak diterima"),
    ("double extension", "laporan.pdf.exe", files.EXE, "Jenis berkas .exe tidak diterima"),
    ("type not asked for", "foto.png", files.png(), "Jenis berkas .png tidak diterima"),
    ("pdf with script", "surat.pdf", files.PDF_WITH_SCRIPT, "PDF berisi skrip"),
]


@pytest.mark.parametrize(
    ("kind", "name", "data", "words"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS]
)
def test_a_bad_upload_through_the_page_stores_nothing(
    world, reporting, login, settings, kind, name, data, words
) -> None:
    response = _upload(login(world.operator_binjai), reporting, name=name, data=data)
    assert words in response.content.decode()
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
    stored = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    assert not list(stored.rglob("*.*"))


def test_an_oversized_upload_is_refused(world, reporting, login, settings) -> None:
    settings.EVIDENCE_MAX_MB = 1
    response = _upload(
        login(world.operator_binjai), reporting, data=files.PDF + b"0" * (2 * 1024 * 1024)
    )
    assert "lebih besar dari batas 1 MB" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_an_expired_document_cannot_support_the_termin(world, reporting, login) -> None:
    old = (timezone.localdate() - timedelta(days=400)).isoformat()
    expired = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = _upload(
        login(world.operator_binjai), reporting, effective_date=old, valid_until=expired
    )
    assert "sudah kedaluwarsa" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_dated_wrongly_or_for_a_locked_item_is_refused(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = _upload(client, reporting, effective_date=tomorrow).content.decode()
    assert "Tanggal berlaku tidak boleh di masa depan." in future
    before_it_starts = (timezone.localdate() - timedelta(days=1)).isoformat()
    backwards = _upload(client, reporting, valid_until=before_it_starts).content.decode()
    assert "harus sesudah tanggal berlaku" in backwards
    assert not Evidence.objects.exists()
    _answer(client, reporting, "PRC.1.1", "1")
    Answer.objects.update(state="approved", verified_value=1)
    locked = _upload(client, reporting, data=files.PDF + b"another").content.decode()
    assert "Item ini sudah disetujui dan terkunci." in locked
    assert not Evidence.objects.exists()


def test_after_the_deadline_unsubmitted_items_lock_unless_extended(world, reporting, login) -> None:
    Period.objects.filter(pk=reporting.period.pk).update(
        upload_deadline=timezone.now() - timedelta(hours=1)
    )
    client = login(world.operator_binjai)
    assert "Batas unggah termin ini sudah lewat" in _answer(client, reporting).content.decode()
    assert not Answer.objects.filter(value__isnull=False).exists()
    PeriodExtension.objects.create(
        period=reporting.period,
        pemda=world.binjai,
        reason="Banjir",
        upload_deadline=timezone.now() + timedelta(days=3),
        granted_by=world.koordinator,
    )
    assert "Jawaban disimpan:" in _answer(client, reporting).content.decode()


@pytest.mark.parametrize(
    "who",
    [
        "operator_pekalongan",
        "admin_pekalongan",
        "operator_pupr_binjai",
        "verifier_sumut",
        "inspektorat_binjai",
        "nobody",
    ],
)
def test_others_cannot_answer_binjai_prc(world, reporting, login, who) -> None:
    client = login(getattr(world, who))
    response = _answer(client, reporting)
    assert response.status_code == 404
    assert not Answer.objects.filter(value__isnull=False).exists()
    # A refused form does not show them the item either, nor does a refused upload.
    assert _answer(client, reporting, version="").status_code == 404
    assert (
        client.post(
            reverse(
                "mcp:work_evidence",
                kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk},
            ),
            {"effective_date": TODAY},
            headers={"HX-Request": "true"},
        ).status_code
        == 404
    )
    assert _upload(client, reporting).status_code == 404
    assert not Evidence.objects.exists()
    # Nor open the item's forms on the work page.
    row = reverse("mcp:work_row", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk})
    assert client.get(row, headers={"HX-Request": "true"}).status_code == 404
    assert client.get(row).status_code == 404
    # Nor send Binjai's returned item back to the verifier, with a valid form or a refused one.
    returned = Answer.objects.create(
        pemda=world.binjai,
        period=reporting.period,
        sub_indicator=reporting.subs["PRC.1.2"],
        value=1,
        state="returned",
    )
    resubmit = reverse(
        "mcp:work_resubmit", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.2"].pk}
    )
    for form in ({"version": returned.version}, {}):
        response = client.post(resubmit, form, headers={"HX-Request": "true"})
        assert response.status_code == 404
    returned.refresh_from_db()
    assert returned.state == "returned"


def test_work_page_items_open_on_demand(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    _upload(client, reporting)
    sub = reporting.subs["PRC.1.1"]
    work = reverse("mcp:work")
    row = reverse("mcp:work_row", kwargs={"code": "12.75", "sub_id": sub.pk})

    # The page lists each item's state and answer; the forms come when an item is opened.
    page = client.get(work).content.decode()
    assert page.count('class="work-row') == 2
    assert "Simpan jawaban" not in page and "Unggah" not in page
    assert "Belum diisi" in page and "Draf" in page and "1 bukti" in page
    assert "1 dari 2 item lengkap" in page
    assert "notulen.pdf" not in page
    # A row opens from the page's own address, the same one its no-JavaScript link uses.
    assert f'hx-get="?buka={sub.pk}"' in page and f'href="?buka={sub.pk}#sub-{sub.pk}"' in page

    for address in (f"{work}?buka={sub.pk}", row):
        response = client.get(address, headers={"HX-Request": "true"})
        opened = response.content.decode()
        assert opened.lstrip().startswith(f'<article id="sub-{sub.pk}"')
        assert "<details open" in opened and "Simpan jawaban" in opened and "Unggah" in opened
        assert "<html" not in opened
    # The page and its rows share an address: a browser's cache must tell them apart.
    assert "HX-Request" in client.get(work)["Vary"]
    assert (
        "HX-Request" in client.get(f"{work}?buka={sub.pk}", headers={"HX-Request": "true"})["Vary"]
    )

    # Without JavaScript: the row's address reloads the page with that item open, or all.
    plain = client.get(row)
    assert plain.status_code == 302
    assert plain["Location"] == f"{work}?buka={sub.pk}#sub-{sub.pk}"
    one = client.get(plain["Location"]).content.decode()
    assert one.count("Simpan jawaban") == 1 and "notulen.pdf" in one
    assert client.get(work, {"buka": "semua"}).content.decode().count("Simpan jawaban") == 2
    # A forged item number opens nothing.
    assert "Simpan jawaban" not in client.get(work, {"buka": "99999"}).content.decode()


def test_pemda_share_the_cached_summaries_of_rows_that_show_the_same(
    world, reporting, login
) -> None:
    """Binjai and Pekalongan both report PRC.1: an item neither has answered looks the same in
    both, so Pekalongan's first view takes Binjai's cached rows, which name no Pemda."""
    work = reverse("mcp:work")
    login(world.operator_binjai).get(work)
    page = login(world.operator_pekalongan).get(work)
    assert "mcp/_work_row.html" not in [t.name for t in page.templates]
    text = page.content.decode()
    rows = text[text.index('class="work-row') : text.index("</main>")]
    assert rows.count('class="work-row') == 2 and "Belum diisi" in rows and "12.75" not in rows


def test_an_opened_row_is_always_the_operators_own_pemdas(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")
    pekalongan = login(world.operator_pekalongan)
    work = reverse("mcp:work")
    htmx = {"HX-Request": "true"}
    mine = pekalongan.get(work, {"buka": reporting.subs["PRC.1.1"].pk}, headers=htmx)
    assert "Belum diisi" in mine.content.decode() and "Draf" not in mine.content.decode()
    # An item not assigned to their OPD (Binjai's BMD.1 is), or no item at all: nothing.
    for sub_id in (reporting.subs["BMD.1.1"].pk, 99999):
        assert pekalongan.get(work, {"buka": sub_id}, headers=htmx).status_code == 404


def test_a_work_row_summary_is_never_served_stale_from_the_cache(world, reporting, login) -> None:
    operator = login(world.operator_binjai)
    sub = reporting.subs["PRC.1.1"]
    work = reverse("mcp:work")

    def summary() -> str:
        page = operator.get(work).content.decode()
        start = page.index(f'id="sub-{sub.pk}"')
        return str(page[start : page.index("</article>", start)])

    assert "Belum diisi" in summary()
    _answer(operator, reporting, "PRC.1.1", "1")
    assert "Draf" in summary() and "Ya" in summary() and "bukti" not in summary()
    _answer(operator, reporting, "PRC.1.1", "0", version=_state(reporting).version)
    assert "Tidak" in summary()
    _upload(operator, reporting)
    assert "1 bukti" in summary()
    Answer.objects.filter(pk=_state(reporting).pk).update(
        state="submitted", submitted_at=timezone.now()
    )
    verifier = login(world.verifier_sumut)
    item = reverse("mcp:verify_item", kwargs={"pk": _state(reporting).pk})
    verifier.get(item)  # opening starts the review
    verifier.post(
        item,
        {"decision_form": "1", "decision": "return", "reason": "Notulen belum ditandatangani."},
    )
    assert _state(reporting).state == "returned"
    operator = login(world.operator_binjai)  # the fixture signs one client in as each person
    returned = summary()
    assert "Dikembalikan" in returned and "Notulen belum ditandatangani." in returned


def test_anonymous_visitors_are_sent_to_sign_in_for_a_row(reporting, client) -> None:
    row = reverse("mcp:work_row", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk})
    response = client.get(row, headers={"HX-Request": "true"})
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_an_admin_of_another_pemda_cannot_submit_or_review_binjai(world, reporting, login) -> None:
    client = login(world.admin_pekalongan)
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    assert client.get(review).status_code == 404
    assert client.post(review).status_code == 404


def test_an_unassigned_verifier_cannot_see_or_decide(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting)
    answer = _state(reporting)
    Answer.objects.filter(pk=answer.pk).update(state="submitted")
    outsider = login(world.verifier_jateng)
    item = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    assert outsider.get(item).status_code == 404
    assert outsider.post(item, {"decision_form": "1", "decision": "approve"}).status_code == 404
    outsider.post(reverse("mcp:verify_queue"), {"answers": [answer.pk], "confirm": "yes"})
    assert _state(reporting).state == "submitted"
    assert answer.pk not in [
        a.pk for a in login(world.verifier_jateng).get(reverse("mcp:verify_queue")).context["page"]
    ]


def _decision_writes_after_audit_head(captured) -> list[str]:
    """The INSERTs and UPDATEs of the decision's own tables (not the session's, saved once the
    response is made) that came after the audit chain's head was read."""
    sql = [q["sql"] for q in captured.captured_queries]
    head = next(i for i, q in enumerate(sql) if "audit_audithead" in q)
    writes = [q for q in sql[head:] if q.startswith(("INSERT", "UPDATE"))]
    return [q for q in writes if '"mcp_' in q or '"notif' in q]


def test_a_decision_takes_the_audit_chains_head_after_its_other_writes(
    world, reporting, login
) -> None:
    """Every audited write in the country waits for the chain's head while a transaction holds
    it, so a decision writes its answer, decision and the Pemda's notifications (one INSERT)
    first, and takes the head last."""
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    item = reverse("mcp:verify_item", kwargs={"pk": _state(reporting, "PRC.1.2").pk})
    verifier.get(item)
    with CaptureQueriesContext(connection) as captured:
        verifier.post(item, {"decision_form": "1", "decision": "approve"})
    notes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    notes = [q for q in notes if "notifications_notification" in q]
    assert len(notes) == 1 and Notification.objects.filter(title="PRC.1.2 disetujui").count() == 2
    assert _decision_writes_after_audit_head(captured) == []
    assert _state(reporting, "PRC.1.2").state == "approved"


def test_bulk_approve_asks_for_confirmation_then_approves(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    _answer(client, reporting, "PRC.1.2", "2")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    ids = list(Answer.objects.values_list("pk", flat=True))
    confirm = verifier.post(reverse("mcp:verify_queue"), {"answers": ids})
    assert "Setujui 2 item dengan nilai yang dilaporkan Pemda?" in confirm.content.decode()
    assert not Answer.objects.filter(state="approved").exists()
    with CaptureQueriesContext(connection) as captured:
        done = verifier.post(
            reverse("mcp:verify_queue"), {"answers": ids, "confirm": "yes"}, follow=True
        )
    assert "2 item disetujui." in done.content.decode()
    assert _decision_writes_after_audit_head(captured) == []
    assert AuditEntry.objects.filter(action="mcp.answer.approve").count() == 2
    assert list(Answer.objects.values_list("state", "verified_value").order_by("pk")) == [
        ("approved", Decimal(1)),
        ("approved", Decimal(2)),
    ]


def test_bulk_approval_skips_items_not_waiting_and_leaves_them_as_they_were(
    world, reporting, login
) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    _answer(client, reporting, "PRC.1.2", "2")
    Answer.objects.filter(sub_indicator=reporting.subs["PRC.1.1"]).update(
        state="submitted", submitted_at=timezone.now()
    )
    verifier = login(world.verifier_sumut)
    ids = list(Answer.objects.values_list("pk", flat=True))
    done = verifier.post(
        reverse("mcp:verify_queue"), {"answers": ids, "confirm": "yes"}, follow=True
    ).content.decode()
    assert "1 item disetujui." in done and "1 item dilewati" in done
    assert (_state(reporting, "PRC.1.2").state, _state(reporting, "PRC.1.2").verified_value) == (
        "draft",
        None,
    )
    # The approved item, sent again (a double submit, a stale page): skipped, not decided twice.
    again = verifier.post(
        reverse("mcp:verify_queue"),
        {"answers": [_state(reporting, "PRC.1.1").pk], "confirm": "yes"},
        follow=True,
    ).content.decode()
    assert "item disetujui" not in again and "1 item dilewati" in again
    assert AuditEntry.objects.filter(action="mcp.answer.approve").count() == 1


def test_bulk_approval_counts_in_english_singular_and_plural(world, reporting, login) -> None:
    client = login(world.admin_binjai)  # answers for every OPD
    for code, value in (("PRC.1.1", "1"), ("PRC.1.2", "2"), ("BMD.1.1", "3")):
        _answer(client, reporting, code, value)
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    verifier.cookies["django_language"] = "en"
    first, *others = Answer.objects.order_by("pk").values_list("pk", flat=True)
    queue = reverse("mcp:verify_queue")
    one = verifier.post(queue, {"answers": [first], "confirm": "yes"}, follow=True)
    assert "1 item approved." in one.content.decode()
    both = verifier.post(queue, {"answers": [first, *others], "confirm": "yes"}, follow=True)
    assert "2 items approved." in both.content.decode()
    assert "1 item skipped: it no longer waits for verification." in both.content.decode()


def test_an_indicator_that_does_not_apply_to_the_pemda_cannot_be_answered(
    world, reporting, login
) -> None:
    """BMD.2 is for provinces: a kota's admin sending its id (a forged form) gets 404."""
    province_only = next(code for code in reporting.subs if code.startswith("BMD.2."))
    response = _answer(login(world.admin_binjai), reporting, province_only, "1")
    assert response.status_code == 404
    assert not Answer.objects.filter(sub_indicator=reporting.subs[province_only]).exists()


def test_an_item_not_sent_for_verification_cannot_be_approved(world, reporting, login) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")
    item = reverse("mcp:verify_item", kwargs={"pk": _state(reporting).pk})
    page = login(world.verifier_sumut).post(
        item, {"decision_form": "1", "decision": "approve", "verified_value": ""}, follow=True
    )
    assert "Item ini tidak menunggu verifikasi (status: Draf)." in page.content.decode()
    answer = _state(reporting)
    assert (answer.state, answer.verified_value) == ("draft", None)
    assert not AuditEntry.objects.filter(action="mcp.answer.approve").exists()


def test_the_services_refuse_a_closed_termin_and_another_provinces_verifier(
    world, reporting, login
) -> None:
    """The pages never offer these; the services refuse them whoever calls."""
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")
    answer = _state(reporting)
    reporting.period.state = Period.State.CLOSED
    reporting.period.save(update_fields=["state"])
    with pytest.raises(DomainError) as closed:
        reporting_services.answer_save(
            user=world.operator_binjai,
            pemda=world.binjai,
            period=reporting.period,
            sub_indicator_id=reporting.subs["PRC.1.1"].pk,
            value=Decimal(0),
            expected_version=answer.version,
        )
    assert closed.value.code == "period_closed"
    assert _state(reporting).value == 1
    Answer.objects.filter(pk=answer.pk).update(state="submitted")
    with pytest.raises(Http404):
        reporting_services.review_start(verifier=world.verifier_jateng, answer_id=answer.pk)
    assert _state(reporting).state == "submitted"


def test_only_a_returned_complete_item_at_its_latest_version_is_sent_again(
    world, reporting, login
) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    url = reverse(
        "mcp:work_resubmit", kwargs={"code": "12.75", "sub_id": reporting.subs["PRC.1.1"].pk}
    )

    def resubmit(version: int) -> str:
        response = client.post(url, {"version": version}, headers={"HX-Request": "true"})
        return str(response.content.decode())

    draft = resubmit(_state(reporting).version)
    assert "Hanya item yang dikembalikan yang bisa dikirim ulang." in draft
    Answer.objects.update(state="returned")
    assert "Lengkapi jawaban dan buktinya dulu." in resubmit(_state(reporting).version)
    _upload(client, reporting)
    stale = resubmit(_state(reporting).version - 1)  # a page opened before the upload
    assert "setelah Anda membukanya" in stale
    assert _state(reporting).state == "returned"
    assert "Dikirim ulang ke verifikator." in resubmit(_state(reporting).version)
    assert _state(reporting).state == "resubmitted"


def test_the_admin_submits_one_area_and_an_operator_submits_nothing(
    world, reporting, login
) -> None:
    operator = login(world.operator_binjai)
    _answer(operator, reporting, "PRC.1.2", "1")  # complete: a choice that asks no document
    _answer(login(world.operator_pupr_binjai), reporting, "BMD.1.1", "5000")
    with pytest.raises(Http404):
        reporting_services.answers_submit(
            user=world.operator_binjai, pemda=world.binjai, period=reporting.period
        )
    assert not Answer.objects.exclude(state="draft").exists()
    planning = reporting.subs["PRC.1.2"].indicator.area_id
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    sent = login(world.admin_binjai).post(review, {"area": planning, "confirm": "yes"}, follow=True)
    assert "1 item dikirim ke verifikator." in sent.content.decode()
    assert _state(reporting, "PRC.1.2").state == "submitted"
    assert _state(reporting, "BMD.1.1").state == "draft"


def test_the_koordinator_reopens_an_approved_item_with_a_reason(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting)
    answer = _state(reporting)
    Answer.objects.filter(pk=answer.pk).update(state="approved", verified_value=1)
    item = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    assert login(world.verifier_sumut).post(item, {"reopen": "1", "reason": "x"}).status_code == 404
    with pytest.raises(Http404):  # the service refuses too, whoever calls it
        reporting_services.answer_reopen(
            actor=world.verifier_sumut, answer_id=answer.pk, reason="x"
        )
    assert _state(reporting).state == "approved"
    login(world.koordinator).post(item, {"reopen": "1", "reason": "Bukti ternyata palsu"})
    answer = _state(reporting)
    assert answer.state == "in_review" and answer.verified_value is None
    assert AuditEntry.objects.get(action="mcp.answer.reopen").data == {
        "from": "approved",
        "to": "in_review",
        "reason": "Bukti ternyata palsu",
    }


def test_comments_between_pemda_and_verifier(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting)
    answer = _state(reporting)
    url = reverse("mcp:comment", kwargs={"pk": answer.pk})
    login(world.verifier_sumut).post(
        url, {"text": "Mohon unggah versi bertanda tangan.", "from": "verifier"}
    )
    reply = login(world.operator_binjai).post(
        url, {"text": "Baik, segera."}, headers={"HX-Request": "true"}
    )
    text = reply.content.decode()
    assert "Mohon unggah versi bertanda tangan." in text and "Baik, segera." in text
    assert login(world.operator_pekalongan).post(url, {"text": "mengintip"}).status_code == 404
    assert answer.comments.count() == 2
    # Each side hears of the other's comment, in the app (and by email after commit).
    heard = Notification.objects.filter(title="Komentar baru pada PRC.1.1")
    assert set(heard.values_list("recipient__email", flat=True)) == {
        "operator@binjai.test",
        "admin@binjai.test",
        "verif.sumut@kpk.test",
    }


def test_every_notification_of_an_item_opens_for_the_person_it_was_sent_to(
    world, reporting, login
) -> None:
    """Binjai's admin has no work page (no OPD): a return or a comment links them to the item's
    own page, and its operator to the item open on their work page."""
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")
    answer = _state(reporting)
    Answer.objects.filter(pk=answer.pk).update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    item = reverse("mcp:verify_item", kwargs={"pk": answer.pk})
    verifier.post(item, {"decision_form": "1", "decision": "return", "reason": "Cek notulen."})
    comment = reverse("mcp:comment", kwargs={"pk": answer.pk})
    verifier.post(comment, {"text": "Notulen belum bertanda tangan.", "from": "verifier"})
    notes = Notification.objects.filter(recipient__in=[world.operator_binjai, world.admin_binjai])
    assert notes.count() == 4  # the return and the comment, to each
    for note in notes.select_related("recipient"):
        opened = login(note.recipient).get(note.url)
        assert opened.status_code == 200, (note.recipient, note.title, note.url)
        assert "Cek notulen." in opened.content.decode()
    assert {n.url for n in notes.filter(recipient=world.admin_binjai)} == {item}
    # A link to the work page sent to an admin before this was so leads to the Pemda's report.
    admin = login(world.admin_binjai)
    old_link = admin.get(reverse("mcp:work") + f"?buka={answer.sub_indicator_id}")
    assert old_link.url == reverse("mcp:report_review", kwargs={"code": "12.75"})
    assert login(world.koordinator).get(reverse("mcp:work")).status_code == 404


def test_a_link_to_one_item_opens_the_work_page_of_the_opd_that_reports_it(
    world, reporting, login
) -> None:
    """Rina works for BPKAD and PUPR; a notification about a PUPR item names no OPD."""
    RoleAssignment.objects.create(
        user=world.operator_binjai, role=Role.OPERATOR, pemda=world.binjai, opd=world.pupr_binjai
    )
    client = login(world.operator_binjai)
    sub = reporting.subs["BMD.1.1"]  # BMD.1 goes to PUPR
    page = client.get(reverse("mcp:work") + f"?buka={sub.pk}").content.decode()
    assert "Laporan MCP PUPR, Kota Binjai" in page
    assert re.search(r"<details open>\s*<summary[^>]*>.*?BMD\.1\.1", page, re.S)
    plain = client.get(reverse("mcp:work")).content.decode()  # no item named: the first OPD
    assert "Laporan MCP BPKAD, Kota Binjai" in plain


@pytest.mark.parametrize(
    ("reader", "way_back"),
    [
        ("verifier_sumut", "← Antrean verifikasi"),
        ("admin_binjai", "← Laporan MCP Kota Binjai"),
        ("operator_binjai", "← Laporan MCP"),
        ("koordinator", None),
    ],
)
def test_an_item_page_leads_each_reader_back_to_their_own_list(
    world, reporting, login, reader, way_back
) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")
    client = login(getattr(world, reader))
    page = client.get(reverse("mcp:verify_item", kwargs={"pk": _state(reporting).pk}))
    links = re.findall(r'<a href="([^"]+)">(← [^<]+)</a>', page.content.decode())
    if way_back is None:
        assert links == []  # no list of items to go back to
        return
    [(url, label)] = links
    assert label == way_back
    assert client.get(url.replace("&amp;", "&")).status_code == 200


def test_the_operator_page_query_count_is_flat_in_the_number_of_items(
    world, reporting, login, django_assert_max_num_queries
) -> None:
    client = login(world.operator_binjai)
    for code in ("PRC.1.1", "PRC.1.2"):
        _answer(client, reporting, code, "1")
        _upload(client, reporting, code, name=f"{code}.pdf", data=files.PDF + code.encode())
    with django_assert_max_num_queries(16) as captured:
        page = client.get(reverse("mcp:work"))
    assert page.content.decode().count('class="work-row') == 2
    few = len(captured.captured_queries)
    # Give the same OPD the other indicator too: more rows, not more queries.
    IndicatorAssignment.objects.create(
        pemda=world.binjai,
        indicator=reporting.catalogue.indicators.get(code="BMD.1"),
        opd=world.bpkad_binjai,
        assigned_by=world.admin_binjai,
    )
    _answer(client, reporting, "BMD.1.1", "5")
    with django_assert_max_num_queries(few):
        page = client.get(reverse("mcp:work"))
    assert page.content.decode().count('class="work-row') == 3


def test_saving_an_answer_takes_few_round_trips(
    world, reporting, login, django_assert_max_num_queries
) -> None:
    """Saving is what a deadline surge does most (bench/README.md): the termin comes with the
    Pemda's deadline, the catalogue as a subquery, and the audit entry without a savepoint; the
    question is read first, to read the typed value as it asks (a percentage, a number)."""
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.2", "1", version=0)
    with django_assert_max_num_queries(21):
        saved = _answer(client, reporting, "PRC.1.2", "0", version=1)
    assert "Jawaban disimpan:" in saved.content.decode()
    assert _state(reporting, "PRC.1.2").value == 0


def test_the_verifier_queue_query_count_is_flat(
    world, reporting, login, django_assert_max_num_queries
) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    verifier.get(reverse("mcp:verify_queue"))
    # Session, user, their second factor, the verifier's Pemda (for access, the queue and its
    # filters), the areas their assignments are limited to, their roles (for the menu), the
    # areas to filter by, the count, the page's rows and the unread badge.
    with django_assert_max_num_queries(10) as captured:
        verifier.get(reverse("mcp:verify_queue"))
    few = len(captured.captured_queries)
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    verifier = login(world.verifier_sumut)
    with django_assert_max_num_queries(few + 1):  # the new row's sub-indicator texts, once
        page = verifier.get(reverse("mcp:verify_queue"))
    assert len(page.context["page"]) == 2
    with django_assert_max_num_queries(few):
        verifier.get(reverse("mcp:verify_queue"))


def test_the_work_rows_stay_cached_while_a_surge_fills_the_cache(world, reporting, login) -> None:
    """Hundreds of operators' rows share one process's cache: a row seen a moment ago is served
    from it, not rendered again (Django's default of 300 entries dropped it)."""
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    first = client.get(reverse("mcp:work"))
    assert "mcp/_work_row.html" in [t.name for t in first.templates]
    for n in range(2_000):  # other operators' rows, cached since
        cache.set(f"surge-row-{n}", "<article>…</article>")
    again = client.get(reverse("mcp:work"))
    assert "mcp/_work_row.html" not in [t.name for t in again.templates]

    def rows(page) -> str:
        text = page.content.decode()
        return str(text[text.index('class="work-row') : text.index("</main>")])

    assert rows(again) == rows(first)


def test_a_queue_row_is_never_served_stale_from_the_cache(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    answer = _state(reporting)
    verifier = login(world.verifier_sumut)
    queue = reverse("mcp:verify_queue")

    def row() -> str:
        page = verifier.get(queue, {"status": ""}).content.decode()
        start = page.index(f'value="{answer.pk}"')
        return str(page[start : page.index("</tr>", start)])

    assert "Dikirim" in row() and "<td>0</td>" in row()
    # The row just cached in Indonesian is not what an English reader gets.
    verifier.cookies["django_language"] = "en"
    assert "Submitted" in row() and "Dikirim" not in row()
    sub = reporting.subs["PRC.1.1"]
    assert sub.question_en in row() and sub.question_id not in row()
    assert "PRC.1 Documented planning forums" in row() and "Musrenbang" not in row()
    verifier.cookies["django_language"] = "id"
    verifier.post(reverse("mcp:verify_item", kwargs={"pk": answer.pk}), {"start_review": "1"})
    assert "Sedang diverifikasi" in row()


def test_the_queue_shows_each_item_and_offers_only_the_verifiers_own_pemda(
    world, reporting, login
) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    Answer.objects.update(state="submitted", submitted_at=datetime(2025, 4, 15, 16, 59, tzinfo=UTC))
    page = login(world.verifier_sumut).get(reverse("mcp:verify_queue"))
    text = page.content.decode()
    row = text[text.index("<tbody>") : text.index("</tbody>")]
    for shown in (
        "Kota Binjai",
        "Sumatera Utara",
        "PRC.1.2",
        "Tingkat kesesuaian RKPD",
        "PRC.1 Musrenbang terdokumentasi",  # the indicator: questions recur under several
        "Dikirim",
        "15 April 2025, 23.59 WIB",
    ):
        assert shown in row
    assert [p.code for p in page.context["pemdas"]] == ["12", "12.75"]
    assert [p.name for p in page.context["provinces"]] == ["Sumatera Utara"]
    assert "Jawa Tengah" not in text and "Pekalongan" not in text


def test_the_queue_filters_by_pemda_area_state_and_age(world, reporting, login) -> None:
    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    Answer.objects.update(state="submitted", submitted_at=timezone.now() - timedelta(days=5))
    verifier = login(world.verifier_sumut)
    url = reverse("mcp:verify_queue")
    by_area = verifier.get(url, {"pemda": "12.75", "area": "PRC"})
    assert len(by_area.context["page"]) == 1
    # The areas are offered by name, the chosen one kept.
    assert '<option value="PRC" selected>PRC · Perencanaan</option>' in by_area.content.decode()
    assert '<option value="BMD" >BMD · Pengelolaan BMD</option>' in by_area.content.decode()
    assert len(verifier.get(url, {"pemda": "12"}).context["page"]) == 0
    assert len(verifier.get(url, {"provinsi": "12"}).context["page"]) == 1
    assert len(verifier.get(url, {"provinsi": "33"}).context["page"]) == 0
    assert len(verifier.get(url, {"area": "BMD"}).context["page"]) == 0
    assert len(verifier.get(url, {"umur": 3}).context["page"]) == 1
    assert len(verifier.get(url, {"umur": 10}).context["page"]) == 0
    assert len(verifier.get(url, {"status": "approved"}).context["page"]) == 0


def test_an_answer_without_the_document_it_asks_for_is_not_submitted(
    world, reporting, login
) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.1", "1")  # asks for the minutes
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")  # asks for no document
    review = reverse("mcp:report_review", kwargs={"code": "12.75"})
    text = login(world.admin_binjai).post(review, {"confirm": "yes"}, follow=True).content.decode()
    assert "1 item dikirim ke verifikator." in text
    assert "1 item belum lengkap dan tidak dikirim." in text
    assert _state(reporting, "PRC.1.1").state == "draft"
    assert _state(reporting, "PRC.1.2").state == "submitted"


def test_the_review_page_shows_progress_per_area_and_opd(
    world, reporting, login, django_assert_max_num_queries
) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    client = login(world.admin_binjai)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("mcp:report_review", kwargs={"code": "12.75"}))
    by_opd = {p.label: (p.complete, p.total) for p in response.context["by_opd"]}
    assert by_opd == {
        "Badan Pengelolaan Keuangan dan Aset Daerah": (1, 2),
        "Dinas Pekerjaan Umum dan Penataan Ruang": (0, 1),
    }
    by_area = {p.label: (p.complete, p.total) for p in response.context["by_area"]}
    assert by_area == {"PRC · Perencanaan": (1, 2), "BMD · Pengelolaan BMD": (0, 1)}


def test_a_decision_reaches_each_person_in_the_language_they_chose(
    world, reporting, login, django_capture_on_commit_callbacks
) -> None:
    """The verifier works in English; Binjai's admin chose English too, its operator did not."""
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    login(world.admin_binjai).post(reverse("set_language"), {"language": "en"})
    verifier = login(world.verifier_sumut)
    verifier.post(reverse("set_language"), {"language": "en"})
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    item = reverse("mcp:verify_item", kwargs={"pk": _state(reporting, "PRC.1.2").pk})
    with django_capture_on_commit_callbacks(execute=True):
        verifier.post(item, {"decision_form": "1", "decision": "return", "reason": "Cek RKPD."})
    operator_note = Notification.objects.get(recipient=world.operator_binjai)
    assert operator_note.title == "PRC.1.2 dikembalikan"
    assert operator_note.body == "Kota Binjai, termin 1. Alasan: Cek RKPD."
    admin_note = Notification.objects.get(recipient=world.admin_binjai)
    assert admin_note.title == "PRC.1.2 returned"
    assert admin_note.body == "Kota Binjai, termin 1. Reason: Cek RKPD."
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[world.operator_binjai.email] == "Cegah: PRC.1.2 dikembalikan"
    assert subjects[world.admin_binjai.email] == "Cegah: PRC.1.2 returned"


def test_english_readers_get_the_review_page_and_the_status_export_in_english(
    world, reporting, login
) -> None:
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "1")
    client = login(world.admin_binjai)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("mcp:report_review", kwargs={"code": "12.75"}))
    by_area = {p.label for p in response.context["by_area"]}
    assert by_area == {"PRC · Planning", "BMD · Regional asset management"}
    text = response.content.decode()
    assert "PRC · Planning</option>" in text and "Perencanaan" not in text
    assert "Plan consistency level" in text and "Tingkat kesesuaian" not in text
    export = reverse("mcp:report_export", kwargs={"code": "12.75", "fmt": "csv"})
    csv = b"".join(client.get(export).streaming_content).decode("utf-8-sig")
    assert "PRC.1.2,Plan consistency level,Partly,Draft" in csv
    assert "Tingkat kesesuaian" not in csv and "Sebagian" not in csv


def test_the_admin_exports_the_indicator_status_and_the_verifier_the_queue(
    world, reporting, login
) -> None:
    import io

    from openpyxl import load_workbook

    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "=1+1")  # refused: not a number
    _answer(login(world.operator_binjai), reporting, "PRC.1.2", "0")
    client = login(world.admin_binjai)
    csv_lines = (
        b"".join(
            client.get(
                reverse("mcp:report_export", kwargs={"code": "12.75", "fmt": "csv"})
            ).streaming_content
        )
        .decode("utf-8-sig")
        .splitlines()
    )
    assert csv_lines[0].startswith("Area,Indikator,Sub-indikator,Pertanyaan,Jawaban,Status")
    assert any(
        line.startswith("PRC,PRC.1,PRC.1.2,") and ",Sesuai,Draf," in line for line in csv_lines
    )
    assert (
        login(world.admin_pekalongan)
        .get(reverse("mcp:report_export", kwargs={"code": "12.75", "fmt": "csv"}))
        .status_code
        == 404
    )
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    xlsx = login(world.verifier_sumut).get(reverse("mcp:verify_export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:5] == ("Indikator", "Sub-indikator", "Pertanyaan")
    assert rows[1][:5] == (
        "Kota Binjai",
        "Sumatera Utara",
        "PRC.1 Musrenbang terdokumentasi",
        "PRC.1.2",
        "Tingkat kesesuaian RKPD",
    )
    assert (
        login(world.verifier_jateng)
        .get(reverse("mcp:verify_export", kwargs={"fmt": "xlsx"}))
        .status_code
        == 200
    )  # assigned elsewhere: an empty queue, not Binjai's
    assert (
        login(world.operator_binjai)
        .get(reverse("mcp:verify_export", kwargs={"fmt": "csv"}))
        .status_code
        == 404
    )


def test_bulk_approval_updates_each_pemda_score_once(
    world, reporting, login, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from cegah.mcp.services import reporting as reporting_services

    client = login(world.operator_binjai)
    _answer(client, reporting, "PRC.1.1", "1")
    _answer(client, reporting, "PRC.1.2", "2")
    Answer.objects.update(state="submitted", submitted_at=timezone.now())
    queued: list[tuple[int, ...]] = []

    class Recorder:  # stands in for the background task; the scoring itself is tested elsewhere
        @staticmethod
        def enqueue(*args: int) -> None:
            queued.append(args)

    monkeypatch.setattr(reporting_services, "pemda_scores_update", Recorder)
    ids = list(Answer.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        login(world.verifier_sumut).post(
            reverse("mcp:verify_queue"), {"answers": ids, "confirm": "yes"}
        )
    assert Answer.objects.filter(state="approved").count() == 2
    assert queued == [(2025, world.binjai.pk)]
