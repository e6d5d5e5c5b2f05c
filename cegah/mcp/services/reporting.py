"""The reporting loop: answer, upload evidence, submit, verify (approve or return), lock.

Every transition locks the answer row, checks who acts, writes the audit chain and sends
notifications only after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts import selectors as accounts
from cegah.accounts.models import Role, User
from cegah.audit import services as audit
from cegah.core.errors import AlreadyDone, DomainError, StaleEdit
from cegah.core.i18n import text_in_reader_language
from cegah.core.numbers import NumberKind, format_number
from cegah.mcp import access
from cegah.mcp.catalogue_file import FILE_TYPES
from cegah.mcp.models import (
    Answer,
    AnswerStateChange,
    Comment,
    Decision,
    Evidence,
    Period,
    SubIndicator,
)
from cegah.mcp.selectors import (
    current_catalogue_id,
    upload_deadline_for,
    work_item_url,
)
from cegah.mcp.services.scores import pemda_scores_update
from cegah.mcp.services.verification import areas_waiting_for_apip
from cegah.mcp.workflows import ANSWER, UNDECIDED_STATES
from cegah.notifications.services import Text, notify
from cegah.regions.models import Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import atomic_with_files, upload_store
from cegah.workflow.transitions import move

State = Answer.State


# --- Shared checks ------------------------------------------------------------------------------


def _ensure_open(period: Period) -> None:
    """The caller reads the termin in the same request; the writes take it from there rather
    than reading it again."""
    if period.state != Period.State.OPEN:
        raise DomainError(_("Termin ini tidak sedang dibuka."), code="period_closed")


def _ensure_before_deadline(period: Period, pemda: Pemda) -> None:
    if timezone.now() > upload_deadline_for(period=period, pemda=pemda):
        raise DomainError(
            _("Batas unggah termin ini sudah lewat; item yang belum dikirim terkunci."),
            code="deadline",
        )


def _sub_indicator(period: Period, pemda: Pemda, sub_indicator_id: int) -> SubIndicator:
    """A sub-indicator of the termin's catalogue that applies to this Pemda, or 404."""
    sub = (
        SubIndicator.objects.select_related("indicator")
        .filter(pk=sub_indicator_id, indicator__catalogue=current_catalogue_id(year=period.year))
        .first()
    )
    if sub is None or not sub.indicator.applies_to(pemda.kind):
        raise Http404
    return sub


def _locked_answer(*, pemda: Pemda, period: Period, sub: SubIndicator) -> Answer:
    """The answer row, locked for this transaction, created on its first save. The Pemda, termin
    and sub-indicator in hand are attached, so its audit label does not read them again."""
    locked = Answer.objects.select_for_update(of=("self",)).select_related("updated_by")
    answer = locked.filter(pemda=pemda, period=period, sub_indicator=sub).first()
    if answer is None:
        created, _created = Answer.objects.get_or_create(
            pemda=pemda, period=period, sub_indicator=sub
        )
        answer = locked.get(pk=created.pk)
    answer.pemda, answer.period, answer.sub_indicator = pemda, period, sub
    return answer


def _ensure_editable(answer: Answer) -> None:
    if answer.state == State.APPROVED:
        raise DomainError(_("Item ini sudah disetujui dan terkunci."), code="locked")
    if not answer.editable_by_pemda:
        raise DomainError(
            _("Item ini sudah dikirim untuk verifikasi dan hanya bisa diubah bila dikembalikan."),
            code="submitted",
        )


def _ensure_version(answer: Answer, expected_version: int) -> None:
    if answer.version != expected_version:
        raise StaleEdit(
            _(
                "%(who)s mengubah item ini pada %(when)s setelah Anda membukanya. Nilai terbaru: "
                "%(value)s. Periksa, lalu simpan lagi bila perlu."
            )
            % {
                "who": answer.updated_by or _("Seseorang"),
                "when": timezone.localtime(answer.updated_at, answer.pemda.zoneinfo).strftime(
                    "%d-%m-%Y %H.%M"
                )
                + f" {answer.pemda.time_zone}",
                "value": describe_value(answer.sub_indicator, answer.value),
            },
            code="stale",
        )


def value_check(sub: SubIndicator, value: Decimal | None) -> Decimal | None:
    """The value as stored for this question, or a DomainError saying what is wanted. Forms read
    what people type with the shared number input (cegah/core/inputs.py)."""
    if sub.answer_type == sub.AnswerType.DOCUMENT or value is None:
        return None
    if not value.is_finite():
        raise DomainError(_("Masukkan angka."), code="number")
    if sub.answer_type == sub.AnswerType.YES_NO and value not in (0, 1):
        raise DomainError(_("Pilih Ya atau Tidak."), code="yes_no")
    if sub.answer_type == sub.AnswerType.CHOICE and not (
        value == value.to_integral_value() and 0 <= value < len(sub.options)
    ):
        raise DomainError(_("Pilih salah satu pilihan."), code="choice")
    if sub.answer_type == sub.AnswerType.PERCENTAGE and not 0 <= value <= 100:
        raise DomainError(_("Persentase harus antara 0 dan 100."), code="percentage")
    if sub.answer_type == sub.AnswerType.NUMBER and value < 0:
        raise DomainError(_("Angka tidak boleh negatif."), code="negative")
    return value


def describe_value(sub: SubIndicator, value: Decimal | None) -> str:
    if sub.answer_type == sub.AnswerType.DOCUMENT:
        # Self-assessed, a document-only question is its document; verified, it is met or not.
        if value is None:
            return _("dokumen saja")
        return _("terpenuhi") if value == 1 else _("tidak terpenuhi")
    if value is None:
        return _("kosong")
    if sub.answer_type == sub.AnswerType.YES_NO:
        return _("Ya") if value == 1 else _("Tidak")
    if sub.answer_type == sub.AnswerType.CHOICE and 0 <= int(value) < len(sub.options):
        option = sub.options[int(value)]
        return text_in_reader_language(option)
    if sub.answer_type == sub.AnswerType.PERCENTAGE:
        return format_number(value, kind=NumberKind.PERCENT)
    return format_number(value)


def _answer_url(answer: Answer) -> str:
    return reverse("mcp:verify_item", kwargs={"pk": answer.pk})


def _pemda_people(answer: Answer) -> tuple[list[User], list[User]]:
    """The operators of the OPD the indicator is assigned to, and the Pemda's admins who are not
    among them: those have no work page and read the item on its own page."""
    operators = {
        u.pk: u
        for u in User.objects.filter(
            roles__opd__indicator_assignments__indicator_id=answer.sub_indicator.indicator_id,
            roles__opd__pemda=answer.pemda,
        )
    }
    admins = {
        u.pk: u
        for u in User.objects.filter(roles__role=Role.ADMIN_PEMDA, roles__pemda=answer.pemda)
        if u.pk not in operators
    }
    return list(operators.values()), list(admins.values())


def _notify_pemda(
    answer: Answer, operators: list[User], admins: list[User], *, title: Text, body: Text
) -> None:
    """Tells the Pemda's people (`_pemda_people`) of a change to the item: its operators with a
    link to the item open on their work page, its admins to the item's own page."""
    notify(recipients=operators, title=title, body=body, url=work_item_url(answer.sub_indicator_id))
    notify(recipients=admins, title=title, body=body, url=_answer_url(answer))


# --- The Pemda: answer, upload, submit ------------------------------------------------------------


@transaction.atomic
def answer_save(
    *,
    user: User,
    pemda: Pemda,
    period: Period,
    sub_indicator_id: int,
    value: Decimal | None,
    expected_version: int,
) -> Answer:
    _ensure_open(period)
    sub = _sub_indicator(period, pemda, sub_indicator_id)
    access.ensure(access.can_answer(user=user, pemda=pemda, sub_indicator=sub))
    _ensure_before_deadline(period, pemda)
    answer = _locked_answer(pemda=pemda, period=period, sub=sub)
    _ensure_editable(answer)
    value = value_check(sub, value)
    if answer.version != expected_version and answer.updated_by == user and answer.value == value:
        return answer  # the same save sent twice (a double click): nothing more to do
    _ensure_version(answer, expected_version)
    before = answer.value
    answer.value = value
    answer.version += 1
    answer.updated_by = user
    answer.save(update_fields=["value", "version", "updated_by", "updated_at"])
    audit.record(
        actor=user,
        action="mcp.answer.save",
        obj=answer,
        data={"pemda": pemda.code, "termin": period.number, "before": before, "after": value},
    )
    return answer


@transaction.atomic
def answer_revise(
    *, user: User, pemda: Pemda, period: Period, sub_indicator_id: int, expected_version: int
) -> Answer:
    """The Pemda updates an item approved in an earlier termin of the year: it becomes a draft
    again, to be changed and sent through verification; until then it counts as not approved."""
    _ensure_open(period)
    sub = _sub_indicator(period, pemda, sub_indicator_id)
    access.ensure(access.can_answer(user=user, pemda=pemda, sub_indicator=sub))
    _ensure_before_deadline(period, pemda)
    answer = _locked_answer(pemda=pemda, period=period, sub=sub)
    if answer.state != State.APPROVED or not answer.carried or answer.decisions.exists():
        raise DomainError(
            _("Hanya item yang disetujui pada termin sebelumnya yang bisa diperbarui."),
            code="not_carried",
        )
    _ensure_version(answer, expected_version)
    answer.verified_value = None
    answer.version += 1
    answer.updated_by = user
    _rescore_later(answer)
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.DRAFT,
        actor=user,
        history=_history(user),
        audit_action="mcp.answer.revise",
        audit_data={"pemda": pemda.code, "termin": period.number},
        update_fields=["verified_value", "version", "updated_by", "updated_at"],
        locked=True,
    )
    return answer


# Evidence documents: kept as uploaded (they are official records), once per Pemda.
EVIDENCE_UPLOADS = UploadPolicy(
    purpose="mcp.evidence",
    allowed=FILE_TYPES,
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="evidence",
    deduplicate=True,
)


def _allowed_types(sub: SubIndicator) -> list[str]:
    asked = sorted({t for e in sub.evidence for t in e.get("file_types", [])})
    return asked or list(FILE_TYPES)


@atomic_with_files()
def evidence_add(
    *,
    user: User,
    pemda: Pemda,
    period: Period,
    sub_indicator_id: int,
    upload: UploadedFile[Any],
    effective_date: date,
    valid_until: date | None,
) -> Evidence:
    """Stores a new evidence revision. The bytes are kept once per Pemda (by SHA-256)."""
    _ensure_open(period)
    sub = _sub_indicator(period, pemda, sub_indicator_id)
    access.ensure(access.can_answer(user=user, pemda=pemda, sub_indicator=sub))
    _ensure_before_deadline(period, pemda)
    today = timezone.localdate(timezone=pemda.zoneinfo)
    if effective_date > today:
        raise DomainError(_("Tanggal berlaku tidak boleh di masa depan."), code="future")
    if valid_until is not None and valid_until < effective_date:
        raise DomainError(
            _("Tanggal 'berlaku sampai' harus sesudah tanggal berlaku."), code="valid_order"
        )
    if valid_until is not None and valid_until < timezone.localdate(
        period.opens_at, timezone=pemda.zoneinfo
    ):
        raise DomainError(
            _("Dokumen ini sudah kedaluwarsa sebelum termin dibuka dan tidak bisa menjadi bukti."),
            code="expired",
        )
    answer = _locked_answer(pemda=pemda, period=period, sub=sub)
    _ensure_editable(answer)
    try:
        accepted = upload_store(
            policy=EVIDENCE_UPLOADS,
            name=upload.name or "",
            file=upload,
            scope=pemda.code,
            allowed=_allowed_types(sub),
        )
    except UploadRejected as exc:
        raise DomainError(exc.message, code="rejected") from None
    stored = accepted.stored
    now = timezone.now()
    answer.evidence.filter(replaced_at__isnull=True).update(replaced_at=now)
    revision = (answer.evidence.aggregate(top=Max("revision"))["top"] or 0) + 1
    evidence = Evidence.objects.create(
        answer=answer,
        stored_file=stored,
        revision=revision,
        original_name=accepted.name,
        effective_date=effective_date,
        valid_until=valid_until,
        uploaded_by=user,
    )
    answer.version += 1
    answer.updated_by = user
    answer.save(update_fields=["version", "updated_by", "updated_at"])
    audit.record(
        actor=user,
        action="mcp.evidence.add",
        obj=answer,
        data={
            "revision": revision,
            "name": accepted.name,
            "sha256": stored.sha256,
            "size": stored.size,
        },
    )
    return evidence


@dataclass(frozen=True)
class SubmitResult:
    submitted: int
    incomplete: int


@transaction.atomic
def answers_submit(
    *, user: User, pemda: Pemda, period: Period, area_id: int | None = None
) -> SubmitResult:
    """The Admin Pemda sends complete draft or returned items (of one area, or all) to the
    verifiers. Submitting twice sends nothing the second time."""
    access.ensure(accounts.can_administer(user=user, pemda=pemda))
    _ensure_open(period)
    _ensure_before_deadline(period, pemda)
    answers = (
        Answer.objects.select_for_update(of=("self",))
        .filter(pemda=pemda, period=period, state__in=[State.DRAFT, State.RETURNED])
        .select_related("sub_indicator__indicator__area")
    )
    if area_id is not None:
        answers = answers.filter(sub_indicator__indicator__area_id=area_id)
    # Where the year asks for it, an area goes only after the Inspektorat reviewed it.
    waiting = areas_waiting_for_apip(
        pemda=pemda,
        period=period,
        area_codes={a.sub_indicator.indicator.area.code for a in answers},
    )
    if waiting:
        raise DomainError(
            _(
                "Tahun %(year)d mewajibkan reviu APIP sebelum laporan dikirim. Belum direviu "
                "Inspektorat: %(areas)s."
            )
            % {"year": period.year, "areas": ", ".join(waiting)},
            code="apip_review",
        )
    with_evidence = set(
        Evidence.objects.filter(answer__in=answers, replaced_at__isnull=True).values_list(
            "answer_id", flat=True
        )
    )
    now = timezone.now()
    sent = incomplete = 0
    changes: list[AnswerStateChange] = []
    for answer in answers:
        if not answer.sub_indicator.is_complete(answer.value, answer.pk in with_evidence):
            incomplete += 1
            continue
        answer.submitted_at = now
        answer.version += 1
        answer.updated_by = user
        move(
            workflow=ANSWER,
            obj=answer,
            to=State.RESUBMITTED if answer.state == State.RETURNED else State.SUBMITTED,
            actor=user,
            history=_history_into(changes, user, now),
            update_fields=["submitted_at", "version", "updated_by", "updated_at"],
            locked=True,
        )
        sent += 1
    AnswerStateChange.objects.bulk_create(changes)
    if sent:
        audit.record(
            actor=user,
            action="mcp.report.submit",
            obj=pemda,
            data={"termin": period.number, "year": period.year, "area": area_id, "items": sent},
        )
    return SubmitResult(sent, incomplete)


@transaction.atomic
def answer_resubmit(*, user: User, answer_id: int, expected_version: int) -> Answer:
    """The operator sends a fixed, returned item back to the verifier."""
    answer = _answer_for_update(answer_id)
    access.ensure(
        access.can_answer(user=user, pemda=answer.pemda, sub_indicator=answer.sub_indicator)
    )
    _ensure_open(answer.period)
    _ensure_before_deadline(answer.period, answer.pemda)
    if answer.state != State.RETURNED:
        raise DomainError(_("Hanya item yang dikembalikan yang bisa dikirim ulang."), code="state")
    _ensure_version(answer, expected_version)
    has_evidence = answer.evidence.filter(replaced_at__isnull=True).exists()
    if not answer.sub_indicator.is_complete(answer.value, has_evidence):
        raise DomainError(_("Lengkapi jawaban dan buktinya dulu."), code="incomplete")
    answer.submitted_at = timezone.now()
    answer.version += 1
    answer.updated_by = user
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.RESUBMITTED,
        actor=user,
        history=_history(user),
        audit_action="mcp.answer.resubmit",
        update_fields=["submitted_at", "version", "updated_by", "updated_at"],
        locked=True,
    )
    return answer


def _history(actor: User) -> Callable[[Answer, str], object]:
    def write(answer: Answer, source: str) -> AnswerStateChange:
        return AnswerStateChange.objects.create(
            answer=answer, source=source, target=answer.state, actor=actor, at=timezone.now()
        )

    return write


def _history_into(
    changes: list[AnswerStateChange], actor: User, at: datetime
) -> Callable[[Answer, str], object]:
    """History rows kept for one bulk insert, for acts on many items at once."""

    def keep(answer: Answer, source: str) -> None:
        changes.append(
            AnswerStateChange(answer=answer, source=source, target=answer.state, actor=actor, at=at)
        )

    return keep


# --- The verifier ---------------------------------------------------------------------------


def _answer_for_update(answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("pemda", "period", "sub_indicator__indicator__area", "updated_by")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def _verifies(verifier: User, answer: Answer) -> bool:
    return access.can_verify(
        user=verifier, pemda=answer.pemda, area_code=answer.sub_indicator.indicator.area.code
    )


def _decidable(verifier: User, answer_id: int) -> Answer:
    answer = _answer_for_update(answer_id)
    access.ensure(_verifies(verifier, answer))
    if answer.state not in UNDECIDED_STATES:
        raise DomainError(
            _("Item ini tidak menunggu verifikasi (status: %(state)s).")
            % {"state": answer.get_state_display()},
            code="state",
        )
    if access.worked_on(user=verifier, answer=answer):
        # Separation of duties: nobody approves their own work.
        raise DomainError(
            _(
                "Anda pernah mengisi jawaban atau mengunggah bukti untuk item ini; "
                "verifikator lain yang memutuskannya."
            ),
            code="own_work",
        )
    return answer


@transaction.atomic
def review_start(*, verifier: User, answer_id: int) -> Answer:
    """The verifier says they are reviewing the item (an explicit act: opening it moves nothing).
    Starting a review already started by anyone is news, not an error."""
    answer = _answer_for_update(answer_id)
    access.ensure(_verifies(verifier, answer))
    if answer.state == State.IN_REVIEW:
        raise AlreadyDone(_("Item ini sudah sedang diverifikasi."), code="already")
    # The verifier made this change: "Terakhir diubah" names them beside its time.
    answer.updated_by = verifier
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.IN_REVIEW,
        actor=verifier,
        history=_history(verifier),
        audit_action="mcp.answer.review",
        update_fields=["updated_by", "updated_at"],
        locked=True,
    )
    return answer


def _rescore_later(answer: Answer) -> None:
    """The Pemda's working scores follow each decision, in the background after commit."""
    year, pemda_id = answer.period.year, answer.pemda_id
    transaction.on_commit(lambda: pemda_scores_update.enqueue(year, pemda_id))


def _record_approval(verifier: User, answer: Answer, verified: Decimal) -> None:
    audit.record(
        actor=verifier,
        action="mcp.answer.approve",
        obj=answer,
        data={"self_assessed": answer.value, "verified": verified},
    )


def _approve(
    verifier: User, answer: Answer, verified: Decimal, changes: list[AnswerStateChange]
) -> None:
    """The approval and the Pemda's notice. The caller saves the history rows, queues the
    rescore and writes the audit entry (`_record_approval`) last: it holds the chain's head for
    every writer until commit."""
    answer.verified_value = verified
    answer.version += 1
    answer.updated_by = verifier  # "Terakhir diubah" names whoever made the last change
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.APPROVED,
        actor=verifier,
        history=_history_into(changes, verifier, timezone.now()),
        update_fields=["verified_value", "version", "updated_by", "updated_at"],
        locked=True,
    )
    Decision.objects.create(
        answer=answer,
        kind=Decision.Kind.APPROVE,
        verified_value=verified,
        decided_by=verifier,
        institution=accounts.verifier_institution(user=verifier),
    )
    operators, admins = _pemda_people(answer)
    notify(
        recipients=[*operators, *admins],  # the item's own page, for both
        title=lambda: _("%(code)s disetujui") % {"code": answer.sub_indicator.code},
        body=lambda: (
            _("%(pemda)s, termin %(n)d: nilai terverifikasi %(value)s.")
            % {
                "pemda": answer.pemda,
                "n": answer.period.number,
                "value": describe_value(answer.sub_indicator, verified),
            }
        ),
        url=_answer_url(answer),
    )


def _verified_value(answer: Answer, given: Decimal | None) -> Decimal:
    if answer.sub_indicator.answer_type == SubIndicator.AnswerType.DOCUMENT:
        # A document-only question is met (1) or not (0).
        return Decimal(0 if given == 0 else 1)
    value = value_check(answer.sub_indicator, given) if given is not None else answer.value
    if value is None:
        raise DomainError(_("Isi nilai terverifikasi."), code="verified_required")
    return value


@transaction.atomic
def answer_approve(
    *, verifier: User, answer_id: int, verified_value: Decimal | None = None
) -> Answer:
    """Approves with a verified value, which may differ from the self-assessed one."""
    answer = _decidable(verifier, answer_id)
    verified = _verified_value(answer, verified_value)
    changes: list[AnswerStateChange] = []
    _approve(verifier, answer, verified, changes)
    AnswerStateChange.objects.bulk_create(changes)
    _rescore_later(answer)
    _record_approval(verifier, answer, verified)
    return answer


@transaction.atomic
def answer_return(*, verifier: User, answer_id: int, reason: str) -> Answer:
    answer = _decidable(verifier, answer_id)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Tulis alasan pengembalian, agar Pemda tahu apa yang harus diperbaiki."),
            code="reason_required",
        )
    answer.version += 1
    answer.updated_by = verifier
    Decision.objects.create(
        answer=answer,
        kind=Decision.Kind.RETURN,
        reason=reason,
        decided_by=verifier,
        institution=accounts.verifier_institution(user=verifier),
    )
    _rescore_later(answer)
    _notify_pemda(
        answer,
        *_pemda_people(answer),
        title=lambda: _("%(code)s dikembalikan") % {"code": answer.sub_indicator.code},
        body=lambda: (
            _("%(pemda)s, termin %(n)d. Alasan: %(reason)s")
            % {"pemda": answer.pemda, "n": answer.period.number, "reason": reason}
        ),
    )
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.RETURNED,
        actor=verifier,
        history=_history(verifier),
        audit_action="mcp.answer.return",
        audit_data={"reason": reason},
        update_fields=["version", "updated_by", "updated_at"],
        locked=True,
    )
    return answer


@dataclass(frozen=True)
class BulkResult:
    approved: int
    skipped: int


@transaction.atomic
def answers_bulk_approve(*, verifier: User, answer_ids: list[int]) -> BulkResult:
    """Approves each listed item at its self-assessed value; items not waiting, of Pemda the
    verifier is not assigned to, or that the verifier worked on, are skipped and counted."""
    verifiable = access.verifiable_q(
        accounts.pemda_verified_by(user=verifier).values_list("pk", flat=True),
        access.area_limits(user=verifier),
    )
    answers = (
        Answer.objects.select_for_update(of=("self",))
        .filter(verifiable, pk__in=answer_ids, state__in=UNDECIDED_STATES)
        .exclude(pk__in=access.answers_worked_on_by(user=verifier).values("pk"))
        .select_related("pemda", "period", "sub_indicator__indicator")
    )
    approved: list[tuple[Answer, Decimal]] = []
    rescore: dict[tuple[int, int], Answer] = {}
    changes: list[AnswerStateChange] = []
    for answer in answers:
        try:
            value = _verified_value(answer, None)
        except DomainError:
            continue
        _approve(verifier, answer, value, changes)
        rescore[(answer.period.year, answer.pemda_id)] = answer
        approved.append((answer, value))
    AnswerStateChange.objects.bulk_create(changes)
    # One score update per Pemda, however many of its items were approved together.
    for answer in rescore.values():
        _rescore_later(answer)
    # The audit entries last, so the chain's head is held only from here to commit.
    for answer, value in approved:
        _record_approval(verifier, answer, value)
    return BulkResult(len(approved), len(set(answer_ids)) - len(approved))


@transaction.atomic
def answer_reopen(*, actor: User, answer_id: int, reason: str) -> Answer:
    """The Koordinator reopens an approved item for another review."""
    access.ensure(accounts.is_national_coordinator(user=actor))
    answer = _answer_for_update(answer_id)
    if answer.state != State.APPROVED:
        raise DomainError(_("Hanya item yang disetujui yang bisa dibuka kembali."), code="state")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Alasan membuka kembali wajib diisi."), code="reason_required")
    answer.verified_value = None
    answer.version += 1
    answer.updated_by = actor
    Decision.objects.create(
        answer=answer, kind=Decision.Kind.REOPEN, reason=reason, decided_by=actor
    )
    _rescore_later(answer)
    move(
        workflow=ANSWER,
        obj=answer,
        to=State.IN_REVIEW,
        actor=actor,
        history=_history(actor),
        audit_action="mcp.answer.reopen",
        audit_data={"reason": reason},
        update_fields=["verified_value", "version", "updated_by", "updated_at"],
        locked=True,
    )
    return answer


@transaction.atomic
def comment_add(*, user: User, answer_id: int, text: str) -> Comment:
    answer = _answer_for_update(answer_id)
    access.ensure(access.can_see_answer(user=user, answer=answer))
    text = text.strip()
    if not text:
        raise DomainError(_("Komentar kosong."), code="empty")
    comment = Comment.objects.create(answer=answer, author=user, text=text[:4000])

    # The other side of the thread hears of it: the Pemda's people, or the Pemda's verifiers.
    def title() -> str:
        return _("Komentar baru pada %(code)s") % {"code": answer.sub_indicator.code}

    def body() -> str:
        return _("%(who)s, %(pemda)s: %(text)s") % {
            "who": user,
            "pemda": answer.pemda,
            "text": comment.text[:300],
        }

    operators, admins = _pemda_people(answer)
    if any(person.pk == user.pk for person in [*operators, *admins]):
        verifiers = User.objects.filter(verified_pemdas__pemda=answer.pemda, is_active=True)
        notify(
            recipients=[v for v in verifiers.distinct() if v.pk != user.pk],
            title=title,
            body=body,
            url=_answer_url(answer),
        )
    else:
        _notify_pemda(answer, operators, admins, title=title, body=body)
    audit.record(actor=user, action="mcp.comment.add", obj=answer)
    return comment
