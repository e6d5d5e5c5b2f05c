"""Writes of conflict-of-interest declarations: one transaction each, audited, states moved
only through workflows.py (docs/domain/conflict-of-interest.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts.models import Employee, Role, User
from cegah.audit import services as audit
from cegah.core.data_versions import version_load
from cegah.core.errors import AlreadyDone, DomainError
from cegah.notifications.services import notify
from cegah.regions.models import Pemda
from cegah.uploads.inspection import UploadRejected
from cegah.uploads.policy import UploadPolicy
from cegah.uploads.services import atomic_with_files, upload_store
from cegah.workdays.days import add_working_days
from cegah.workflow.transitions import move

from . import access, selectors
from .lists_file import parse_lists
from .models import (
    Declaration,
    DeclarationDocument,
    DeclarationNote,
    DeclarationStateChange,
    Handling,
    ListVersion,
    RiskPosition,
    YearlyStatement,
)
from .workflows import DECLARATION

DOCUMENTS = UploadPolicy(
    purpose="coi.document",
    allowed=("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "odt", "ods"),
    max_mb_setting="EVIDENCE_MAX_MB",
    folder="coi",
)
MAX_FILES = 5


@transaction.atomic
def lists_import(*, path: Path) -> tuple[ListVersion, str]:
    parsed = parse_lists(path)
    lists, status = version_load(
        ListVersion,
        version=parsed.version,
        sha256=parsed.sha256,
        create=lambda: ListVersion.objects.create(
            version=parsed.version,
            regulation=parsed.regulation,
            structure=parsed.structure,
            source_name=path.name,
            source_sha256=parsed.sha256,
        ),
    )
    if status == "loaded":
        audit.record(
            actor=None, action="coi.lists.import", obj=lists, data={"version": lists.version}
        )
    return lists, status


@dataclass(frozen=True)
class Facts:
    """What the declaration says (the form's fields)."""

    matter_kind: str
    matter: str
    conflict_type: str
    source: str
    parties: str
    since: date
    description: str


def _inspektorat(pemda: Pemda) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, roles__role=Role.INSPEKTORAT, roles__pemda=pemda
        ).distinct()
    )


def _number(pemda: Pemda, year: int) -> str:
    Pemda.objects.select_for_update().filter(pk=pemda.pk).values_list("pk", flat=True).get()
    n = Declaration.objects.filter(pemda=pemda, declared_on__year=year).count() + 1
    return f"BK-{pemda.code}-{year}-{n:04d}"


def _history(declaration: Declaration, source: str, actor: User | None) -> None:
    DeclarationStateChange.objects.create(
        declaration=declaration, source=source, target=declaration.state, actor=actor
    )


def _check(facts: Facts, lists: ListVersion) -> None:
    codes = {key: {e["code"] for e in lists.structure[key]} for key in ("sources", "matters")}
    if facts.source not in codes["sources"] or facts.matter_kind not in codes["matters"]:
        raise DomainError(_("Pilih sumber benturan dan jenis urusan dari daftar."), code="list")
    if facts.since > timezone.localdate():
        raise DomainError(_("Tanggal “sejak” tidak boleh di masa depan."), code="since")
    for name in ("matter", "parties", "description"):
        if not getattr(facts, name).strip():
            raise DomainError(_("Lengkapi urusan, pihak yang terkait dan uraiannya."), code=name)


def _store(*, actor: User, declaration: Declaration, uploads: Sequence[UploadedFile[Any]]) -> None:
    if declaration.documents.count() + len(uploads) > MAX_FILES:
        raise DomainError(
            _("Paling banyak %(n)d dokumen per pernyataan.") % {"n": MAX_FILES}, code="files"
        )
    for upload in uploads:
        try:
            accepted = upload_store(policy=DOCUMENTS, name=upload.name or "", file=upload)
        except UploadRejected as exc:
            raise DomainError(
                _("%(name)s: %(problem)s") % {"name": upload.name, "problem": exc}, code="file"
            ) from exc
        DeclarationDocument.objects.create(
            declaration=declaration,
            stored_file=accepted.stored,
            original_name=accepted.name,
            uploaded_by=actor,
        )


def _create(
    *,
    actor: User,
    employee: Employee,
    facts: Facts,
    uploads: Sequence[UploadedFile[Any]],
    undeclared: bool,
) -> Declaration:
    lists = selectors.current_lists()
    _check(facts, lists)
    today = timezone.localdate()
    with atomic_with_files():
        declaration = Declaration.objects.create(
            pemda=employee.pemda,
            number=_number(employee.pemda, today.year),
            employee=employee,
            declarant_name=employee.full_name,
            declarant_nip=employee.nip,
            declarant_position=employee.position,
            opd=employee.opd,
            superior=employee.superior,
            undeclared=undeclared,
            recorded_by=actor,
            lists=lists,
            declared_on=today,
            decision_due=add_working_days(today, int(lists.structure["decision_days"])),
            matter_kind=facts.matter_kind,
            matter=facts.matter.strip(),
            conflict_type=facts.conflict_type,
            source=facts.source,
            parties=facts.parties.strip(),
            since=facts.since,
            description=facts.description.strip(),
        )
        _store(actor=actor, declaration=declaration, uploads=uploads)
        _history(declaration, "", actor)
        audit.record(
            actor=actor,
            action="coi.declaration.record" if undeclared else "coi.declaration.submit",
            obj=declaration,
            data={"number": declaration.number},
        )
        _tell_decider(declaration)
        if undeclared:
            number = declaration.number
            notify(
                recipients=[employee.user],
                title=lambda: (
                    _(
                        "Benturan kepentingan dicatat atas nama Anda (%(number)s): jangan ikut "
                        "mengambil keputusan itu sampai atasan memutuskan"
                    )
                    % {"number": number}
                ),
                url=reverse("coi:declaration", kwargs={"pk": declaration.pk}),
            )
    return declaration


def _tell_decider(declaration: Declaration) -> None:
    number, name = declaration.number, declaration.declarant_name
    due = declaration.decision_due.strftime("%d-%m-%Y")
    deciders = (
        [declaration.superior.user]
        if declaration.superior is not None
        else _inspektorat(declaration.pemda)
    )
    notify(
        recipients=[u for u in deciders if u.pk != declaration.recorded_by_id],
        title=lambda: (
            _("Benturan kepentingan %(number)s (%(name)s): putuskan paling lambat %(day)s")
            % {"number": number, "name": name, "day": due}
        ),
        url=reverse("coi:declaration", kwargs={"pk": declaration.pk}),
    )


def declaration_submit(
    *, actor: User, employee: Employee, facts: Facts, uploads: Sequence[UploadedFile[Any]] = ()
) -> Declaration:
    """A civil servant declares a conflict to their superior; the matter is on hold for them
    until the superior decides."""
    if employee.user_id != actor.pk or not employee.is_active:
        raise DomainError(_("Hanya pegawai aktif yang dapat menyatakan."), code="not_employee")
    return _create(actor=actor, employee=employee, facts=facts, uploads=uploads, undeclared=False)


def undeclared_record(
    *, actor: User, employee: Employee, facts: Facts, uploads: Sequence[UploadedFile[Any]] = ()
) -> Declaration:
    """A superior (for their staff) or the Inspektorat records a conflict nobody declared."""
    access.ensure(access.can_record_for(user=actor, employee=employee))
    if not employee.is_active:
        raise DomainError(_("Pegawai ini sudah tidak aktif."), code="inactive")
    return _create(actor=actor, employee=employee, facts=facts, uploads=uploads, undeclared=True)


@dataclass(frozen=True)
class Decision:
    handling: str
    reason: str
    delegate: Employee | None = None
    conditions: str = ""


@transaction.atomic
def declaration_decide(*, actor: User, declaration: Declaration, decision: Decision) -> Declaration:
    """The superior's decision, always with a reason; the named official is told."""
    access.ensure(access.can_see(user=actor, declaration=declaration))
    if declaration.state != Declaration.State.SUBMITTED:
        raise AlreadyDone(_("Pernyataan ini sudah diputuskan."), code="done")
    if not access.decides(user=actor, declaration=declaration):
        raise DomainError(
            _("Yang memutuskan adalah atasan langsung pegawai itu."), code="not_superior"
        )
    if decision.handling not in Handling.values:
        raise DomainError(_("Pilih penanganannya."), code="handling")
    if not decision.reason.strip():
        raise DomainError(_("Tuliskan alasan keputusan."), code="reason")
    delegate = decision.delegate if decision.handling == Handling.DELEGATED else None
    if decision.handling == Handling.DELEGATED:
        if delegate is None:
            raise DomainError(_("Sebutkan pejabat yang mengambil alih keputusan."), code="delegate")
        if (
            delegate.pemda_id != declaration.pemda_id
            or not delegate.is_active
            or delegate.pk == declaration.employee_id
        ):
            raise DomainError(
                _("Pejabat pengganti harus pegawai aktif lain di Pemda yang sama."),
                code="delegate",
            )
    conditions = decision.conditions.strip()
    if decision.handling == Handling.OVERSIGHT and not conditions:
        raise DomainError(_("Tuliskan syarat pengawasannya."), code="conditions")
    declaration.handling = decision.handling
    declaration.reason = decision.reason.strip()
    declaration.delegate = delegate
    declaration.conditions = conditions if decision.handling == Handling.OVERSIGHT else ""
    declaration.decided_by = actor
    declaration.decided_on = timezone.localdate()
    target = (
        Declaration.State.OVERSIGHT
        if decision.handling == Handling.OVERSIGHT
        else Declaration.State.DECIDED
    )
    move(
        workflow=DECLARATION,
        obj=declaration,
        to=target,
        actor=actor,
        history=lambda d, source: _history(d, source, actor),
        audit_action="coi.declaration.decide",
        audit_data={"handling": decision.handling, "delegate": delegate.nip if delegate else None},
        update_fields=["handling", "reason", "delegate", "conditions", "decided_by", "decided_on"],
    )
    number, label = declaration.number, Handling(decision.handling).label
    url = reverse("coi:declaration", kwargs={"pk": declaration.pk})
    notify(
        recipients=[declaration.employee.user],
        title=lambda: (
            _("Keputusan atas benturan kepentingan %(number)s: %(handling)s")
            % {"number": number, "handling": label}
        ),
        url=url,
    )
    if delegate is not None:
        matter = declaration.matter
        notify(
            recipients=[delegate.user],
            title=lambda: (
                _("Anda ditunjuk mengambil keputusan “%(matter)s” (%(number)s)")
                % {"matter": matter, "number": number}
            ),
            url=url,
        )
    if target == Declaration.State.OVERSIGHT:
        notify(
            recipients=_inspektorat(declaration.pemda),
            title=lambda: (
                _("Benturan kepentingan %(number)s dalam pengawasan Inspektorat")
                % {"number": number}
            ),
            url=url,
        )
    return declaration


@transaction.atomic
def note_add(*, actor: User, declaration: Declaration, text: str) -> DeclarationNote:
    """The appointed officer's advice, or the Inspektorat's follow-up of the oversight."""
    access.ensure(access.can_see(user=actor, declaration=declaration))
    if not access.can_see_register(user=actor, pemda=declaration.pemda):
        raise DomainError(
            _("Catatan ditulis oleh Inspektorat atau pejabat pengelola."), code="not_allowed"
        )
    if not text.strip():
        raise DomainError(_("Tuliskan catatannya."), code="text")
    note = DeclarationNote.objects.create(declaration=declaration, author=actor, text=text.strip())
    audit.record(actor=actor, action="coi.note.add", obj=declaration)
    return note


@transaction.atomic
def oversight_close(*, actor: User, declaration: Declaration, note: str) -> Declaration:
    access.ensure(access.can_see(user=actor, declaration=declaration))
    if not access.is_inspektorat(user=actor, pemda=declaration.pemda):
        raise DomainError(_("Pengawasan diakhiri oleh Inspektorat."), code="not_inspektorat")
    if declaration.state == Declaration.State.CLOSED:
        raise AlreadyDone(_("Pengawasan ini sudah selesai."), code="done")
    if not note.strip():
        raise DomainError(_("Tuliskan hasil pengawasannya."), code="note")
    DeclarationNote.objects.create(declaration=declaration, author=actor, text=note.strip())
    declaration.closed_on = timezone.localdate()
    move(
        workflow=DECLARATION,
        obj=declaration,
        to=Declaration.State.CLOSED,
        actor=actor,
        history=lambda d, source: _history(d, source, actor),
        audit_action="coi.oversight.close",
        update_fields=["closed_on"],
    )
    return declaration


def _late_title(number: str, name: str, due: str) -> str:
    return _(
        "Lewat batas: benturan kepentingan %(number)s (%(name)s) belum diputuskan atasan "
        "sejak %(day)s"
    ) % {"number": number, "name": name, "day": due}


def declarations_escalate(*, today: date) -> int:
    """An overdue decision goes to the superior's own superior and the Inspektorat, once."""
    told = 0
    for declaration in selectors.register_overdue(today=today):
        above = declaration.superior.superior if declaration.superior else None
        people = _inspektorat(declaration.pemda) + ([above.user] if above else [])
        number, name = declaration.number, declaration.declarant_name
        due = declaration.decision_due.strftime("%d-%m-%Y")
        with transaction.atomic():
            told += len(
                notify(
                    recipients=people,
                    title=lambda number=number, name=name, due=due: (
                        _(  # type: ignore[misc]
                            "Lewat batas: benturan kepentingan %(number)s (%(name)s) belum "
                            "diputuskan atasan sejak %(day)s"
                        )
                        % {"number": number, "name": name, "day": due}
                    ),
                    url=reverse("coi:declaration", kwargs={"pk": declaration.pk}),
                    key=f"coi:{declaration.pk}:late",
                )
            )
            Declaration.objects.filter(pk=declaration.pk, escalated_on__isnull=True).update(
                escalated_on=today
            )
    return told


# --- Positions at risk and the yearly statement ---------------------------------------------------


NIP = re.compile(r"\d{18}")


@transaction.atomic
def risk_position_add(
    *, actor: User, pemda: Pemda, year: int, title: str, holder_nips: str
) -> RiskPosition:
    """A position at risk of the year with its holders, named by NIP (one per line or
    separated by commas); every unknown NIP is named."""
    if not access.is_inspektorat(user=actor, pemda=pemda):
        access.ensure(False)
    if not title.strip():
        raise DomainError(_("Tuliskan jabatan atau tugasnya."), code="title")
    wanted = [n for n in re.split(r"[\s,;]+", holder_nips.replace(" ", "\n")) if n]
    wrong = [n for n in wanted if not NIP.fullmatch(n)]
    found = {e.nip: e for e in Employee.objects.filter(pemda=pemda, is_active=True, nip__in=wanted)}
    unknown = [n for n in wanted if n not in found and n not in wrong]
    if wrong or unknown:
        raise DomainError(
            _("NIP tidak dikenal di %(pemda)s: %(nips)s")
            % {"pemda": pemda, "nips": ", ".join(wrong + unknown)},
            code="nip",
        )
    position, _created = RiskPosition.objects.get_or_create(
        pemda=pemda, year=year, title=title.strip(), defaults={"created_by": actor}
    )
    position.holders.add(*found.values())
    audit.record(
        actor=actor,
        action="coi.position.add",
        obj=position,
        data={"year": year, "holders": sorted(found)},
    )
    return position


@transaction.atomic
def statements_ask(*, actor: User, pemda: Pemda, year: int) -> int:
    """Every holder of a position at risk is asked for their yearly statement, once."""
    if not access.is_inspektorat(user=actor, pemda=pemda):
        access.ensure(False)
    people = {
        e.user_id: e.user
        for p in selectors.positions(pemda=pemda, year=year)
        for e in p.holders.all()
        if e.is_active
    }
    RiskPosition.objects.filter(pemda=pemda, year=year, asked_on__isnull=True).update(
        asked_on=timezone.localdate()
    )
    sent = notify(
        recipients=User.objects.filter(pk__in=list(people)),
        title=lambda: _("Isi pernyataan benturan kepentingan tahun %(year)d") % {"year": year},
        url=reverse("coi:statement", kwargs={"year": year}),
        key=f"coi:statement:{pemda.code}:{year}",
    )
    audit.record(actor=actor, action="coi.statements.ask", data={"pemda": pemda.code, "year": year})
    return len(sent)


@transaction.atomic
def statement_submit(
    *, actor: User, employee: Employee, year: int, no_conflict: bool, note: str = ""
) -> YearlyStatement:
    if employee.user_id != actor.pk:
        raise DomainError(_("Hanya pegawai itu sendiri."), code="not_employee")
    if not selectors.statement_asked_of(employee=employee, year=year):
        access.ensure(False)
    if YearlyStatement.objects.filter(employee=employee, year=year).exists():
        raise AlreadyDone(_("Pernyataan tahun ini sudah Anda isi."), code="done")
    if not no_conflict and not note.strip():
        raise DomainError(
            _("Sebutkan benturan kepentingan Anda, lalu nyatakan masing-masing."), code="note"
        )
    statement = YearlyStatement.objects.create(
        pemda=employee.pemda,
        year=year,
        employee=employee,
        no_conflict=no_conflict,
        note=note.strip(),
        submitted_on=timezone.localdate(),
    )
    audit.record(actor=actor, action="coi.statement.submit", obj=statement)
    return statement


def declaration_open(*, actor: User, declaration: Declaration) -> None:
    audit.record(actor=actor, action="coi.declaration.open", obj=declaration)
