"""Writes of gratification control: one transaction each, audited, moving states only through
the tables in workflows.py (docs/domain/gratification.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import Employee, User
from cegah.audit import services as audit
from cegah.core.data_versions import version_load
from cegah.core.errors import AlreadyDone, DomainError
from cegah.notifications.services import Text, notify
from cegah.regions.models import Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import atomic_with_files, upload_store
from cegah.workdays.days import add_working_days
from cegah.workflow.transitions import move

from . import access, selectors
from .exemptions import Check, gift_check
from .models import (
    CustodyItem,
    ExemptGift,
    Outcome,
    Report,
    ReportEvidence,
    ReportStateChange,
    RuleSet,
)
from .rules_file import parse_rules
from .workflows import CUSTODY, REPORT, REPORTER_EDITABLE

EVIDENCE = UploadPolicy(
    purpose="upg.evidence",
    allowed=("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"),
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="upg",
)
MAX_FILES = 5


# --- Rules (data) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesImported:
    rules: RuleSet
    status: str


@transaction.atomic
def rules_import(*, path: Path) -> RulesImported:
    """Loads a validated rule file. A loaded version is never changed: a correction is a new
    version (reports keep the rules they were judged by)."""
    parsed = parse_rules(path)

    def create() -> RuleSet:
        clash = RuleSet.objects.filter(in_force_from=parsed.in_force_from).first()
        if clash is not None:
            raise DomainError(
                _("Versi %(v)d sudah berlaku sejak tanggal yang sama.") % {"v": clash.version},
                code="same_start",
            )
        return RuleSet.objects.create(
            version=parsed.version,
            title_id=parsed.title["id"],
            title_en=parsed.title["en"],
            regulation=parsed.regulation,
            in_force_from=parsed.in_force_from,
            structure=parsed.structure,
            source_name=path.name,
            source_sha256=parsed.sha256,
        )

    rules, status = version_load(
        RuleSet, version=parsed.version, sha256=parsed.sha256, create=create
    )
    if status == "loaded":
        audit.record(
            actor=None,
            action="upg.rules.import",
            obj=rules,
            data={"version": rules.version, "sha256": parsed.sha256},
        )
    return RulesImported(rules, status)


# --- The civil servant's report -------------------------------------------------------------------


@dataclass(frozen=True)
class Gift:
    """What the reporter says about the gift (the report form's fields)."""

    giver_name: str
    giver_relation: str
    giver_address: str
    received_on: date
    place: str
    occasion: str
    category: str
    kind: str
    description: str
    value: Decimal
    refused: bool
    chronology: str


@dataclass(frozen=True)
class Reporter:
    nik: str
    address: str
    phone: str


def gift_check_for(*, employee: Employee, gift: Gift, exclude_report: int | None = None) -> Check:
    """The exemption check for this person's gift, with the giver's earlier gifts of the year."""
    rules = selectors.rules_for(gift.received_on)
    earlier = selectors.earlier_from_giver(
        employee=employee,
        giver=gift.giver_name,
        category=gift.category,
        received_on=gift.received_on,
        exclude_report=exclude_report,
    )
    return gift_check(
        rules=rules,
        category=gift.category,
        kind=gift.kind,
        value=gift.value,
        refused=gift.refused,
        giver=gift.giver_name,
        earlier_from_giver=earlier,
    )


def _not_in_future(day: date) -> None:
    if day > timezone.localdate():
        raise DomainError(_("Tanggal diterima tidak boleh di masa depan."), code="future")


def _store_evidence(*, actor: User, report: Report, uploads: Sequence[UploadedFile[Any]]) -> int:
    if report.evidence.count() + len(uploads) > MAX_FILES:
        raise DomainError(
            _("Paling banyak %(n)d berkas bukti per laporan.") % {"n": MAX_FILES}, code="files"
        )
    for upload in uploads:
        try:
            accepted = upload_store(policy=EVIDENCE, name=upload.name or "", file=upload)
        except UploadRejected as exc:
            raise DomainError(
                _("%(name)s: %(problem)s") % {"name": upload.name, "problem": exc}, code="file"
            ) from exc
        ReportEvidence.objects.create(
            report=report,
            stored_file=accepted.stored,
            original_name=accepted.name,
            uploaded_by=actor,
        )
    return len(uploads)


def _history_row(report: Report, source: str, *, actor: User | None, note: str = "") -> None:
    ReportStateChange.objects.create(
        report=report, source=source, target=report.state, note=note, actor=actor
    )


def _number(pemda: Pemda, year: int) -> str:
    # The Pemda's row is locked: two reports sent at once do not get the same number.
    Pemda.objects.select_for_update().filter(pk=pemda.pk).values_list("pk", flat=True).get()
    n = Report.objects.filter(pemda=pemda, submitted_on__year=year).count() + 1
    return f"GRT-{pemda.code}-{year}-{n:04d}"


def _tell_upg(*, report: Report, title: Text) -> None:
    notify(
        recipients=selectors.upg_members(pemda=report.pemda).exclude(pk=report.reporter_id),
        title=title,
        url=reverse("upg:report", kwargs={"pk": report.pk}),
    )


def report_submit(
    *,
    actor: User,
    employee: Employee,
    gift: Gift,
    reporter: Reporter,
    uploads: Sequence[UploadedFile[Any]] = (),
) -> Report:
    """A civil servant reports a gift to their Pemda's UPG. A report after the 30 working days
    is accepted and flagged late."""
    if employee.user_id != actor.pk or not employee.is_active:
        raise DomainError(_("Hanya pegawai aktif yang dapat melapor."), code="not_employee")
    _not_in_future(gift.received_on)
    check = gift_check_for(employee=employee, gift=gift)
    rules = check.rules
    today = timezone.localdate()
    report_due = rules.due(gift.received_on, "report_days")
    with atomic_with_files():
        report = Report.objects.create(
            pemda=employee.pemda,
            number=_number(employee.pemda, today.year),
            reporter=actor,
            employee=employee,
            reporter_name=employee.full_name,
            reporter_nip=employee.nip,
            reporter_position=employee.position,
            opd=employee.opd,
            nik=reporter.nik,
            address=reporter.address,
            phone=reporter.phone,
            rules=rules,
            looked_exempt=check.exempt,
            exemption_note=check.reason,
            report_due=report_due,
            late=today > report_due,
            submitted_on=today,
            upg_due=add_working_days(today, settings.UPG_FORWARD_DAYS),
            **gift.__dict__,
        )
        _store_evidence(actor=actor, report=report, uploads=uploads)
        _history_row(report, "", actor=actor)
        audit.record(
            actor=actor,
            action="upg.report.submit",
            obj=report,
            data={"number": report.number, "late": report.late},
        )
        number = report.number
        _tell_upg(
            report=report,
            title=lambda: _("Laporan gratifikasi baru %(number)s") % {"number": number},
        )
    return report


def _mine_to_change(*, actor: User, report: Report) -> None:
    if report.reporter_id != actor.pk:
        raise DomainError(_("Hanya pelapor yang dapat mengubah laporannya."), code="not_reporter")
    if report.state not in REPORTER_EDITABLE:
        raise DomainError(
            _("Laporan ini sudah diteruskan ke KPK dan tidak dapat diubah."), code="state"
        )


def evidence_add(*, actor: User, report: Report, uploads: Sequence[UploadedFile[Any]]) -> int:
    access.ensure(access.can_see_report(user=actor, report=report))
    _mine_to_change(actor=actor, report=report)
    if not uploads:
        raise DomainError(_("Pilih berkas bukti."), code="files")
    with atomic_with_files():
        added = _store_evidence(actor=actor, report=report, uploads=uploads)
        audit.record(actor=actor, action="upg.evidence.add", obj=report, data={"files": added})
    return added


def report_complete(
    *,
    actor: User,
    report: Report,
    gift: Gift,
    reporter: Reporter,
    uploads: Sequence[UploadedFile[Any]] = (),
) -> Report:
    """The reporter completes a returned report and sends it again; the UPG's days start over
    from the complete report."""
    access.ensure(access.can_see_report(user=actor, report=report))
    _mine_to_change(actor=actor, report=report)
    _not_in_future(gift.received_on)
    if report.state != Report.State.RETURNED:
        raise AlreadyDone(_("Laporan ini sudah dikirim kembali ke UPG."), code="done")
    check = gift_check_for(employee=report.employee, gift=gift, exclude_report=report.pk)
    today = timezone.localdate()
    with atomic_with_files():
        for name, value in gift.__dict__.items():
            setattr(report, name, value)
        report.nik, report.address, report.phone = reporter.nik, reporter.address, reporter.phone
        report.rules = check.rules
        report.looked_exempt, report.exemption_note = check.exempt, check.reason
        report.report_due = check.rules.due(gift.received_on, "report_days")
        report.late = report.submitted_on > report.report_due
        report.upg_due = add_working_days(today, settings.UPG_FORWARD_DAYS)
        _store_evidence(actor=actor, report=report, uploads=uploads)
        move(
            workflow=REPORT,
            obj=report,
            to=Report.State.SUBMITTED,
            actor=actor,
            history=lambda r, source: _history_row(r, source, actor=actor),
            audit_action="upg.report.complete",
            update_fields=[
                *gift.__dict__,
                "nik",
                "address",
                "phone",
                "rules",
                "looked_exempt",
                "exemption_note",
                "report_due",
                "late",
                "upg_due",
                "updated_at",
            ],
        )
        number = report.number
        _tell_upg(
            report=report,
            title=lambda: _("Laporan gratifikasi %(number)s telah dilengkapi") % {"number": number},
        )
    return report


def exempt_gift_note(*, actor: User, employee: Employee, gift: Gift) -> ExemptGift:
    """The person notes a gift the check found exempt, for themselves alone; the yearly caps
    count it. A gift that is not exempt is reported, not noted."""
    if employee.user_id != actor.pk:
        raise DomainError(_("Hanya pegawai itu sendiri."), code="not_employee")
    _not_in_future(gift.received_on)
    check = gift_check_for(employee=employee, gift=gift)
    if not check.exempt:
        raise DomainError(
            _("Pemberian ini tidak dikecualikan: laporkan ke UPG. %(reason)s")
            % {"reason": check.reason},
            code="not_exempt",
        )
    with transaction.atomic():
        noted = ExemptGift.objects.create(
            employee=employee,
            giver_name=gift.giver_name,
            received_on=gift.received_on,
            category=gift.category,
            kind=gift.kind,
            description=gift.description,
            value=gift.value,
            reason=check.reason,
        )
        audit.record(actor=actor, action="upg.exempt.note", obj=noted)
    return noted


# --- The UPG's work -----------------------------------------------------------------------------


def _upg_of(*, actor: User, report: Report) -> None:
    access.ensure(access.can_see_report(user=actor, report=report))
    if not access.is_upg(user=actor, pemda=report.pemda):
        raise DomainError(_("Hanya UPG Pemda ini yang memeriksa laporan."), code="not_upg")
    if report.reporter_id == actor.pk:
        # Separation of duties: a UPG member's own gift is checked by a colleague.
        raise DomainError(
            _("Laporan Anda sendiri diperiksa anggota UPG yang lain."), code="own_report"
        )


@transaction.atomic
def report_return(*, actor: User, report: Report, missing: str) -> Report:
    """Incomplete: back to the reporter with what is missing; they have the rules' working
    days (20 since 2026) to complete it, or it is not followed up."""
    _upg_of(actor=actor, report=report)
    if not missing.strip():
        raise DomainError(_("Tuliskan apa yang perlu dilengkapi."), code="missing")
    today = timezone.localdate()
    report.missing = missing.strip()
    report.returned_on = today
    report.completion_due = report.rules.due(today, "completion_days")
    number, due = report.number, report.completion_due
    move(
        workflow=REPORT,
        obj=report,
        to=Report.State.RETURNED,
        actor=actor,
        history=lambda r, source: _history_row(r, source, actor=actor, note=r.missing),
        audit_action="upg.report.return",
        update_fields=["missing", "returned_on", "completion_due", "updated_at"],
        notify=lambda: None,
    )
    notify(
        recipients=[report.reporter],
        title=lambda: _("Laporan gratifikasi %(number)s perlu dilengkapi") % {"number": number},
        body=lambda: (
            _("Lengkapi paling lambat %(day)s: %(missing)s")
            % {"day": due.strftime("%d-%m-%Y"), "missing": report.missing}
        ),
        url=reverse("upg:report", kwargs={"pk": report.pk}),
    )
    return report


@transaction.atomic
def report_forward(*, actor: User, report: Report) -> Report:
    """Complete: forwarded to KPK (the PDF and the structured file go with it)."""
    _upg_of(actor=actor, report=report)
    if report.state == Report.State.FORWARDED:
        raise AlreadyDone(_("Laporan ini sudah diteruskan ke KPK."), code="done")
    today = timezone.localdate()
    report.forwarded_on, report.forwarded_by = today, actor
    report.kpk_due = report.rules.due(today, "kpk_decision_days")
    number = report.number
    move(
        workflow=REPORT,
        obj=report,
        to=Report.State.FORWARDED,
        actor=actor,
        history=lambda r, source: _history_row(r, source, actor=actor),
        audit_action="upg.report.forward",
        audit_data={"on_time": today <= report.upg_due},
        update_fields=["forwarded_on", "forwarded_by", "kpk_due", "updated_at"],
    )
    notify(
        recipients=[report.reporter],
        title=lambda: _("Laporan gratifikasi %(number)s diteruskan ke KPK") % {"number": number},
        url=reverse("upg:report", kwargs={"pk": report.pk}),
    )
    return report


@dataclass(frozen=True)
class Decision:
    outcome: str
    sk_number: str
    sk_date: date
    compensation: Decimal | None = None
    compensation_paid_on: date | None = None
    handover_note: str = ""


@transaction.atomic
def decision_record(*, actor: User, report: Report, decision: Decision) -> Report:
    """KPK's decision (SK): state property or the recipient's, compensation if paid, and what
    became of the item."""
    _upg_of(actor=actor, report=report)
    if report.state == Report.State.DECIDED:
        raise AlreadyDone(_("Penetapan KPK untuk laporan ini sudah dicatat."), code="done")
    if decision.outcome not in Outcome.values:
        raise DomainError(_("Pilih penetapan KPK."), code="outcome")
    if not decision.sk_number.strip():
        raise DomainError(_("Nomor SK wajib diisi."), code="sk_number")
    if decision.sk_date > timezone.localdate():
        raise DomainError(_("Tanggal SK tidak boleh di masa depan."), code="sk_date")
    if report.forwarded_on and decision.sk_date < report.forwarded_on:
        raise DomainError(
            _("Tanggal SK sebelum laporan diteruskan ke KPK (%(day)s).")
            % {"day": report.forwarded_on.strftime("%d-%m-%Y")},
            code="sk_date",
        )
    if decision.compensation is not None and decision.outcome != Outcome.STATE:
        raise DomainError(
            _("Kompensasi hanya dibayar untuk pemberian yang ditetapkan milik negara."),
            code="compensation",
        )
    if (decision.compensation is None) != (decision.compensation_paid_on is None):
        raise DomainError(_("Isi jumlah dan tanggal kompensasi bersama-sama."), code="compensation")
    report.outcome = decision.outcome
    report.sk_number = decision.sk_number.strip()
    report.sk_date = decision.sk_date
    report.compensation = decision.compensation
    report.compensation_paid_on = decision.compensation_paid_on
    report.handover_note = decision.handover_note.strip()
    report.decided_by = actor
    report.decided_on = timezone.localdate()
    number, outcome = report.number, Outcome(decision.outcome)
    move(
        workflow=REPORT,
        obj=report,
        to=Report.State.DECIDED,
        actor=actor,
        history=lambda r, source: _history_row(r, source, actor=actor, note=r.sk_number),
        audit_action="upg.report.decide",
        audit_data={"outcome": decision.outcome, "sk": report.sk_number},
        update_fields=[
            "outcome",
            "sk_number",
            "sk_date",
            "compensation",
            "compensation_paid_on",
            "handover_note",
            "decided_by",
            "decided_on",
            "updated_at",
        ],
    )
    notify(
        recipients=[report.reporter],
        title=lambda: (
            _("KPK menetapkan laporan %(number)s: %(outcome)s")
            % {"number": number, "outcome": outcome.label}
        ),
        url=reverse("upg:report", kwargs={"pk": report.pk}),
    )
    return report


@transaction.atomic
def custody_receive(
    *,
    actor: User,
    report: Report,
    description: str,
    received_on: date,
    location: str,
    note: str = "",
) -> CustodyItem:
    """An item handed in to the UPG, kept until KPK decides."""
    _upg_of(actor=actor, report=report)
    if report.state in (Report.State.DECIDED, Report.State.CLOSED):
        raise DomainError(_("Laporan ini sudah selesai."), code="state")
    _not_in_future(received_on)
    if not description.strip() or not location.strip():
        raise DomainError(_("Isi barang dan tempat penyimpanannya."), code="required")
    item = CustodyItem.objects.create(
        report=report,
        description=description.strip(),
        received_on=received_on,
        location=location.strip(),
        note=note.strip(),
        received_by=actor,
    )
    audit.record(
        actor=actor,
        action="upg.custody.receive",
        obj=item,
        data={"report": report.number, "location": item.location},
    )
    return item


@transaction.atomic
def custody_release(
    *, actor: User, item: CustodyItem, to: str, released_on: date, released_to: str, note: str = ""
) -> CustodyItem:
    """The item leaves custody: handed over to KPK or the state, or returned to the recipient
    once KPK leaves it to them."""
    report = item.report
    _upg_of(actor=actor, report=report)
    if item.state != CustodyItem.State.KEPT:
        raise AlreadyDone(_("Barang ini sudah keluar dari penyimpanan."), code="done")
    if to == CustodyItem.State.RETURNED and report.outcome != Outcome.RECIPIENT:
        raise DomainError(
            _("Barang dikembalikan ke penerima hanya setelah KPK menetapkannya milik penerima."),
            code="not_recipient",
        )
    _not_in_future(released_on)
    if released_on < item.received_on:
        raise DomainError(_("Tanggal keluar sebelum tanggal diterima UPG."), code="day")
    if not released_to.strip():
        raise DomainError(_("Tuliskan kepada siapa barang diserahkan."), code="released_to")
    item.released_on, item.released_to, item.released_by = released_on, released_to.strip(), actor
    item.note = "\n".join(n for n in (item.note, note.strip()) if n)
    move(
        workflow=CUSTODY,
        obj=item,
        to=to,
        actor=actor,
        audit_action="upg.custody.release",
        audit_data={"report": report.number, "to": released_to.strip()},
        update_fields=["released_on", "released_to", "released_by", "note"],
    )
    return item


# --- Every day ----------------------------------------------------------------------------------


def _closed_title(number: str) -> str:
    return _("Laporan gratifikasi %(number)s ditutup: tidak dilengkapi") % {"number": number}


def reports_close_incomplete(*, today: date) -> int:
    """Returned reports not completed by their deadline are closed: not followed up."""
    closed = 0
    for report in Report.objects.filter(
        state=Report.State.RETURNED, completion_due__lt=today
    ).select_related("reporter"):
        with transaction.atomic():
            report.closed_on = today
            number = report.number
            move(
                workflow=REPORT,
                obj=report,
                to=Report.State.CLOSED,
                actor=None,
                history=lambda r, source: _history_row(
                    r, source, actor=None, note=_("Tidak dilengkapi sampai batas waktu.")
                ),
                audit_action="upg.report.close",
                update_fields=["closed_on", "updated_at"],
            )
            notify(
                recipients=[report.reporter],
                title=partial(_closed_title, number),
                url=reverse("upg:report", kwargs={"pk": report.pk}),
            )
        closed += 1
    return closed


def reminders_send(*, today: date) -> int:
    """Before each deadline (UPG_REMIND_DAYS_BEFORE working days) the one who must act is
    reminded once; past it, once more as overdue. Keyed notifications never repeat."""
    ahead = add_working_days(today, settings.UPG_REMIND_DAYS_BEFORE)
    members: dict[int, list[User]] = {}  # each Pemda's UPG, read once
    sent = 0
    waiting = Report.objects.filter(
        state__in=[Report.State.SUBMITTED, Report.State.RETURNED]
    ).select_related("reporter", "pemda")
    for report in waiting:
        url = reverse("upg:report", kwargs={"pk": report.pk})
        number = report.number
        if report.state == Report.State.RETURNED and report.completion_due:
            due = report.completion_due
            people: list[User] = [report.reporter]
        else:
            due = report.upg_due
            if report.pemda_id not in members:
                members[report.pemda_id] = list(selectors.upg_members(pemda=report.pemda))
            people = [u for u in members[report.pemda_id] if u.pk != report.reporter_id]
        day = due.strftime("%d-%m-%Y")
        if due < today:
            stage = "late"

            def title(number: str = number, day: str = day) -> str:
                return _("Lewat batas: laporan gratifikasi %(number)s (%(day)s)") % {
                    "number": number,
                    "day": day,
                }
        elif due <= ahead:
            stage = "soon"

            def title(number: str = number, day: str = day) -> str:
                return _("Batas laporan gratifikasi %(number)s: %(day)s") % {
                    "number": number,
                    "day": day,
                }
        else:
            continue
        with transaction.atomic():
            sent += len(
                notify(
                    recipients=people,
                    title=title,
                    url=url,
                    key=f"upg:{report.pk}:{report.state}:{due.isoformat()}:{stage}",
                )
            )
    return sent


def report_open(*, actor: User, report: Report) -> None:
    """Every opening of a report is audited: who read whose gift, and when."""
    audit.record(actor=actor, action="upg.report.open", obj=report)
