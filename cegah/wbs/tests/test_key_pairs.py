"""Handlers' key pairs (issue 29, item 2): a report opens with a handler's password or the
reporter's receipt, never with what the server holds."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.secret
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.accounts.services import totp_current_token
from cegah.audit.models import AuditEntry
from cegah.testing.clients import sign_in
from cegah.testing.factories import PASSWORD, make_user
from cegah.uploads.services import stored_file_read
from cegah.wbs import crypto, services, unlock
from cegah.wbs.models import (
    Attachment,
    HandlerKey,
    IdentityDisclosure,
    InternalNote,
    Message,
    Report,
    ReportGrant,
    StateChange,
)
from cegah.wbs.selectors import report_view
from cegah.wbs.services import ReporterIdentity, Upload

from .conftest import as_legacy, key_of, opened_by, reporter_key_of, solved
from .test_confidentiality import every_stored_byte, pdf_with

pytestmark = pytest.mark.django_db

SECRETS = {
    "text": "Bendahara-Zulkarnain-menerima-setoran",
    "identity": "Pelapor-Rahmawati-Siregar",
    "reporter message": "setoran-kedua-lima-april",
    "handler message": "kami-periksa-dokumennya",
    "note": "catatan-internal-irban",
    "reason": "Perlu-konfirmasi-langsung-atas-kuitansi-yang-dilampirkan",
    "state note": "verifikasi-dimulai-dengan-saksi",
    "file": "KUITANSI-FIKTIF-0042",
}


def _full_report(submit, handler: User) -> tuple[Report, str]:
    """A report with something of every kind: text, identity, messages both ways, a note, an
    identity request's reason, a state note and a file."""
    report, receipt = submit(
        what=f"{SECRETS['text']} dari rekanan proyek jalan.",
        identity=ReporterIdentity(name=SECRETS["identity"], contact="0812-3456-7890"),
        uploads=[Upload("kuitansi.pdf", io.BytesIO(pdf_with(SECRETS["file"], "R")))],
    )
    key = key_of(handler)
    services.reporter_message_add(
        report=report, reporter_key=reporter_key_of(report), body=SECRETS["reporter message"]
    )
    common = {"report_id": report.pk, "user": handler, "private_key": key}
    services.handler_message_add(**common, body=SECRETS["handler message"])
    services.note_add(**common, body=SECRETS["note"])
    services.identity_request(**common, reason=SECRETS["reason"])
    services.report_transition(
        **common,
        to_state="verifying",
        note=SECRETS["state note"],
        version=Report.objects.get(pk=report.pk).version,
    )
    report.refresh_from_db()
    return report, receipt


def _sealed_values() -> list[bytes]:
    """Every sealed value of every report, as a copy of the database and storage holds them."""
    values: list[bytes | memoryview | None] = []
    for report in Report.objects.all():
        values += [
            report.sealed_content,
            report.sealed_identity,
            report.reporter_sealed_key,
            report.escrow_sealed_key,
            report.sealed_key,
        ]
    values += list(Message.objects.values_list("sealed_body", flat=True))
    values += list(InternalNote.objects.values_list("sealed_body", flat=True))
    values += list(StateChange.objects.values_list("sealed_note", flat=True))
    values += list(IdentityDisclosure.objects.values_list("sealed_reason", flat=True))
    values += list(ReportGrant.objects.values_list("sealed_key", flat=True))
    values += list(HandlerKey.objects.values_list("sealed_private_key", flat=True))
    values += [stored_file_read(a.stored_file) for a in Attachment.objects.all()]
    return [bytes(v) for v in values if v is not None and bytes(v)]


def _opens(key: bytes, sealed: bytes) -> bool:
    """Whether the key opens the value as a secret box or as a sealed box's private key."""
    for box in (nacl.secret.SecretBox(key), nacl.public.SealedBox(nacl.public.PrivateKey(key))):
        try:
            box.decrypt(sealed)
        except (nacl.exceptions.CryptoError, ValueError):
            continue
        return True
    return False


def test_a_copy_of_the_database_files_and_key_file_reads_nothing_without_a_password_or_receipt(
    submit, world
) -> None:
    handler = world.inspektorat_binjai
    report, receipt = _full_report(submit, handler)
    # No word of it in clear, anywhere (names of files included: they are never kept).
    dump = every_stored_byte()
    for name, secret in SECRETS.items():
        assert secret.encode() not in dump, name
    assert b"kuitansi.pdf" not in dump and b"%PDF" not in dump and receipt.encode() not in dump
    # Every key a thief holding the server finds: the key file's, one made from SECRET_KEY as
    # the follow-up cookie's is, and every 32-byte value in the database (public keys and all).
    from django.utils.crypto import salted_hmac

    found = [key for _id, key in crypto.keyring().keys]
    found.append(salted_hmac("cegah.wbs.follow", "cookie-key", algorithm="sha256").digest())
    found += [
        bytes(value)
        for value in [
            *HandlerKey.objects.values_list("public_key", flat=True),
            *HandlerKey.objects.values_list("salt", flat=True),
            *Report.objects.values_list("reporter_public_key", flat=True),
            *Report.objects.values_list("reporter_salt", flat=True),
        ]
        if value is not None and len(bytes(value)) == 32
    ]
    sealed = _sealed_values()
    assert len(sealed) >= 10 and len(found) >= 3
    for value in sealed:
        assert not any(_opens(key, value) for key in found)
    # A handler's private key needs their password; a guess opens nothing.
    row = HandlerKey.objects.get(user=handler)
    with pytest.raises(nacl.exceptions.CryptoError):
        crypto.private_key_open(services._sealed_private_key(row), "bukan-sandinya")
    # The same copy, with the handler's password: everything reads.
    private_key = crypto.private_key_open(services._sealed_private_key(row), PASSWORD)
    key = services.report_key_for(report=report, user=handler, private_key=private_key)
    view = report_view(report=report, key=key, for_handler=True)
    words = " ".join(
        [view.content.what, *(t.body for t in view.thread), *(h[2] for h in view.history)]
    )
    for name in ("text", "reporter message", "handler message", "state note"):
        assert SECRETS[name] in words, name
    assert SECRETS["note"] in services.notes_of(report=report, key=key)[0][1]
    assert SECRETS["reason"] in services.identity_requests(report=report, key=key)[0][1]
    identity = services.identity_of(report=report, key=key)
    assert identity is not None and identity.name == SECRETS["identity"]
    _name, _type, content = services.attachment_open(
        attachment_id=view.attachments[0][0], user=handler, private_key=private_key
    )
    assert SECRETS["file"] in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # And with the receipt alone, the reporter's side.
    reporter_key = crypto.reporter_private_key(receipt, bytes(report.reporter_salt or b""))
    as_reporter = services.reporter_report_key(report=report, reporter_key=reporter_key)
    assert as_reporter == key


def test_a_handler_of_another_level_holds_no_key_to_it_until_it_is_routed_there(
    submit, world, inspektorat_sumut
) -> None:
    report, _ = submit()
    theirs = key_of(inspektorat_sumut)
    for sealed in ReportGrant.objects.filter(report=report).values_list("sealed_key", flat=True):
        assert not _opens(theirs, bytes(sealed))
    with pytest.raises(services.NotGranted):
        services.report_key_for(report=report, user=inspektorat_sumut, private_key=theirs)
    # A conflict sends it up: sealed to the province's handler, the city's grant goes.
    binjai = world.inspektorat_binjai
    services.conflict_declare(report_id=report.pk, user=binjai, private_key=key_of(binjai))
    report.refresh_from_db()
    assert set(ReportGrant.objects.filter(report=report).values_list("user", flat=True)) == {
        inspektorat_sumut.pk
    }
    key = opened_by(report, inspektorat_sumut)
    assert "Pungutan liar" in report_view(report=report, key=key, for_handler=True).content.what


def _signed_in_with_password(user: User, password: str = PASSWORD) -> Client:
    """Both sign-in steps through the pages, as a person does."""
    browser = Client()
    page = browser.post(reverse("accounts:login"), {"username": user.email, "password": password})
    assert page.status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    browser.post(reverse("accounts:otp_verify"), {"token": totp_current_token(device=device)})
    return browser


def _reset_password(user: User, new: str) -> None:
    browser = Client()
    browser.post(reverse("accounts:password_reset"), {"email": user.email})
    found = re.search(r"http://\S+/akun/sandi/atur/\S+/", str(mail.outbox[-1].body))
    assert found is not None
    form_page = browser.get(found.group(0), follow=True)
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})


def test_a_forgotten_password_loses_access_until_a_colleague_grants_it_again(submit, world) -> None:
    colleague = make_user("irban2@binjai.test", "Irban Dua")
    RoleAssignment.objects.create(user=colleague, role=Role.INSPEKTORAT, pemda=world.binjai)
    key_of(colleague)
    report, _ = submit()
    forgetful = world.inspektorat_binjai
    _reset_password(forgetful, "sandi-baru-yang-panjang-42")
    assert AuditEntry.objects.filter(action="wbs.key.replaced", actor=forgetful).exists()
    assert not ReportGrant.objects.filter(user=forgetful).exists()
    browser = _signed_in_with_password(forgetful, "sandi-baru-yang-panjang-42")
    refused = browser.get(f"/wbs/{report.pk}/")
    assert refused.status_code == 403 and "belum diberi akses" in refused.content.decode()
    # The colleague sees who waits, and grants with one action.
    helper = sign_in(Client(), colleague)
    queue = helper.get("/wbs/").content.decode()
    assert "1 laporan menunggu akses untuk Sari Lubis" in queue
    helper.post(f"/wbs/akses/{forgetful.pk}/")
    entry = AuditEntry.objects.get(action="wbs.access.granted")
    assert entry.actor == colleague and entry.data == {"grantee": forgetful.email, "reports": 1}
    assert "Pungutan liar" in browser.get(f"/wbs/{report.pk}/").content.decode()
    assert "menunggu akses" not in helper.get("/wbs/").content.decode()


def test_a_new_handler_reads_old_reports_once_granted_and_new_ones_at_once(submit, world) -> None:
    old, _ = submit(what="Laporan lama tentang pungutan di loket izin.")
    newcomer = make_user("irban3@binjai.test", "Irban Tiga")
    RoleAssignment.objects.create(user=newcomer, role=Role.INSPEKTORAT, pemda=world.binjai)
    # Before their first sign-in there is nothing to seal to: the queue says so.
    helper = sign_in(Client(), world.inspektorat_binjai)
    assert "Irban Tiga" in helper.get("/wbs/").content.decode()  # listed without a key
    browser = sign_in(Client(), newcomer)  # the first sign-in makes the key pair
    assert browser.get(f"/wbs/{old.pk}/").status_code == 403
    assert "1 laporan menunggu akses untuk Irban Tiga" in helper.get("/wbs/").content.decode()
    helper.post(f"/wbs/akses/{newcomer.pk}/")
    assert "Laporan lama" in browser.get(f"/wbs/{old.pk}/").content.decode()
    new, _ = submit(what="Laporan baru sesudah ia bergabung.")
    assert "Laporan baru" in browser.get(f"/wbs/{new.pk}/").content.decode()


def test_escrow_is_off_by_default_and_recovers_a_level_whose_handlers_all_forgot(
    submit, world, tmp_path
) -> None:
    plain, _ = submit()
    assert plain.escrow_sealed_key is None  # off by default
    out = io.StringIO()
    call_command("wbs_keys", "escrow-keypair", stdout=out)
    printed = out.getvalue()
    public = re.search(r"WBS_ESCROW_PUBLIC_KEY=(\S+)", printed)
    private = re.search(r"private key: (\S+)", printed)
    assert public is not None and private is not None
    settings.WBS_ESCROW_PUBLIC_KEY = public.group(1)
    try:
        report, _ = submit(what="Laporan yang juga disegel untuk kunci eskro.")
        assert report.escrow_sealed_key is not None
        # The only handler of the level forgets their password: nobody can grant it.
        handler = world.inspektorat_binjai
        services.handler_key_reset(user=handler, password="sandi-baru-yang-panjang-42")
        with pytest.raises(services.NotGranted):
            services.report_key_for(
                report=report,
                user=handler,
                private_key=services.handler_key_open(
                    user=handler, password="sandi-baru-yang-panjang-42"
                )
                or b"",
            )
        key_file = tmp_path / "escrow.key"
        key_file.write_text(private.group(1))
        call_command(
            "wbs_keys",
            "escrow-grant",
            "--email",
            handler.email,
            "--escrow-key-file",
            str(key_file),
            stdout=out,
        )
    finally:
        settings.WBS_ESCROW_PUBLIC_KEY = ""
    assert "1 reports granted" in out.getvalue()  # the one sealed before escrow was on is not
    fresh = services.handler_key_open(user=handler, password="sandi-baru-yang-panjang-42")
    assert fresh is not None
    key = services.report_key_for(report=report, user=handler, private_key=fresh)
    assert "eskro" in report_view(report=report, key=key, for_handler=True).content.what
    assert AuditEntry.objects.filter(action="wbs.access.escrow_granted").exists()
    # The escrow key also rotates: what it sealed is encrypted again under new report keys.
    settings.WBS_ESCROW_PUBLIC_KEY = public.group(1)
    try:
        call_command("wbs_keys", "rotate", "--escrow-key-file", str(key_file), stdout=out)
    finally:
        settings.WBS_ESCROW_PUBLIC_KEY = ""
    assert "1 reports re-encrypted under new keys." in out.getvalue()
    report.refresh_from_db()
    assert not _opens(key, bytes(report.sealed_content))
    rotated = services.report_key_for(report=report, user=handler, private_key=fresh)
    assert "eskro" in report_view(report=report, key=rotated, for_handler=True).content.what


def test_rotation_encrypts_every_content_again_and_the_old_report_key_opens_none_of_it(
    submit, world, django_capture_on_commit_callbacks
) -> None:
    handler = world.inspektorat_binjai
    report, receipt = _full_report(submit, handler)
    old_key = opened_by(report, handler)
    before = set(_sealed_values())
    browser = sign_in(Client(), handler)
    with django_capture_on_commit_callbacks(execute=True):  # the old files go at commit
        browser.post("/wbs/kunci/ganti/")
    report.refresh_from_db()
    new_key = opened_by(report, handler)
    assert new_key != old_key
    after = _sealed_values()
    # Everything of the report was written again: nothing the old key sealed is left.
    contents = [
        bytes(v)
        for v in [
            report.sealed_content,
            report.sealed_identity,
            *Message.objects.values_list("sealed_body", flat=True),
            *InternalNote.objects.values_list("sealed_body", flat=True),
            *StateChange.objects.exclude(sealed_note=b"").values_list("sealed_note", flat=True),
            *IdentityDisclosure.objects.values_list("sealed_reason", flat=True),
        ]
        if v is not None
    ] + [stored_file_read(a.stored_file) for a in Attachment.objects.all()]
    assert len(contents) == 8  # text, identity, two messages, note, state note, reason, file
    for value in contents:
        assert value not in before
        assert not _opens(old_key, value)
        assert _opens(new_key, value)
    # Only the handlers' own sealed private keys are as they were.
    assert set(after) & before == {
        bytes(v) for v in HandlerKey.objects.values_list("sealed_private_key", flat=True)
    }
    assert AuditEntry.objects.filter(action="wbs.report.rekeyed", actor=handler).count() == 1
    # The handler's page and the reporter's receipt both still read it all.
    page = browser.get(f"/wbs/{report.pk}/").content.decode()
    assert SECRETS["text"] in page and SECRETS["note"] in page
    download = browser.get(f"/wbs/lampiran/{Attachment.objects.get().pk}/")
    assert SECRETS["file"] in PdfReader(io.BytesIO(download.content)).pages[0].extract_text()
    reporter = Client()
    reporter.post("/lapor/ikuti/", {"receipt": receipt, **solved("receipt")})
    follow = reporter.get("/lapor/ikuti/laporan/").content.decode()
    assert SECRETS["handler message"] in follow and SECRETS["state note"] in follow
    # No old file stays behind in storage.
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_the_receipt_reads_the_status_and_messages_and_writes_back(submit, world) -> None:
    handler = world.inspektorat_binjai
    report, receipt = submit()
    services.handler_message_add(
        report_id=report.pk,
        user=handler,
        private_key=key_of(handler),
        body="Mohon kirim foto kuitansinya.",
        asks_for_information=True,
    )
    reporter = Client()
    reporter.post("/lapor/ikuti/", {"receipt": receipt, **solved("receipt")})
    follow = reporter.get("/lapor/ikuti/laporan/").content.decode()
    assert "Mohon kirim foto kuitansinya." in follow and "Diterima" in follow
    reporter.post(
        "/lapor/ikuti/laporan/", {"body": "Foto menyusul besok pagi.", **solved("message")}
    )
    page = sign_in(Client(), handler).get(f"/wbs/{report.pk}/").content.decode()
    assert "Foto menyusul besok pagi." in page


def test_signing_out_forgets_the_key(submit, world) -> None:
    report, _ = submit()
    handler = world.inspektorat_binjai
    browser = _signed_in_with_password(handler)
    assert (
        unlock.COOKIE in browser.cookies and browser.cookies[unlock.COOKIE]["samesite"] == "Strict"
    )
    assert browser.cookies[unlock.COOKIE]["httponly"]
    assert unlock.SESSION_KEY in browser.session
    # Neither half opens the key alone: the session holds it sealed, the cookie a random key.
    sealed = browser.session[unlock.SESSION_KEY]
    private_key = key_of(handler)
    assert private_key not in str(sealed).encode() and private_key.hex() not in str(sealed)
    assert "Pungutan liar" in browser.get(f"/wbs/{report.pk}/").content.decode()
    browser.post(reverse("accounts:logout"))
    assert browser.cookies[unlock.COOKIE].value == ""  # deleted
    # Back in the same browser without the password (as a stolen session would be): locked.
    browser.force_login(handler)
    assert browser.get(f"/wbs/{report.pk}/").status_code == 302


def test_a_session_without_the_key_is_asked_for_the_password(submit, world) -> None:
    report, _ = submit()
    handler = world.inspektorat_binjai
    browser = Client()
    browser.force_login(handler)  # signed in before key pairs came: no key in this session
    from django_otp import DEVICE_ID_SESSION_KEY

    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=handler).persistent_id
    session.save()
    queue = browser.get("/wbs/").content.decode()
    assert "Buka kunci" in queue
    asked = browser.get(f"/wbs/{report.pk}/")
    assert asked.status_code == 302 and asked["Location"].startswith("/wbs/kunci/")
    page = browser.get(asked["Location"])
    assert page.status_code == 200 and "Ketik kata sandi Anda" in page.content.decode()
    wrong = browser.post("/wbs/kunci/", {"password": "salah", "next": f"/wbs/{report.pk}/"})
    assert wrong.status_code == 400 and "Kata sandi salah." in wrong.content.decode()
    opened = browser.post("/wbs/kunci/", {"password": PASSWORD, "next": f"/wbs/{report.pk}/"})
    assert opened.status_code == 302 and opened["Location"] == f"/wbs/{report.pk}/"
    assert "Pungutan liar" in browser.get(f"/wbs/{report.pk}/").content.decode()
    # Someone who handles nothing is not asked for anything: the page does not exist for them.
    other = sign_in(Client(), world.operator_binjai)
    assert other.get(f"/wbs/{report.pk}/").status_code == 404


def test_reports_made_before_key_pairs_move_off_the_master_key(
    submit, world, settings, tmp_path
) -> None:
    settings.WBS_KEY_FILE = tmp_path / "old.keys"
    crypto.write_keyring(crypto.new_ring())
    report, receipt = submit(what="Laporan dari sebelum kunci pasangan.")
    as_legacy(report)
    assert crypto.keyring().keys  # the master key that sealed it
    out = io.StringIO()
    call_command("wbs_keys", "migrate", stdout=out)
    assert "1 still need the key file" in out.getvalue()
    handler = world.inspektorat_binjai
    key = opened_by(report, handler)  # sealed to the handler now
    # The reporter comes back with the receipt: sealed to their key, the master copy goes.
    services.receipt_open(receipt=receipt, **_pow())
    report.refresh_from_db()
    assert report.key_id == "" and report.sealed_key is None
    call_command("wbs_keys", "migrate", stdout=out)
    assert "The master keys are removed from the key file." in out.getvalue()
    assert crypto.keyring().keys == ()
    assert opened_by(report, handler) == key
    assert "sebelum kunci" in report_view(report=report, key=key, for_handler=True).content.what


def _pow() -> dict[str, str]:
    pair = solved("receipt")
    return {"token": pair["pow_token"], "solution": pair["pow_solution"]}
