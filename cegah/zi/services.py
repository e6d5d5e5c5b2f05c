"""Writes of the Zona Integritas domain."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.audit.models import AuditEntry
from cegah.core.errors import AlreadyDone, DomainError, StaleEdit
from cegah.regions.models import Opd, Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import atomic_with_files, upload_store
from cegah.workflow.transitions import move
from cegah.zi import access, scoring, selectors
from cegah.zi.lke_file import parse_lke
from cegah.zi.models import (
    Answer,
    AnswerEvidence,
    AnswerStateChange,
    Assessment,
    Declaration,
    Designation,
    LkeVersion,
    Predicate,
    Proposal,
    StageRecord,
    Unit,
)
from cegah.zi.workflows import ANSWER, ASSESSMENT, EDITABLE, PROPOSAL


@dataclass(frozen=True)
class LkeImport:
    version: LkeVersion
    status: str  # created | replaced | unchanged


@transaction.atomic
def lke_import(*, path: Path, actor: User | None = None) -> LkeImport:
    """Validates one LKE file and loads it; nothing loads when it has any problem (LkeInvalid).
    The same file again changes nothing; a version not yet used may be replaced; one an
    assessment uses is frozen, and a correction comes as the next version with a reason."""
    lke = parse_lke(path)
    existing = LkeVersion.objects.select_for_update().filter(version=lke.version).first()
    if existing is not None and existing.source_sha256 == lke.sha256:
        return LkeImport(existing, "unchanged")
    if existing is not None and existing.frozen_at is not None:
        raise DomainError(
            _(
                "LKE versi %(version)d sudah dipakai penilaian dan tidak dapat diubah. "
                "Muat koreksi sebagai versi %(next)d dengan alasan."
            )
            % {"version": lke.version, "next": lke.version + 1},
            code="frozen",
        )
    if (
        existing is None
        and lke.version > 1
        and not LkeVersion.objects.filter(version=lke.version - 1).exists()
    ):
        raise DomainError(
            _("Versi %(version)d tidak bisa dimuat sebelum versi %(previous)d.")
            % {"version": lke.version, "previous": lke.version - 1},
            code="version_gap",
        )
    fields = {
        "name_id": lke.title["id"],
        "name_en": lke.title["en"],
        "regulation": lke.regulation,
        "illustrative_id": lke.illustrative["id"],
        "illustrative_en": lke.illustrative["en"],
        "reason": lke.reason,
        "structure": lke.structure(),
        "source_name": lke.source_name,
        "source_sha256": lke.sha256,
    }
    version, created = LkeVersion.objects.update_or_create(version=lke.version, defaults=fields)
    audit.record(
        actor=actor,
        action="zi.lke.import",
        obj=version,
        data={"version": lke.version, "file": lke.source_name, "sha256": lke.sha256},
    )
    return LkeImport(version, "created" if created else "replaced")


# --- Units and their declaration (pencanangan) -------------------------------------------------

ZI_DOCUMENTS = UploadPolicy(
    purpose="zi.evidence",
    allowed=("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"),
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="zi",
    deduplicate=True,
)


@transaction.atomic
def unit_create(*, actor: User, pemda: Pemda, opd: Opd, name: str) -> Unit:
    """A work unit of the Pemda (an OPD or a part of one) that will build an integrity zone."""
    access.ensure(access.can_manage(user=actor, pemda=pemda) and opd.pemda_id == pemda.pk)
    name = name.strip()
    if not name:
        raise DomainError(_("Tulis nama unit."), code="name")
    if Unit.objects.filter(pemda=pemda, name__iexact=name).exists():
        raise DomainError(_("Unit “%(name)s” sudah ada.") % {"name": name}, code="duplicate")
    unit = Unit.objects.create(pemda=pemda, opd=opd, name=name[:200], created_by=actor)
    audit.record(actor=actor, action="zi.unit.create", obj=unit, data={"name": unit.name})
    return unit


@transaction.atomic
def declaration_create(
    *,
    actor: User,
    pemda: Pemda,
    declared_on: date,
    upload: UploadedFile[Any],
    units: Sequence[Unit],
    note: str = "",
) -> Declaration:
    """Pencanangan: the units declared for Zona Integritas, with the signed integrity pacts."""
    access.ensure(access.can_manage(user=actor, pemda=pemda))
    if declared_on > timezone.localdate():
        raise DomainError(_("Tanggal pencanangan tidak boleh di masa depan."), code="future")
    if not units or any(u.pemda_id != pemda.pk for u in units):
        raise DomainError(_("Pilih unit yang dicanangkan."), code="units")
    with atomic_with_files():
        try:
            # The signed pacts: a scan or a photo of them.
            accepted = upload_store(
                policy=ZI_DOCUMENTS,
                name=upload.name or "",
                file=upload,
                scope=pemda.code,
                allowed=("pdf", "jpg", "jpeg", "png"),
            )
        except UploadRejected as exc:
            raise DomainError(str(exc), code="document") from exc
        declaration = Declaration.objects.create(
            pemda=pemda,
            declared_on=declared_on,
            document=accepted.stored,
            document_name=accepted.name,
            note=note.strip(),
            created_by=actor,
        )
        Unit.objects.filter(pk__in=[u.pk for u in units]).update(declaration=declaration)
    audit.record(
        actor=actor,
        action="zi.declaration.create",
        obj=declaration,
        data={"declared_on": declared_on, "units": [u.name for u in units]},
    )
    return declaration


# --- The assessment: the unit answers, the TPI reviews -----------------------------------------


def current_lke() -> LkeVersion:
    found = LkeVersion.objects.order_by("-version").first()
    if found is None:
        raise DomainError(_("Belum ada LKE yang dimuat (manage.py zi_lke import)."), code="lke")
    return found


@transaction.atomic
def assessment_start(*, actor: User, unit: Unit, year: int) -> Assessment:
    """The unit's LKE for the year, on the current LKE version (which is frozen from then on),
    with one empty answer per question and Hasil item."""
    access.ensure(access.can_answer(user=actor, unit=unit))
    if unit.declaration_id is None:
        raise DomainError(
            _("Unit ini belum dicanangkan. Catat pencanangannya dulu."), code="not_declared"
        )
    lke = current_lke()
    assessment, created = Assessment.objects.get_or_create(
        unit=unit, year=year, defaults={"lke": lke}
    )
    if not created:
        raise AlreadyDone(_("LKE %(year)d unit ini sudah dibuat.") % {"year": year}, code="exists")
    if lke.frozen_at is None:
        lke.frozen_at = timezone.now()
        lke.save(update_fields=["frozen_at"])
    codes = [*scoring.questions_of(lke.structure), *(h["code"] for h in lke.structure["hasil"])]
    Answer.objects.bulk_create(Answer(assessment=assessment, code=code) for code in codes)
    audit.record(
        actor=actor,
        action="zi.assessment.start",
        obj=assessment,
        data={"unit": unit.name, "year": year, "lke": lke.version},
    )
    return assessment


MAX_ANSWER_LENGTH = 30  # Answer.value and tpi_value


def _checked_value(lke: LkeVersion, code: str, value: str) -> str:
    """The answer as given, if its question's type accepts it; DomainError saying why not."""
    structure = lke.structure
    value = value.strip()
    if not value:
        return ""
    if len(value) > MAX_ANSWER_LENGTH:
        raise DomainError(
            _("Jawaban paling panjang %(max)d karakter.") % {"max": MAX_ANSWER_LENGTH},
            code="value",
        )
    try:
        scoring.check(structure, code, value)
    except scoring.AnswerInvalid as exc:
        raise DomainError(str(exc), code="value") from exc
    return value


def _locked_answer(answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("assessment__unit__pemda", "assessment__lke")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@transaction.atomic
def answer_save(
    *, user: User, answer_id: int, value: str, note: str, expected_version: int
) -> Answer:
    """The unit's answer and note, while the answer is the unit's to change."""
    answer = _locked_answer(answer_id)
    access.ensure(access.can_answer(user=user, unit=answer.assessment.unit))
    if answer.state not in EDITABLE:
        raise DomainError(
            _("Jawaban ini sudah dikirim ke TPI (status: %(state)s).")
            % {"state": answer.get_state_display()},
            code="state",
        )
    if answer.version != expected_version:
        raise StaleEdit(
            _("Jawaban ini baru saja diubah orang lain. Muat ulang lalu coba lagi."), code="stale"
        )
    answer.value = _checked_value(answer.assessment.lke, answer.code, value)
    answer.note = note.strip()
    answer.version += 1
    answer.updated_by = user
    answer.save(update_fields=["value", "note", "version", "updated_by", "updated_at"])
    audit.record(
        actor=user,
        action="zi.answer.save",
        obj=answer,
        data={"code": answer.code, "value": answer.value},
    )
    return answer


@transaction.atomic
def answer_evidence_add(*, user: User, answer_id: int, upload: UploadedFile[Any]) -> AnswerEvidence:
    answer = _locked_answer(answer_id)
    unit = answer.assessment.unit
    access.ensure(access.can_answer(user=user, unit=unit))
    if answer.state not in EDITABLE:
        raise DomainError(_("Jawaban ini sudah dikirim ke TPI."), code="state")
    with atomic_with_files():
        try:
            accepted = upload_store(
                policy=ZI_DOCUMENTS, name=upload.name or "", file=upload, scope=unit.pemda.code
            )
        except UploadRejected as exc:
            raise DomainError(str(exc), code="document") from exc
        evidence = AnswerEvidence.objects.create(
            answer=answer,
            stored_file=accepted.stored,
            original_name=accepted.name,
            uploaded_by=user,
        )
    audit.record(
        actor=user,
        action="zi.answer.evidence",
        obj=answer,
        data={"code": answer.code, "file": accepted.name},
    )
    return evidence


def _history(actor: User, value: str = "", note: str = "") -> Callable[[Answer, str], object]:
    def write(answer: Answer, source: str) -> AnswerStateChange:
        return AnswerStateChange.objects.create(
            answer=answer, source=source, target=answer.state, value=value, note=note, actor=actor
        )

    return write


@transaction.atomic
def assessment_submit(*, user: User, assessment_id: int) -> int:
    """The unit sends its LKE to the TPI: every question must be answered. Returned answers go
    back with it. Returns how many answers were sent."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("unit__pemda")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    access.ensure(access.can_answer(user=user, unit=assessment.unit))
    waiting = list(
        Answer.objects.select_for_update().filter(assessment=assessment, state__in=EDITABLE)
    )
    empty = sorted(a.code for a in waiting if not a.value)
    if empty:
        raise DomainError(
            ngettext(
                "%(count)d pertanyaan belum dijawab: %(codes)s.",
                "%(count)d pertanyaan belum dijawab: %(codes)s.",
                len(empty),
            )
            % {
                "count": len(empty),
                "codes": ", ".join(empty[:10]) + ("…" if len(empty) > 10 else ""),
            },
            code="unanswered",
        )
    if not waiting:
        raise AlreadyDone(_("Tidak ada jawaban yang perlu dikirim."), code="nothing")
    for answer in waiting:
        answer.updated_by = user
        move(
            workflow=ANSWER,
            obj=answer,
            to=Answer.State.SUBMITTED,
            actor=user,
            history=_history(user, answer.value),
            update_fields=["updated_by", "updated_at"],
            locked=True,
        )
    if assessment.state == Assessment.State.DRAFT:
        assessment.submitted_at = timezone.now()
        move(
            workflow=ASSESSMENT,
            obj=assessment,
            to=Assessment.State.SUBMITTED,
            actor=user,
            update_fields=["submitted_at"],
            locked=True,
        )
    audit.record(
        actor=user,
        action="zi.assessment.submit",
        obj=assessment,
        data={"unit": assessment.unit.name, "year": assessment.year, "answers": len(waiting)},
    )
    return len(waiting)


def _reviewable(reviewer: User, answer_id: int) -> Answer:
    answer = _locked_answer(answer_id)
    unit = answer.assessment.unit
    access.ensure(access.is_tpi(user=reviewer, pemda=unit.pemda))
    worked = (
        AuditEntry.objects.filter(
            object_type=Answer._meta.label_lower,
            object_id=str(answer.pk),
            action__in=["zi.answer.save", "zi.answer.evidence"],
            actor=reviewer,
        ).exists()
        or AuditEntry.objects.filter(
            object_type=Assessment._meta.label_lower,
            object_id=str(answer.assessment_id),
            action="zi.assessment.submit",
            actor=reviewer,
        ).exists()
        # Who may answer for the unit (its Admin Pemda, its OPD's operators) does not assess it.
        or access.can_answer(user=reviewer, unit=unit)
    )
    if worked:
        # Separation of duties: nobody assesses their own answer.
        raise DomainError(
            _(
                "Anda mengisi atau dapat mengisi jawaban unit ini; anggota TPI lain yang "
                "menilainya."
            ),
            code="own_work",
        )
    return answer


@transaction.atomic
def answer_review(*, reviewer: User, answer_id: int, value: str, note: str = "") -> Answer:
    """The TPI's own value for a submitted answer, with its note. Once every answer of the
    assessment is reviewed, the assessment is."""
    answer = _reviewable(reviewer, answer_id)
    checked = _checked_value(answer.assessment.lke, answer.code, value)
    if not checked:
        raise DomainError(_("Isi nilai TPI."), code="value")
    answer.tpi_value, answer.tpi_note = checked, note.strip()
    answer.updated_by = reviewer
    fields = ["tpi_value", "tpi_note", "updated_by", "updated_at"]
    if answer.state == Answer.State.REVIEWED:  # a second look: the value changes, not the state
        answer.save(update_fields=fields)
        AnswerStateChange.objects.create(
            answer=answer,
            source=answer.state,
            target=answer.state,
            value=checked,
            note=note,
            actor=reviewer,
        )
    else:
        move(
            workflow=ANSWER,
            obj=answer,
            to=Answer.State.REVIEWED,
            actor=reviewer,
            history=_history(reviewer, checked, note),
            update_fields=fields,
            locked=True,
        )
    assessment = Assessment.objects.select_for_update().get(pk=answer.assessment_id)
    if (
        assessment.state == Assessment.State.SUBMITTED
        and not assessment.answers.exclude(state=Answer.State.REVIEWED).exists()
    ):
        assessment.reviewed_at = timezone.now()
        move(
            workflow=ASSESSMENT,
            obj=assessment,
            to=Assessment.State.REVIEWED,
            actor=reviewer,
            update_fields=["reviewed_at"],
            locked=True,
        )
    audit.record(
        actor=reviewer,
        action="zi.answer.review",
        obj=answer,
        data={"code": answer.code, "tpi_value": checked, "note": answer.tpi_note},
    )
    return answer


@transaction.atomic
def answer_return(*, reviewer: User, answer_id: int, reason: str) -> Answer:
    """The TPI sends an answer back to the unit, saying what is missing."""
    answer = _reviewable(reviewer, answer_id)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Tulis alasan pengembalian, agar unit tahu apa yang kurang."), code="reason"
        )
    answer.return_reason = reason
    answer.updated_by = reviewer
    move(
        workflow=ANSWER,
        obj=answer,
        to=Answer.State.RETURNED,
        actor=reviewer,
        history=_history(reviewer, note=reason),
        update_fields=["return_reason", "updated_by", "updated_at"],
        locked=True,
    )
    assessment = Assessment.objects.select_for_update().get(pk=answer.assessment_id)
    if assessment.state == Assessment.State.REVIEWED:
        move(
            workflow=ASSESSMENT,
            obj=assessment,
            to=Assessment.State.SUBMITTED,
            actor=reviewer,
            locked=True,
        )
    audit.record(
        actor=reviewer,
        action="zi.answer.return",
        obj=answer,
        data={"code": answer.code, "reason": reason},
    )
    return answer


# --- The proposal, the TPN's stages, penetapan and pencabutan ----------------------------------


def proposal_deadline(year: int) -> date:
    """The last day to propose units of the assessment's year (ZI_PROPOSAL_DEADLINE, "MM-DD")."""
    month, day = (int(part) for part in settings.ZI_PROPOSAL_DEADLINE.split("-"))
    return date(year, month, day)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def reproposal_blocked_until(*, unit: Unit, today: date) -> date | None:
    """The day the unit may be proposed again after its latest revocation, if still ahead."""
    years = settings.ZI_REPROPOSAL_BLOCK_YEARS
    ends = [
        _years_after(revoked_on, years)
        for revoked_on in Designation.objects.filter(
            unit=unit, revoked_on__isnull=False
        ).values_list("revoked_on", flat=True)
        if revoked_on is not None
    ]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > today else None


def _ensure_no_conflict(actor: User, pemda: Pemda) -> None:
    if access.holds_role_in(user=actor, pemda=pemda):
        # Separation of duties: the national team does not evaluate its own Pemda's units.
        raise DomainError(
            _("Anda memegang peran di %(pemda)s; anggota TPN lain yang menilai unit Pemda ini.")
            % {"pemda": pemda.name},
            code="conflict",
        )


@transaction.atomic
def proposal_create(
    *, actor: User, assessment_id: int, predicate: str, today: date | None = None
) -> Proposal:
    """The Admin Pemda proposes a unit to KemenPAN-RB for WBK or WBBM, on the assessment the TPI
    has reviewed, when the TPI's figures meet the predicate's thresholds, by the year's
    deadline, outside the block after a revocation; WBBM only for a unit holding WBK."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit__pemda", "lke")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    unit = assessment.unit
    access.ensure(access.can_manage(user=actor, pemda=unit.pemda))
    today = today or timezone.localdate()
    if predicate not in Predicate.values:
        raise DomainError(_("Pilih predikat WBK atau WBBM."), code="predicate")
    if assessment.state != Assessment.State.REVIEWED:
        raise DomainError(
            _("Unit diusulkan setelah TPI menilai seluruh LKE-nya (status: %(state)s).")
            % {"state": assessment.get_state_display()},
            code="not_reviewed",
        )
    deadline = proposal_deadline(assessment.year)
    if today > deadline:
        raise DomainError(
            _("Batas usulan tahun %(year)d sudah lewat (%(deadline)s).")
            % {"year": assessment.year, "deadline": formats.date_format(deadline, "j F Y")},
            code="deadline",
        )
    blocked = reproposal_blocked_until(unit=unit, today=today)
    if blocked is not None:
        raise DomainError(
            _("Predikat unit ini pernah dicabut; unit dapat diusulkan lagi mulai %(day)s.")
            % {"day": formats.date_format(blocked, "j F Y")},
            code="revoked",
        )
    held = selectors.held_predicates(unit=unit)
    if predicate in held:
        raise AlreadyDone(
            _("Unit ini sudah berpredikat %(predicate)s.") % {"predicate": predicate},
            code="held",
        )
    if predicate == Predicate.WBBM and Predicate.WBK not in held:
        raise DomainError(
            _("WBBM hanya diusulkan untuk unit yang sudah berpredikat WBK."), code="needs_wbk"
        )
    open_one = (
        Proposal.objects.filter(assessment__unit=unit, predicate=predicate)
        .exclude(state__in=[Proposal.State.DESIGNATED, Proposal.State.NOT_DESIGNATED])
        .first()
    )
    if open_one is not None or assessment.proposals.filter(predicate=predicate).exists():
        raise AlreadyDone(
            _("Unit ini sudah diusulkan untuk %(predicate)s.") % {"predicate": predicate},
            code="exists",
        )
    _own, tpi = selectors.assessment_scores(assessment=assessment, held=held)
    verdict = next(v for v in tpi.verdicts if v.predicate == predicate)
    if not verdict.met:
        raise DomainError(
            _("Nilai TPI belum memenuhi syarat %(predicate)s: %(blockers)s.")
            % {"predicate": predicate, "blockers": "; ".join(verdict.blockers)},
            code="threshold",
        )
    proposal = Proposal.objects.create(
        assessment=assessment, predicate=predicate, proposed_by=actor
    )
    StageRecord.objects.create(proposal=proposal, source="", stage=proposal.state, decided_by=actor)
    audit.record(
        actor=actor,
        action="zi.proposal.create",
        obj=proposal,
        data={
            "unit": unit.name,
            "year": assessment.year,
            "predicate": predicate,
            "tpi_total": str(tpi.total),
        },
    )
    return proposal


def _locked_proposal(proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assessment__unit__pemda")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _stage_record(
    actor: User, note: str, upload: UploadedFile[Any] | None, scope: str
) -> Callable[[Proposal, str], object]:
    def write(proposal: Proposal, source: str) -> StageRecord:
        evidence, name = None, ""
        if upload is not None:
            try:
                accepted = upload_store(
                    policy=ZI_DOCUMENTS, name=upload.name or "", file=upload, scope=scope
                )
            except UploadRejected as exc:
                raise DomainError(str(exc), code="document") from exc
            evidence, name = accepted.stored, accepted.name
        return StageRecord.objects.create(
            proposal=proposal,
            source=source,
            stage=proposal.state,
            note=note,
            evidence=evidence,
            evidence_name=name,
            decided_by=actor,
        )

    return write


@transaction.atomic
def proposal_advance(
    *,
    actor: User,
    proposal_id: int,
    stage: str,
    note: str = "",
    upload: UploadedFile[Any] | None = None,
) -> Proposal:
    """A TPN member records the stage the proposal has passed (pra-evaluasi, evaluasi desk,
    evaluasi lapangan), one after the other, with a note and an evidence file."""
    proposal = _locked_proposal(proposal_id)
    pemda = proposal.assessment.unit.pemda
    access.ensure(access.is_tpn(user=actor))
    _ensure_no_conflict(actor, pemda)
    with atomic_with_files():
        move(
            workflow=PROPOSAL,
            obj=proposal,
            to=stage,
            actor=actor,
            history=_stage_record(actor, note.strip(), upload, pemda.code),
            audit_action="zi.proposal.stage",
            audit_data={"note": note.strip()},
            update_fields=["updated_at"],
            locked=True,
        )
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal_id: int,
    designated: bool,
    note: str = "",
    upload: UploadedFile[Any] | None = None,
    today: date | None = None,
) -> Proposal:
    """Penetapan: after the field evaluation a TPN member designates the unit (the predicate is
    then public), or at any stage decides it is not designated, saying why."""
    proposal = _locked_proposal(proposal_id)
    unit = proposal.assessment.unit
    access.ensure(access.is_tpn(user=actor))
    _ensure_no_conflict(actor, unit.pemda)
    note = note.strip()
    if not designated and not note:
        raise DomainError(
            _("Tulis alasan unit tidak ditetapkan, agar Pemda tahu apa yang kurang."),
            code="note",
        )
    target = Proposal.State.DESIGNATED if designated else Proposal.State.NOT_DESIGNATED
    if designated:
        # What held when the unit was proposed must still hold now: a WBK revoked since, or a
        # revocation's block, stops the designation too.
        day = today or timezone.localdate()
        if proposal.predicate == Predicate.WBBM and Predicate.WBK not in selectors.held_predicates(
            unit=unit
        ):
            raise DomainError(
                _(
                    "WBBM hanya ditetapkan untuk unit yang berpredikat WBK; predikat WBK unit ini tidak berlaku lagi."
                ),
                code="wbk_required",
            )
        blocked = reproposal_blocked_until(unit=unit, today=day)
        if blocked is not None:
            raise DomainError(
                _("Predikat unit ini dicabut; unit baru dapat ditetapkan lagi mulai %(day)s.")
                % {"day": formats.date_format(blocked, "j F Y")},
                code="blocked",
            )
    with atomic_with_files():
        move(
            workflow=PROPOSAL,
            obj=proposal,
            to=target,
            actor=actor,
            history=_stage_record(actor, note, upload, unit.pemda.code),
            audit_action="zi.proposal.decide",
            audit_data={"note": note},
            update_fields=["updated_at"],
            locked=True,
        )
        if designated:
            designation = Designation.objects.create(
                unit=unit,
                predicate=proposal.predicate,
                year=proposal.assessment.year,
                designated_on=today or timezone.localdate(),
                proposal=proposal,
            )
            audit.record(
                actor=actor,
                action="zi.designation.create",
                obj=designation,
                data={
                    "unit": unit.name,
                    "predicate": designation.predicate,
                    "year": designation.year,
                },
            )
    return proposal


@transaction.atomic
def designation_revoke(
    *, actor: User, designation_id: int, reason: str, today: date | None = None
) -> Designation:
    """Pencabutan: the TPN or the Koordinator withdraws a predicate, saying why; the unit may
    not be proposed again for ZI_REPROPOSAL_BLOCK_YEARS years."""
    designation = (
        Designation.objects.select_for_update(of=("self",))
        .select_related("unit__pemda")
        .filter(pk=designation_id)
        .first()
    )
    if designation is None:
        raise Http404
    access.ensure(access.can_revoke(user=actor))
    if access.is_tpn(user=actor) and not accounts.is_national_coordinator(user=actor):
        _ensure_no_conflict(actor, designation.unit.pemda)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Tulis alasan pencabutan."), code="reason")
    if designation.revoked_on is not None:
        raise AlreadyDone(
            _("Predikat ini sudah dicabut pada %(day)s.")
            % {"day": formats.date_format(designation.revoked_on, "j F Y")},
            code="revoked",
        )
    today = today or timezone.localdate()
    if today < designation.designated_on:
        raise DomainError(_("Tanggal pencabutan sebelum tanggal penetapan."), code="date")
    designation.revoked_on = today
    designation.revoked_reason = reason
    designation.revoked_by = actor
    designation.save(update_fields=["revoked_on", "revoked_reason", "revoked_by"])
    audit.record(
        actor=actor,
        action="zi.designation.revoke",
        obj=designation,
        data={"unit": designation.unit.name, "predicate": designation.predicate, "reason": reason},
    )
    return designation
