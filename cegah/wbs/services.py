"""Every write of the WBS module.

Reporter-side services write no audit entry and no timestamp (a date only): the audit chain would
otherwise record the exact moment a reporter acted. Handler-side services audit every opening and
decision, never the report's words.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.audit.services import record
from cegah.core.errors import AlreadyDone, DomainError, StaleEdit
from cegah.notifications.services import notify
from cegah.regions.models import Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.metadata import STRIPPABLE
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import (
    atomic_with_files,
    stored_file_read,
    stored_file_replace,
    stored_files_delete,
    upload_store,
)
from cegah.workdays.days import add_working_days, working_days_between
from cegah.workflow.transitions import move

from . import crypto, names, proof_of_work
from .access import (
    first_route,
    handlers_at,
    handlers_of,
    inspected_pemda_ids,
    is_national_handler,
    level_above,
    reports_handled_by,
)
from .models import (
    CLOSED_STATES,
    Attachment,
    Conflict,
    HandlerKey,
    HandlingLevel,
    IdentityDisclosure,
    InternalNote,
    Message,
    Report,
    ReportGrant,
    ReportState,
    RoutedBecause,
    StateChange,
)
from .workflows import NOTE_REQUIRED, REPORT

# Attachments lose what identifies their author and are sealed with their report's key; their
# files carry the day only, like every reporter-side row.
ATTACHMENT_UPLOADS = UploadPolicy(
    purpose="wbs.attachment",
    allowed=STRIPPABLE,
    max_mb_setting="WBS_ATTACHMENT_MAX_MB",
    folder="wbs",
    strip_metadata=True,
    day_only_times=True,
)
# How an attachment's type is written in its name: one spelling per type, whatever the uploader's.
ATTACHMENT_EXTENSIONS = {"jpeg": "jpg"}
RECEIPT_LENGTH = 16
MB = 1024 * 1024


@dataclass(frozen=True)
class ReportContent:
    what: str
    who_name: str = ""
    who_position: str = ""
    who_unit: str = ""
    when: str = ""
    where: str = ""
    how: str = ""
    estimated_loss: int | None = None


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    contact: str = ""


@dataclass(frozen=True)
class Upload:
    name: str
    file: IO[bytes]


# Allowed moves, and whether the handler must explain them (the reporter reads the note).


def _today() -> date:
    return timezone.localdate()


def _seal_json(key: bytes, value: Any) -> bytes:
    return crypto.seal(key, json.dumps(value, ensure_ascii=False).encode())


class NotGranted(DomainError):
    """The handler handles the report but holds no key to it yet: a colleague grants it."""


def _legacy_key(report: Report) -> bytes | None:
    """The report key of a report made before key pairs, while the key file still opens it."""
    if not report.key_id or report.sealed_key is None:
        return None
    return crypto.unwrap_legacy_key(report.key_id, bytes(report.sealed_key))


def report_key_for(*, report: Report, user: User, private_key: bytes) -> bytes:
    """The report's key as this handler's own key opens it; NotGranted when it does not."""
    grant = ReportGrant.objects.filter(report=report, user=user).only("sealed_key").first()
    if grant is not None:
        try:
            return crypto.open_sealed(private_key, bytes(grant.sealed_key))
        except crypto.CryptoError:
            pass  # sealed to a key pair the handler has since replaced
    legacy = _legacy_key(report)
    if legacy is not None:
        return legacy
    raise NotGranted(
        _(
            "Anda belum diberi akses ke isi laporan ini. Penangan lain di tingkat yang sama "
            "memberikannya dari halaman daftar laporan WBS."
        ),
        code="not_granted",
    )


def reporter_report_key(*, report: Report, reporter_key: bytes) -> bytes:
    """The report's key as the reporter's receipt-derived key opens it."""
    if report.reporter_sealed_key is not None:
        return crypto.open_sealed(reporter_key, bytes(report.reporter_sealed_key))
    legacy = _legacy_key(report)
    if legacy is None:
        raise DomainError(_("Laporan ini tidak dapat dibuka. Masuk lagi dengan kode tanda terima."))
    return legacy


def _grant_to(
    *,
    report: Report,
    key: bytes,
    people: QuerySet[User] | Iterable[User],
    granted_by: User | None,
    day: date,
    new: bool = False,
) -> list[int]:
    """Seals the report key to each of these people who has a key pair and no grant yet (`new`:
    the report has none at all); returns who got one. Those without a key pair wait for a
    colleague (report_access_grant)."""
    held: set[int] = (
        set()
        if new
        else set(ReportGrant.objects.filter(report=report).values_list("user_id", flat=True))
    )
    chosen = people if isinstance(people, QuerySet) else [p.pk for p in people]
    rows = [
        ReportGrant(
            report=report,
            user_id=handler_key.user_id,
            sealed_key=crypto.seal_to(bytes(handler_key.public_key), key),
            granted_by=granted_by,
            granted_on=day,
        )
        for handler_key in HandlerKey.objects.filter(user__in=chosen).order_by("user_id")
        if handler_key.user_id not in held
    ]
    ReportGrant.objects.bulk_create(rows)
    return [row.user_id for row in rows]


def _seal_beyond_handlers(*, report: Report, key: bytes) -> None:
    """The escrow copy, when an escrow key is configured (off by default)."""
    escrow = crypto.escrow_public_key()
    report.escrow_sealed_key = crypto.seal_to(escrow, key) if escrow else None


def _check_count(uploads: Sequence[Upload]) -> None:
    if len(uploads) > settings.WBS_ATTACHMENTS_PER_MESSAGE:
        raise DomainError(
            _("Paling banyak %(count)d lampiran sekali kirim.")
            % {"count": settings.WBS_ATTACHMENTS_PER_MESSAGE}
        )


def _size_of(upload: Upload) -> int:
    size = getattr(upload.file, "size", None)  # Django's uploaded files know theirs
    if isinstance(size, int):
        return size
    position = upload.file.tell()
    end = upload.file.seek(0, os.SEEK_END)
    upload.file.seek(position)
    return end


def _check_report_total(*, stored: int, uploads: Sequence[Upload]) -> None:
    """One report stores at most WBS_REPORT_MAX_MB of the reporter's attachments, its own and
    every follow-up message's together: follow-ups need no proof of work, and without a cap a
    receipt would let anyone fill the storage 100 MB a message."""
    limit = int(settings.WBS_REPORT_MAX_MB) * MB
    if stored + sum(_size_of(upload) for upload in uploads) > limit:
        raise DomainError(
            _(
                "Satu laporan menyimpan lampiran paling banyak %(limit)d MB seluruhnya, dan "
                "laporan ini sudah memakai %(used)s MB. Kirim berkas yang lebih kecil atau lebih "
                "sedikit."
            )
            % {"limit": settings.WBS_REPORT_MAX_MB, "used": f"{stored / MB:.1f}"}
        )


def _reporter_bytes(report: Report) -> int:
    """What the reporter's attachments to this report take (the handlers' are not counted)."""
    total = Attachment.objects.filter(
        Q(message__isnull=True) | Q(message__side=Message.Side.REPORTER), report=report
    ).aggregate(total=Sum("stored_file__size"))["total"]
    return int(total or 0)


def _attach(
    *,
    report: Report,
    key: bytes,
    uploads: Sequence[Upload],
    message: Message | None,
    day: date,
    numbered_so_far: int | None = None,
) -> None:
    """Stores each file stripped of identifying metadata and sealed with the report's key; runs
    inside atomic_with_files, so a refused file removes those stored before it."""
    policy = ATTACHMENT_UPLOADS.sealed_with(partial(crypto.seal, key))
    # Numbered within the report (the caller holds the report's row lock, or has just made it);
    # the name the file came with is not kept: "IMG_20261205_143212.jpg" times a photo, and
    # "Laporan_Rahmawati.docx" names its writer.
    if not uploads:
        return
    number = numbered_so_far
    if number is None:
        number = report.attachments.aggregate(last=Max("number"))["last"] or 0
    for upload in uploads:
        try:
            accepted = upload_store(policy=policy, name=upload.name, file=upload.file, day=day)
        except UploadRejected as refused:
            # Shown to the person who sent it only, on the form they are filling in.
            raise DomainError(f"{upload.name[:80]}: {refused.message}") from None
        number += 1
        Attachment.objects.create(
            report=report,
            message=message,
            number=number,
            extension=ATTACHMENT_EXTENSIONS.get(accepted.extension, accepted.extension),
            stored_file=accepted.stored,
            created_on=day,
        )


def _names_a_handler(*, pemda: Pemda | None, level: str, content: ReportContent) -> bool:
    """One of the handlers at this level is named anywhere in the report (titles, initials and
    word order aside, cegah/wbs/names.py): they cannot handle it."""
    words = set(
        names.tokens(
            " ".join(
                [
                    content.what,
                    content.who_name,
                    content.who_position,
                    content.who_unit,
                    content.when,
                    content.where,
                    content.how,
                ]
            )
        )
    )
    handlers = handlers_at(level=level, handler_pemda_id=pemda.pk if pemda else None)
    return any(names.names(u.full_name, words) for u in handlers)


def report_submit(
    *,
    pemda: Pemda,
    type: str,
    content: ReportContent,
    identity: ReporterIdentity | None,
    names_inspectorate: bool,
    uploads: Sequence[Upload] = (),
    to_national: bool = False,
) -> tuple[Report, str]:
    """Stores a new report and returns it with its receipt code, which is kept nowhere. The
    reporter may send it above the Pemda's inspectorate (names_inspectorate) or straight to the
    national coordinator (to_national); it also goes up, level by level, while a handler there is
    named in it."""
    if not content.what.strip():
        raise DomainError(_("Ceritakan apa yang terjadi."))
    _check_count(uploads)
    _check_report_total(stored=0, uploads=uploads)
    today = _today()
    level, handler, because = first_route(
        pemda=pemda,
        names_inspectorate=names_inspectorate
        or names.mentions_inspectorate(content.who_unit, content.who_position, content.who_name),
    )
    if to_national:
        level, handler, because = HandlingLevel.NASIONAL, None, RoutedBecause.NAMES_INSPECTORATE
    while level != HandlingLevel.NASIONAL and _names_a_handler(
        pemda=handler, level=level, content=content
    ):
        level, handler = level_above(pemda=pemda, level=level)
        because = RoutedBecause.CONFLICT
    key = crypto.new_secret_key()
    reporter_salt = secrets.token_bytes(crypto.SALT_BYTES)
    with atomic_with_files():
        for _attempt in range(3):
            receipt = crypto.new_receipt()
            digest = crypto.receipt_hash(receipt)
            if not Report.objects.filter(receipt_hash=digest).exists():
                break
        reporter_public = crypto.public_key_of(crypto.reporter_private_key(receipt, reporter_salt))
        escrow = crypto.escrow_public_key()
        report = Report.objects.create(
            pemda=pemda,
            level=level,
            handler_pemda=handler,
            routed_because=because,
            type=type,
            receipt_hash=digest,
            reporter_salt=reporter_salt,
            reporter_public_key=reporter_public,
            reporter_sealed_key=crypto.seal_to(reporter_public, key),
            escrow_sealed_key=crypto.seal_to(escrow, key) if escrow else None,
            sealed_content=_seal_json(key, asdict(content)),
            sealed_identity=_seal_json(key, asdict(identity)) if identity else None,
            received_on=today,
            due_on=add_working_days(today, settings.WBS_VERIFY_DAYS),
        )
        # The server keeps only public keys: the report is sealed to the level's handlers now.
        _grant_to(
            report=report,
            key=key,
            people=handlers_of(report=report),
            granted_by=None,
            day=today,
            new=True,
        )
        _attach(report=report, key=key, uploads=uploads, message=None, day=today, numbered_so_far=0)
    return report, receipt


def normalise_receipt(raw: str) -> str | None:
    digits = "".join(ch for ch in raw if not ch.isspace() and ch != "-")
    return digits if len(digits) == RECEIPT_LENGTH and digits.isdigit() else None


def receipt_open(*, receipt: str, token: str, solution: str) -> tuple[Report, bytes]:
    """The report a receipt code opens and the reporter's private key for it; a wrong code
    raises DomainError with code "unknown_receipt" (the page slows that client down, nobody
    else)."""
    try:
        proof_of_work.redeem(
            token=token,
            solution=solution,
            purpose="receipt",
            required_bits=proof_of_work.AS_ISSUED,
        )
    except proof_of_work.ChallengeFailed:
        raise DomainError(
            _(
                "Pemeriksaan anti-spam belum selesai atau sudah kedaluwarsa. Tunggu sebentar lalu "
                "coba lagi."
            )
        ) from None
    digits = normalise_receipt(receipt)
    if digits is None:
        raise DomainError(_("Kode tanda terima terdiri atas 16 angka."))
    report = Report.objects.filter(receipt_hash=crypto.receipt_hash(digits)).first()
    if report is None:
        raise DomainError(
            _("Kode tanda terima tidak dikenal. Periksa lagi ke-16 angkanya."),
            code="unknown_receipt",
        )
    if report.reporter_public_key is None:
        _reporter_key_add(report=report, receipt=digits)
    reporter_key = crypto.reporter_private_key(digits, bytes(report.reporter_salt or b""))
    if not ReportGrant.objects.filter(report=report).exists():
        # No handler holds a key to it (none of the level had a key pair when it arrived or
        # moved): the reporter's visit seals it to those who have one now.
        key = reporter_report_key(report=report, reporter_key=reporter_key)
        _grant_to(
            report=report, key=key, people=handlers_of(report=report), granted_by=None, day=_today()
        )
    return report, reporter_key


def _reporter_key_add(*, report: Report, receipt: str) -> None:
    """A report made before key pairs meets its receipt again: it is sealed to the reporter's
    key, and once handlers hold it too the key file's copy goes."""
    key = _legacy_key(report)
    if key is None:
        return
    salt = secrets.token_bytes(crypto.SALT_BYTES)
    public = crypto.public_key_of(crypto.reporter_private_key(receipt, salt))
    report.reporter_salt, report.reporter_public_key = salt, public
    report.reporter_sealed_key = crypto.seal_to(public, key)
    fields = ["reporter_salt", "reporter_public_key", "reporter_sealed_key"]
    if ReportGrant.objects.filter(report=report).exists():
        report.key_id, report.sealed_key = "", None
        fields += ["key_id", "sealed_key"]
    report.save(update_fields=fields)


def report_follow_revoke(*, report: Report) -> None:
    """The reporter closes the report on their device: every follow-up cookie stops opening it.
    Not audited: the reporter's acts leave no entry (docs/subsystems/wbs-privacy.md)."""
    Report.objects.filter(pk=report.pk).update(follow_epoch=F("follow_epoch") + 1)


def reporter_message_add(
    *, report: Report, reporter_key: bytes, body: str, uploads: Sequence[Upload] = ()
) -> Message:
    body = body.strip()
    if not body and not uploads:
        raise DomainError(_("Tulis pesan atau lampirkan berkas."))
    if report.is_closed:
        raise DomainError(_("Laporan ini sudah ditutup."))
    _check_count(uploads)
    key = reporter_report_key(report=report, reporter_key=reporter_key)
    today = _today()
    with atomic_with_files():
        if uploads:
            # Locked, so that two messages sent at once cannot both fit under the cap.
            Report.objects.select_for_update().only("pk").get(pk=report.pk)
            _check_report_total(stored=_reporter_bytes(report), uploads=uploads)
        message = Message.objects.create(
            report=report,
            side=Message.Side.REPORTER,
            sealed_body=crypto.seal(key, body.encode()),
            created_on=today,
        )
        _attach(report=report, key=key, uploads=uploads, message=message, day=today)
        Report.objects.filter(pk=report.pk).update(
            awaiting_reporter_since=None, version=F("version") + 1
        )
    return message


def _handled_report_for_update(*, report_id: int, user: User) -> Report:
    report = (
        reports_handled_by(user=user).select_for_update(of=("self",)).filter(pk=report_id).first()
    )
    if report is None:
        raise Http404
    return report


def report_open(*, report: Report, user: User) -> None:
    """Written each time a handler reads a report."""
    record(actor=user, action="wbs.report.opened", obj=report)


def _state_change(
    *, note: str, key: bytes | None, actor: User | None, day: date
) -> Callable[[Report, str], StateChange]:
    """The history row of a move: the note is for the reporter, sealed with the report's key.
    A move the system makes (key None) has an empty note: the server holds no report key, and
    its words are the same for everyone (selectors.SYSTEM_NOTES)."""

    def write(report: Report, source: str) -> StateChange:
        return StateChange.objects.create(
            report=report,
            state=report.state,
            sealed_note=crypto.seal(key, note.encode()) if key is not None else b"",
            actor=actor,
            created_on=day,
        )

    return write


def report_transition(
    *, report_id: int, user: User, private_key: bytes, to_state: str, note: str, version: int
) -> Report:
    note = note.strip()
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        if report.version != version:
            raise StaleEdit(
                _("Laporan ini baru saja diubah orang lain. Muat ulang halaman lalu periksa lagi.")
            )
        if not REPORT.allowed(report.state, to_state, service="report_transition"):
            raise DomainError(_("Perubahan status ini tidak diizinkan."))
        if to_state in NOTE_REQUIRED and len(note) < 10:
            raise DomainError(_("Jelaskan keputusan ini kepada pelapor (paling sedikit 10 huruf)."))
        key = report_key_for(report=report, user=user, private_key=private_key)
        today = _today()
        report.version += 1
        if to_state in CLOSED_STATES:
            report.closed_on, report.due_on = today, None
        elif to_state == ReportState.FOLLOWED_UP:
            report.due_on = add_working_days(today, settings.WBS_FOLLOWUP_DAYS)
        move(
            workflow=REPORT,
            obj=report,
            to=to_state,
            actor=user,
            history=_state_change(note=note, key=key, actor=user, day=today),
            audit_action="wbs.report.state",
            update_fields=["version", "closed_on", "due_on"],
            locked=True,
        )
    return report


def handler_message_add(
    *,
    report_id: int,
    user: User,
    private_key: bytes,
    body: str,
    asks_for_information: bool = False,
    uploads: Sequence[Upload] = (),
) -> Message:
    body = body.strip()
    if not body:
        raise DomainError(_("Tulis pesan untuk pelapor."))
    _check_count(uploads)
    with atomic_with_files():
        report = _handled_report_for_update(report_id=report_id, user=user)
        if report.is_closed:
            raise DomainError(_("Laporan ini sudah ditutup."))
        key = report_key_for(report=report, user=user, private_key=private_key)
        today = _today()
        message = Message.objects.create(
            report=report,
            side=Message.Side.HANDLER,
            author=user,
            sealed_body=crypto.seal(key, body.encode()),
            asks_for_information=asks_for_information,
            created_on=today,
        )
        _attach(report=report, key=key, uploads=uploads, message=message, day=today)
        report.version += 1
        if asks_for_information:
            report.awaiting_reporter_since = today
        report.save(update_fields=["version", "awaiting_reporter_since"])
        record(
            actor=user,
            action="wbs.message.sent",
            obj=report,
            data={"asks_for_information": asks_for_information, "attachments": len(uploads)},
        )
    return message


def identity_request(
    *, report_id: int, user: User, private_key: bytes, reason: str
) -> IdentityDisclosure:
    """A handler asks, with a reason, to see the reporter's identity; another handler of the
    same level approves it (`identity_approve`) before it opens. The reason is sealed with the
    report's key; the audit chain records only that a request was made."""
    reason = reason.strip()
    if len(reason) < 20:
        raise DomainError(
            _("Tuliskan mengapa identitas pelapor diperlukan (paling sedikit 20 huruf).")
        )
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        if report.sealed_identity is None:
            raise DomainError(_("Pelapor tidak memberikan identitas."))
        if IdentityDisclosure.objects.filter(report=report, user=user).exists():
            raise AlreadyDone(_("Anda sudah meminta identitas pelapor laporan ini."))
        request = IdentityDisclosure.objects.create(
            report=report,
            user=user,
            sealed_reason=crypto.seal(
                report_key_for(report=report, user=user, private_key=private_key), reason.encode()
            ),
            requested_on=_today(),
        )
        record(actor=user, action="wbs.identity.requested", obj=report)
    return request


def identity_approve(*, report_id: int, request_id: int, user: User) -> IdentityDisclosure:
    """A second handler of the level that handles the report approves a colleague's request:
    opening the reporter's identity is never one person's decision."""
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        request = (
            IdentityDisclosure.objects.select_for_update()
            .filter(pk=request_id, report=report)
            .first()
        )
        if request is None:
            raise Http404
        if request.user_id == user.pk:
            raise DomainError(
                _("Permintaan Anda sendiri disetujui penangan lain, bukan oleh Anda."),
                code="own_request",
            )
        if request.approved_on is not None:
            raise AlreadyDone(_("Permintaan ini sudah disetujui."))
        request.approved_by, request.approved_on = user, _today()
        request.save(update_fields=["approved_by", "approved_on"])
        record(
            actor=user,
            action="wbs.identity.approved",
            obj=report,
            data={"requested_by": request.user.email},
        )
    return request


def identity_requests(*, report: Report, key: bytes) -> list[tuple[IdentityDisclosure, str]]:
    """The report's identity requests with their reasons, for its handlers."""
    return [
        (r, crypto.unseal(key, bytes(r.sealed_reason)).decode())
        for r in report.disclosures.select_related("user", "approved_by").order_by("pk")
    ]


def note_add(*, report_id: int, user: User, private_key: bytes, body: str) -> InternalNote:
    """A note for the report's handlers only, sealed with the report's key; the audit chain
    records that a note was written, never its words."""
    body = body.strip()
    if not body:
        raise DomainError(_("Tulis catatannya."))
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        note = InternalNote.objects.create(
            report=report,
            author=user,
            sealed_body=crypto.seal(
                report_key_for(report=report, user=user, private_key=private_key), body.encode()
            ),
            created_on=_today(),
        )
        record(actor=user, action="wbs.note.add", obj=report)
    return note


def notes_of(*, report: Report, key: bytes) -> list[tuple[InternalNote, str]]:
    return [
        (n, crypto.unseal(key, bytes(n.sealed_body)).decode())
        for n in report.internal_notes.select_related("author")
    ]


def report_assign(*, report_id: int, user: User, assignee_id: int | None) -> Report:
    """A handler gives the case to a colleague of the same level (or takes it, or leaves it
    to no one); the colleague is told in the app, without a word of the report."""
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        assignee = (
            handlers_of(report=report).filter(pk=assignee_id).first()
            if assignee_id is not None
            else None
        )
        if assignee_id is not None and assignee is None:
            raise DomainError(
                _("Laporan hanya dapat ditugaskan kepada penangan di tingkat yang sama."),
                code="not_a_colleague",
            )
        report.assignee = assignee
        report.save(update_fields=["assignee"])
        record(
            actor=user,
            action="wbs.report.assign",
            obj=report,
            data={"assignee": assignee.email if assignee else None},
        )
        if assignee is not None and assignee.pk != user.pk:
            notify(
                recipients=[assignee],
                title=lambda: _("Laporan %(report)s ditugaskan kepada Anda") % {"report": report},
                body=lambda: _("Oleh %(who)s.") % {"who": user.full_name or user.email},
                url=reverse("wbs:report", args=[report.pk]),
            )
    return report


def identity_of(*, report: Report, key: bytes) -> ReporterIdentity | None:
    if report.sealed_identity is None:
        return None
    data = json.loads(crypto.unseal(key, bytes(report.sealed_identity)))
    return ReporterIdentity(**data)


def conflict_declare(*, report_id: int, user: User, private_key: bytes) -> Report:
    """The handler steps aside and the report goes one level up, out of their inspectorate:
    it is sealed to the new level's handlers and the old level's keys to it are dropped."""
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        key = report_key_for(report=report, user=user, private_key=private_key)
        Conflict.objects.create(report=report, user=user)
        previous = report.level
        if report.level != HandlingLevel.NASIONAL:
            report.level, report.handler_pemda = level_above(pemda=report.pemda, level=report.level)
            report.routed_because = RoutedBecause.CONFLICT
        report.version += 1
        report.save(update_fields=["level", "handler_pemda", "routed_because", "version"])
        handlers = list(handlers_of(report=report))
        ReportGrant.objects.filter(report=report).exclude(user__in=handlers).delete()
        sealed = _grant_to(report=report, key=key, people=handlers, granted_by=None, day=_today())
        record(
            actor=user,
            action="wbs.report.conflict",
            obj=report,
            data={"from": previous, "to": report.level, "sealed_to": len(sealed)},
        )
    return report


def attachment_open(
    *, attachment_id: int, user: User, private_key: bytes
) -> tuple[str, str, bytes]:
    """Name, type and content of an attachment, for a handler; the opening is audited."""
    attachment = (
        Attachment.objects.select_related("report", "stored_file")
        .filter(pk=attachment_id, report__in=reports_handled_by(user=user))
        .first()
    )
    if attachment is None:
        raise Http404
    key = report_key_for(report=attachment.report, user=user, private_key=private_key)
    content = crypto.unseal(key, stored_file_read(attachment.stored_file))
    record(
        actor=user,
        action="wbs.attachment.opened",
        obj=attachment.report,
        data={"attachment": attachment.pk},
    )
    return attachment.name, attachment.stored_file.content_type, content


def reports_close_unanswered(*, today: date | None = None) -> int:
    """Reports whose reporter did not answer a request for information in time are closed."""
    today = today or _today()
    closed = 0
    waiting = Report.objects.filter(awaiting_reporter_since__isnull=False).exclude(
        state__in=CLOSED_STATES
    )
    for report in waiting:
        days = working_days_between(report.awaiting_reporter_since or today, today)
        if days < settings.WBS_REPORTER_REPLY_DAYS:
            continue
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.is_closed or report.awaiting_reporter_since is None:
                continue  # a handler or the reporter acted since the list was read
            report.closed_on, report.due_on, report.awaiting_reporter_since = today, None, None
            report.version += 1
            move(
                workflow=REPORT,
                obj=report,
                to=ReportState.DONE,
                actor=None,
                history=_state_change(note="", key=None, actor=None, day=today),
                audit_action="wbs.report.closed_unanswered",
                update_fields=["closed_on", "due_on", "awaiting_reporter_since", "version"],
                locked=True,
            )
            closed += 1
    return closed


def reports_purge(*, today: date | None = None) -> int:
    """Closed reports older than the retention period are deleted with their files."""
    today = today or _today()
    cutoff = today - timedelta(days=settings.WBS_RETENTION_DAYS)
    expired = Report.objects.filter(state__in=CLOSED_STATES, closed_on__lt=cutoff)
    ids = list(expired.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        files = list(
            Attachment.objects.filter(report_id__in=ids).values_list("stored_file_id", flat=True)
        )
        Report.objects.filter(pk__in=ids).delete()
        stored_files_delete(ids=files)
        record(
            actor=None,
            action="wbs.reports.purged",
            data={
                "count": len(ids),
                "reports": [f"WBS-{pk:06d}" for pk in ids],
                "closed_before": cutoff.isoformat(),
            },
        )
    return len(ids)


def _digest_kind(*, report: Report, today: date, tomorrow: date) -> str:
    if report.due_on and report.due_on < today:
        return "overdue"
    if report.due_on and report.due_on <= tomorrow:
        return "due"
    return "new" if report.state == ReportState.RECEIVED else ""


def _digest_body(counts: dict[str, int]) -> str:
    return (
        _(
            "Laporan WBS: %(new)d baru, %(due)d jatuh tempo sampai hari kerja berikutnya, "
            "%(overdue)d terlambat."
        )
        % counts
    )


def handler_reminders_send(*, today: date | None = None) -> int:
    """One daily digest per handler: new, due and overdue reports. Handlers are not told the
    moment a report arrives, so that nothing records when a reporter acted."""
    today = today or _today()
    tomorrow = add_working_days(today, 1)
    open_reports = Report.objects.exclude(state__in=CLOSED_STATES)
    conflicts = set(
        Conflict.objects.filter(report__in=open_reports).values_list("report_id", "user_id")
    )
    # Handlers are read once per inspectorate (or once for the centre), not once per report.
    handlers: dict[tuple[str, int | None], list[User]] = {}
    per_user: dict[int, tuple[User, dict[str, int]]] = {}
    for report in open_reports.only("pk", "level", "handler_pemda_id", "state", "due_on"):
        kind = _digest_kind(report=report, today=today, tomorrow=tomorrow)
        if not kind:
            continue
        place = (report.level, report.handler_pemda_id)
        if place not in handlers:
            handlers[place] = list(handlers_at(level=place[0], handler_pemda_id=place[1]))
        for user in handlers[place]:
            if (report.pk, user.pk) in conflicts:
                continue
            counts = per_user.setdefault(user.pk, (user, {"new": 0, "due": 0, "overdue": 0}))[1]
            counts[kind] += 1
    sent = 0
    for user, counts in per_user.values():
        sent += len(
            notify(
                recipients=[user],
                title=lambda: _("Laporan WBS menunggu penanganan"),
                body=partial(_digest_body, counts),
                url=reverse("wbs:queue"),
                key=f"wbs-digest:{today.isoformat()}",
            )
        )
    return sent


# --- Handlers' key pairs and access to reports -----------------------------------------------


def _is_handler(user: User) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role__in=[Role.INSPEKTORAT, Role.KOORDINATOR]
    ).exists()


def _sealed_private_key(row: HandlerKey) -> crypto.SealedPrivateKey:
    return crypto.SealedPrivateKey(
        public_key=bytes(row.public_key),
        sealed_private_key=bytes(row.sealed_private_key),
        salt=bytes(row.salt),
        time_cost=row.time_cost,
        memory_kib=row.memory_kib,
    )


def _key_pair_new(*, user: User, password: str, replaces: bool) -> bytes:
    """A new key pair sealed with the password. Replacing one drops every grant made to the old
    one: its private key can no longer be opened, and colleagues grant access again."""
    private_key = crypto.new_private_key()
    sealed = crypto.private_key_seal(private_key, password)
    with transaction.atomic():
        HandlerKey.objects.update_or_create(
            user=user,
            defaults={
                "public_key": sealed.public_key,
                "sealed_private_key": sealed.sealed_private_key,
                "salt": sealed.salt,
                "time_cost": sealed.time_cost,
                "memory_kib": sealed.memory_kib,
            },
        )
        dropped, _by_model = ReportGrant.objects.filter(user=user).delete()
        record(
            actor=user,
            action="wbs.key.replaced" if replaces else "wbs.key.created",
            obj=user,
            data={"grants_dropped": dropped},
        )
    return private_key


def handler_key_open(*, user: User, password: str) -> bytes | None:
    """The handler's private key, opened with the password they just typed (at sign-in or on
    the unlock page); a handler without a key pair gets one. None for anyone who handles no
    reports and has no key pair."""
    row = HandlerKey.objects.filter(user=user).first()
    if row is None:
        return (
            _key_pair_new(user=user, password=password, replaces=False)
            if _is_handler(user)
            else None
        )
    try:
        return crypto.private_key_open(_sealed_private_key(row), password)
    except crypto.CryptoError:
        # The password was changed outside the app (an administrator's command): the old
        # private key cannot be opened by anyone, so a new pair replaces it.
        return _key_pair_new(user=user, password=password, replaces=True)


def handler_key_reset(*, user: User, password: str) -> bytes | None:
    """A password set through a reset link: the old private key, sealed with the forgotten
    password, is lost, so a new pair replaces it and colleagues grant access again."""
    had_one = HandlerKey.objects.filter(user=user).exists()
    if not had_one and not _is_handler(user):
        return None
    # An invitation's first password makes the first pair; a reset replaces the one there was.
    return _key_pair_new(user=user, password=password, replaces=had_one)


def _grantable(*, grantee: User) -> QuerySet[Report]:
    """Reports the grantee handles but holds no key to."""
    return reports_handled_by(user=grantee).exclude(grants__user=grantee)


def _colleagues(user: User, other: User) -> bool:
    """Both handle reports of the same level: the same Pemda's inspectorate, or the centre."""
    if is_national_handler(user=user) and is_national_handler(user=other):
        return True
    return bool(set(inspected_pemda_ids(user=user)) & set(inspected_pemda_ids(user=other)))


def report_access_grant(*, user: User, private_key: bytes, grantee_id: int) -> int:
    """A handler seals every report they can open, and a colleague of the same level handles,
    to that colleague's key pair: after a forgotten password or for a newcomer. One action,
    audited with the count; returns how many reports were granted."""
    grantee = User.objects.filter(pk=grantee_id, is_active=True).first()
    if grantee is None or not _colleagues(user, grantee):
        raise Http404  # only a colleague of the same level, as for a report not one's own
    if not HandlerKey.objects.filter(user=grantee).exists():
        raise DomainError(
            _("Rekan ini belum punya kunci. Kunci dibuat saat ia masuk ke Cegah dengan sandinya."),
            code="no_key_pair",
        )
    mine = reports_handled_by(user=user)
    today = _today()
    granted = 0
    with transaction.atomic():
        for report in _grantable(grantee=grantee).filter(pk__in=mine.values("pk")):
            try:
                key = report_key_for(report=report, user=user, private_key=private_key)
            except NotGranted:
                continue  # the granter holds no key to this one either
            granted += len(
                _grant_to(report=report, key=key, people=[grantee], granted_by=user, day=today)
            )
        if granted == 0:
            raise AlreadyDone(_("Tidak ada laporan yang menunggu akses untuk rekan ini."))
        record(
            actor=user,
            action="wbs.access.granted",
            obj=grantee,
            data={"grantee": grantee.email, "reports": granted},
        )
    notify(
        recipients=[grantee],
        title=lambda: _("Akses laporan WBS diberikan kepada Anda"),
        body=lambda: (
            _("Oleh %(who)s: %(count)d laporan.")
            % {"who": user.full_name or user.email, "count": granted}
        ),
        url=reverse("wbs:queue"),
    )
    return granted


def escrow_grant(*, escrow_private_key: bytes, grantee: User) -> int:
    """Recovery with the Koordinator's offline escrow key: every report the grantee handles and
    holds no key to is sealed to their key pair (for a level whose handlers all forgot their
    passwords). Audited; returns how many reports were granted."""
    if not HandlerKey.objects.filter(user=grantee).exists():
        raise DomainError(_("Penangan ini belum punya kunci: ia perlu masuk ke Cegah sekali."))
    today = _today()
    granted = 0
    with transaction.atomic():
        for report in _grantable(grantee=grantee).filter(escrow_sealed_key__isnull=False):
            key = crypto.open_sealed(escrow_private_key, bytes(report.escrow_sealed_key or b""))
            granted += len(
                _grant_to(report=report, key=key, people=[grantee], granted_by=None, day=today)
            )
        record(
            actor=None,
            action="wbs.access.escrow_granted",
            obj=grantee,
            data={"grantee": grantee.email, "reports": granted},
        )
    return granted


def _reseal_file(*, attachment: Attachment, old: bytes, new: bytes) -> None:
    content = crypto.unseal(old, stored_file_read(attachment.stored_file))
    stored_file_replace(
        stored=attachment.stored_file, content=crypto.seal(new, content), day=attachment.created_on
    )


def _rekey(*, report: Report, old: bytes) -> None:
    """Re-encrypts everything of the report under a new random key and seals that key again to
    whoever held the old one (handlers still handling it, the reporter, the escrow key): a copy
    of the old report key opens nothing written from now on. The caller locks the report."""
    new = crypto.new_secret_key()

    def again(sealed: bytes | memoryview | None) -> bytes:
        return crypto.seal(new, crypto.unseal(old, bytes(sealed or b"")))

    report.sealed_content = again(report.sealed_content)
    if report.sealed_identity is not None:
        report.sealed_identity = again(report.sealed_identity)
    for message in Message.objects.filter(report=report):
        Message.objects.filter(pk=message.pk).update(sealed_body=again(message.sealed_body))
    for note in InternalNote.objects.filter(report=report):
        InternalNote.objects.filter(pk=note.pk).update(sealed_body=again(note.sealed_body))
    for change in StateChange.objects.filter(report=report).exclude(sealed_note=b""):
        StateChange.objects.filter(pk=change.pk).update(sealed_note=again(change.sealed_note))
    for disclosure in IdentityDisclosure.objects.filter(report=report):
        IdentityDisclosure.objects.filter(pk=disclosure.pk).update(
            sealed_reason=again(disclosure.sealed_reason)
        )
    for attachment in Attachment.objects.filter(report=report).select_related("stored_file"):
        _reseal_file(attachment=attachment, old=old, new=new)
    holders = [g.user for g in ReportGrant.objects.filter(report=report).select_related("user")]
    still = set(handlers_of(report=report).values_list("pk", flat=True))
    ReportGrant.objects.filter(report=report).delete()
    _grant_to(
        report=report,
        key=new,
        people=[u for u in holders if u.pk in still],
        granted_by=None,
        day=_today(),
    )
    if report.reporter_public_key is not None:
        report.reporter_sealed_key = crypto.seal_to(bytes(report.reporter_public_key), new)
        report.key_id, report.sealed_key = "", None
    elif report.key_id:
        # Made before key pairs and its reporter not back since: the key file keeps its copy
        # until then (`wbs_keys migrate`).
        report.sealed_key = crypto.seal(crypto.keyring().key(report.key_id), new)
    _seal_beyond_handlers(report=report, key=new)
    report.version += 1
    report.save()


def reports_rekey(*, user: User, private_key: bytes) -> int:
    """Rotation by a handler: every report they handle and can open gets a new key and its
    contents are encrypted again under it. Report by report, each in its own transaction and
    audited; returns how many."""
    done = 0
    for report_id in reports_handled_by(user=user).values_list("pk", flat=True):
        with atomic_with_files():
            report = _handled_report_for_update(report_id=report_id, user=user)
            try:
                old = report_key_for(report=report, user=user, private_key=private_key)
            except NotGranted:
                continue
            _rekey(report=report, old=old)
            record(actor=user, action="wbs.report.rekeyed", obj=report)
        done += 1
    return done


def reports_rekey_with_escrow(*, escrow_private_key: bytes) -> int:
    """Rotation with the escrow key (`wbs_keys rotate --escrow-key-file`): every report sealed to
    it; returns how many."""
    done = 0
    for report_id in Report.objects.filter(escrow_sealed_key__isnull=False).values_list(
        "pk", flat=True
    ):
        with atomic_with_files():
            report = Report.objects.select_for_update().get(pk=report_id)
            old = crypto.open_sealed(escrow_private_key, bytes(report.escrow_sealed_key or b""))
            _rekey(report=report, old=old)
            record(actor=None, action="wbs.report.rekeyed", obj=report, data={"by": "escrow"})
        done += 1
    return done


def reports_migrate_legacy() -> tuple[int, int]:
    """Reports made before key pairs (sealed with a master key of the key file) are sealed to
    their handlers' public keys and to the escrow key; the key file's copy goes once the
    reporter's key holds it too (at the reporter's next visit). Returns (reports sealed to
    handlers, reports still needing the key file)."""
    moved = 0
    today = _today()
    for report_id in Report.objects.exclude(key_id="").values_list("pk", flat=True):
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report_id)
            key = _legacy_key(report)
            if key is None:
                continue
            _grant_to(
                report=report,
                key=key,
                people=handlers_of(report=report),
                granted_by=None,
                day=today,
            )
            _seal_beyond_handlers(report=report, key=key)
            fields = ["escrow_sealed_key"]
            if report.reporter_public_key is not None and report.grants.exists():
                report.key_id, report.sealed_key = "", None
                fields += ["key_id", "sealed_key"]
            report.save(update_fields=fields)
        moved += 1
    waiting = Report.objects.exclude(key_id="").count()
    record(
        actor=None,
        action="wbs.keys.migrated",
        data={"reports": moved, "still_on_key_file": waiting},
    )
    return moved, waiting
