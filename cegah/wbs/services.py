"""Every write of the WBS module.

Reporter-side services write no audit entry and no timestamp (a date only): the audit chain would
otherwise record the exact moment a reporter acted. Handler-side services audit every opening and
decision, never the report's words.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import User
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
    stored_files_delete,
    upload_store,
)
from cegah.workdays.days import add_working_days, working_days_between
from cegah.workflow.transitions import move

from . import crypto, names, proof_of_work
from .access import first_route, handlers_at, handlers_of, level_above, reports_handled_by
from .models import (
    CLOSED_STATES,
    Attachment,
    Conflict,
    HandlingLevel,
    IdentityDisclosure,
    InternalNote,
    Message,
    Report,
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


def report_key(report: Report) -> bytes:
    return crypto.unwrap_report_key(report.key_id, bytes(report.sealed_key))


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
    key_id, sealed_key = crypto.wrap_report_key(key)
    with atomic_with_files():
        for _attempt in range(3):
            receipt = crypto.new_receipt()
            digest = crypto.receipt_hash(receipt)
            if not Report.objects.filter(receipt_hash=digest).exists():
                break
        report = Report.objects.create(
            pemda=pemda,
            level=level,
            handler_pemda=handler,
            routed_because=because,
            type=type,
            receipt_hash=digest,
            key_id=key_id,
            sealed_key=sealed_key,
            sealed_content=_seal_json(key, asdict(content)),
            sealed_identity=_seal_json(key, asdict(identity)) if identity else None,
            received_on=today,
            due_on=add_working_days(today, settings.WBS_VERIFY_DAYS),
        )
        _attach(report=report, key=key, uploads=uploads, message=None, day=today, numbered_so_far=0)
    return report, receipt


def normalise_receipt(raw: str) -> str | None:
    digits = "".join(ch for ch in raw if not ch.isspace() and ch != "-")
    return digits if len(digits) == RECEIPT_LENGTH and digits.isdigit() else None


def receipt_open(*, receipt: str, token: str, solution: str) -> Report:
    """The report a receipt code opens; a wrong code raises DomainError with code
    "unknown_receipt" (the page slows that client down, nobody else)."""
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
    return report


def report_follow_revoke(*, report: Report) -> None:
    """The reporter closes the report on their device: every follow-up cookie stops opening it.
    Not audited: the reporter's acts leave no entry (docs/subsystems/wbs-privacy.md)."""
    Report.objects.filter(pk=report.pk).update(follow_epoch=F("follow_epoch") + 1)


def reporter_message_add(*, report: Report, body: str, uploads: Sequence[Upload] = ()) -> Message:
    body = body.strip()
    if not body and not uploads:
        raise DomainError(_("Tulis pesan atau lampirkan berkas."))
    if report.is_closed:
        raise DomainError(_("Laporan ini sudah ditutup."))
    _check_count(uploads)
    key = report_key(report)
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
    *, note: str, actor: User | None, day: date
) -> Callable[[Report, str], StateChange]:
    """The history row of a move: the note is for the reporter, sealed with the report's key."""

    def write(report: Report, source: str) -> StateChange:
        return StateChange.objects.create(
            report=report,
            state=report.state,
            sealed_note=crypto.seal(report_key(report), note.encode()),
            actor=actor,
            created_on=day,
        )

    return write


def report_transition(
    *, report_id: int, user: User, to_state: str, note: str, version: int
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
            history=_state_change(note=note, actor=user, day=today),
            audit_action="wbs.report.state",
            update_fields=["version", "closed_on", "due_on"],
            locked=True,
        )
    return report


def handler_message_add(
    *,
    report_id: int,
    user: User,
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
        key = report_key(report)
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


def identity_request(*, report_id: int, user: User, reason: str) -> IdentityDisclosure:
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
            sealed_reason=crypto.seal(report_key(report), reason.encode()),
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


def identity_requests(*, report: Report) -> list[tuple[IdentityDisclosure, str]]:
    """The report's identity requests with their reasons, for its handlers."""
    key = report_key(report)
    return [
        (r, crypto.unseal(key, bytes(r.sealed_reason)).decode())
        for r in report.disclosures.select_related("user", "approved_by").order_by("pk")
    ]


def note_add(*, report_id: int, user: User, body: str) -> InternalNote:
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
            sealed_body=crypto.seal(report_key(report), body.encode()),
            created_on=_today(),
        )
        record(actor=user, action="wbs.note.add", obj=report)
    return note


def notes_of(*, report: Report) -> list[tuple[InternalNote, str]]:
    key = report_key(report)
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


def identity_of(*, report: Report) -> ReporterIdentity | None:
    if report.sealed_identity is None:
        return None
    data = json.loads(crypto.unseal(report_key(report), bytes(report.sealed_identity)))
    return ReporterIdentity(**data)


def conflict_declare(*, report_id: int, user: User) -> Report:
    """The handler steps aside and the report goes one level up, out of their inspectorate."""
    with transaction.atomic():
        report = _handled_report_for_update(report_id=report_id, user=user)
        Conflict.objects.create(report=report, user=user)
        previous = report.level
        if report.level != HandlingLevel.NASIONAL:
            report.level, report.handler_pemda = level_above(pemda=report.pemda, level=report.level)
            report.routed_because = RoutedBecause.CONFLICT
        report.version += 1
        report.save(update_fields=["level", "handler_pemda", "routed_because", "version"])
        record(
            actor=user,
            action="wbs.report.conflict",
            obj=report,
            data={"from": previous, "to": report.level},
        )
    return report


def attachment_open(*, attachment_id: int, user: User) -> tuple[str, str, bytes]:
    """Name, type and content of an attachment, for a handler; the opening is audited."""
    attachment = (
        Attachment.objects.select_related("report", "stored_file")
        .filter(pk=attachment_id, report__in=reports_handled_by(user=user))
        .first()
    )
    if attachment is None:
        raise Http404
    key = report_key(attachment.report)
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
            note = _(
                "Ditutup karena pelapor tidak menjawab permintaan informasi dalam %(days)d hari "
                "kerja. Laporan baru tetap dapat dikirim kapan saja."
            ) % {"days": settings.WBS_REPORTER_REPLY_DAYS}
            report.closed_on, report.due_on, report.awaiting_reporter_since = today, None, None
            report.version += 1
            move(
                workflow=REPORT,
                obj=report,
                to=ReportState.DONE,
                actor=None,
                history=_state_change(note=note, actor=None, day=today),
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


def keys_rotate(*, keep_old: bool = False) -> tuple[str, int]:
    """A new master key becomes current and every report key is re-sealed with it."""
    ring = crypto.keyring()
    new_id = crypto.new_key_id()
    new_key = crypto.new_secret_key()
    # First the file knows both keys, so a crash part-way leaves every report readable.
    crypto.write_keyring(crypto.KeyRing(ring.receipt_salt, ((new_id, new_key), *ring.keys)))
    resealed = 0
    for report in Report.objects.exclude(key_id=new_id).only("pk", "key_id", "sealed_key"):
        with transaction.atomic():
            plain = crypto.unwrap_report_key(report.key_id, bytes(report.sealed_key))
            Report.objects.filter(pk=report.pk, key_id=report.key_id).update(
                key_id=new_id, sealed_key=crypto.seal(new_key, plain)
            )
        resealed += 1
    if not keep_old:
        crypto.write_keyring(crypto.KeyRing(ring.receipt_salt, ((new_id, new_key),)))
    record(
        actor=None,
        action="wbs.keys.rotated",
        data={"key": new_id, "resealed": resealed, "old_keys_kept": keep_old},
    )
    return new_id, resealed
