"""Opening, closing and extending termin. Only the national coordinator does these."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.accounts import selectors as access
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp.models import Answer, CatalogueVersion, Evidence, Period, PeriodExtension
from cegah.regions.models import Pemda


def _ensure_coordinator(actor: User) -> None:
    if not access.is_national_coordinator(user=actor):
        raise Http404


def _locked(period_id: int) -> Period:
    period = Period.objects.select_for_update().filter(pk=period_id).first()
    if period is None:
        raise Http404
    return period


@transaction.atomic
def period_create(
    *,
    actor: User,
    year: int,
    number: int,
    opens_at: datetime,
    upload_deadline: datetime,
    verification_deadline: datetime,
) -> Period:
    _ensure_coordinator(actor)
    if not CatalogueVersion.objects.filter(year=year).exists():
        raise DomainError(
            _("Belum ada katalog MCP tahun %(year)d. Muat katalognya dulu.") % {"year": year},
            code="no_catalogue",
        )
    if not opens_at < upload_deadline <= verification_deadline:
        raise DomainError(
            _("Urutan tanggal harus: dibuka, lalu batas unggah, lalu batas verifikasi."),
            code="dates_order",
        )
    if Period.objects.filter(year=year, number=number).exists():
        raise DomainError(
            _("Termin %(number)d tahun %(year)d sudah ada.") % {"number": number, "year": year},
            code="duplicate",
        )
    period = Period.objects.create(
        year=year,
        number=number,
        opens_at=opens_at,
        upload_deadline=upload_deadline,
        verification_deadline=verification_deadline,
    )
    audit.record(
        actor=actor,
        action="mcp.period.create",
        obj=period,
        data={
            "opens_at": opens_at,
            "upload_deadline": upload_deadline,
            "verification_deadline": verification_deadline,
        },
    )
    return period


@transaction.atomic
def period_open(*, actor: User, period_id: int) -> Period:
    """Opens a termin for reporting. The year's catalogue is frozen from its first opening."""
    _ensure_coordinator(actor)
    period = _locked(period_id)
    if period.state != Period.State.PLANNED:
        raise DomainError(_("Termin ini tidak dalam status direncanakan."), code="state")
    if Period.objects.filter(year=period.year, state=Period.State.OPEN).exists():
        raise DomainError(
            _("Masih ada termin lain yang dibuka tahun %(year)d. Tutup dulu termin itu.")
            % {"year": period.year},
            code="another_open",
        )
    catalogue = CatalogueVersion.objects.filter(year=period.year).order_by("-version").first()
    if catalogue is None:
        raise DomainError(_("Belum ada katalog untuk tahun ini."), code="no_catalogue")
    if catalogue.opened_at is None:
        catalogue.opened_at = timezone.now()
        catalogue.save(update_fields=["opened_at"])
    period.state = Period.State.OPEN
    period.opened_at = timezone.now()
    try:
        with transaction.atomic():
            period.save(update_fields=["state", "opened_at", "updated_at"])
    except IntegrityError:  # another coordinator opened a termin of the year meanwhile
        raise DomainError(
            _("Masih ada termin lain yang dibuka tahun %(year)d. Tutup dulu termin itu.")
            % {"year": period.year},
            code="another_open",
        ) from None
    carried = _carry_over(period)
    audit.record(
        actor=actor,
        action="mcp.period.open",
        obj=period,
        data={"catalogue": str(catalogue), "answers_carried": carried},
    )
    return period


def _carry_over(period: Period) -> int:
    """The year's report is one body of evidence that grows through the year: every answer of
    the previous termin continues here as it ended (an approved one stays approved and locked, a
    returned or draft one as it was), with its current evidence. Returns how many."""
    previous = (
        Period.objects.filter(year=period.year, number__lt=period.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        return 0
    count = 0
    olds = Answer.objects.filter(period=previous, carried_to__isnull=True).order_by("pk")
    for batch in _batches(olds.iterator(chunk_size=2000), 2000):
        made = Answer.objects.bulk_create(
            Answer(
                pemda_id=old.pemda_id,
                period=period,
                sub_indicator_id=old.sub_indicator_id,
                value=old.value,
                state=old.state,
                version=0,
                verified_value=old.verified_value,
                updated_by_id=old.updated_by_id,
                submitted_at=old.submitted_at,
                carried_from=old,
            )
            for old in batch
        )
        new_of = {a.carried_from_id: a.pk for a in made if a.carried_from_id is not None}
        Evidence.objects.bulk_create(
            Evidence(
                answer_id=new_of[e.answer_id],
                stored_file_id=e.stored_file_id,
                revision=1,
                original_name=e.original_name,
                effective_date=e.effective_date,
                valid_until=e.valid_until,
                uploaded_by_id=e.uploaded_by_id,
                uploaded_at=e.uploaded_at,
            )
            for e in Evidence.objects.filter(answer_id__in=list(new_of), replaced_at__isnull=True)
        )
        count += len(made)
    return count


def _batches(items: Iterator[Answer], size: int) -> Iterator[list[Answer]]:
    batch: list[Answer] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def period_close(*, actor: User, period_id: int) -> Period:
    """Ends the termin for the Pemda: no more answers, uploads or submissions (verifiers may still
    decide what waits for them). A closed termin never opens again."""
    _ensure_coordinator(actor)
    period = _locked(period_id)
    if period.state == Period.State.CLOSED:  # a second click, or another Koordinator's
        raise AlreadyDone(_("%(period)s sudah ditutup.") % {"period": period}, code="closed")
    if period.state != Period.State.OPEN:
        raise DomainError(_("Termin ini tidak sedang dibuka."), code="state")
    period.state = Period.State.CLOSED
    period.closed_at = timezone.now()
    period.save(update_fields=["state", "closed_at", "updated_at"])
    audit.record(actor=actor, action="mcp.period.close", obj=period)
    return period


@transaction.atomic
def period_extend(
    *, actor: User, period_id: int, pemda: Pemda, upload_deadline: datetime, reason: str
) -> PeriodExtension:
    """Gives one Pemda a later upload deadline (granting again replaces it; both are audited)."""
    _ensure_coordinator(actor)
    period = _locked(period_id)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Alasan perpanjangan wajib diisi."), code="reason_required")
    if period.state == Period.State.CLOSED:
        raise DomainError(_("Termin ini sudah ditutup."), code="state")
    if not period.upload_deadline < upload_deadline <= period.verification_deadline:
        raise DomainError(
            _(
                "Batas unggah baru harus setelah batas unggah termin dan paling lambat batas "
                "verifikasi."
            ),
            code="deadline_range",
        )
    previous = PeriodExtension.objects.filter(period=period, pemda=pemda).first()
    extension, _created = PeriodExtension.objects.update_or_create(
        period=period,
        pemda=pemda,
        defaults={"upload_deadline": upload_deadline, "reason": reason, "granted_by": actor},
    )
    audit.record(
        actor=actor,
        action="mcp.period.extend",
        obj=extension,
        data={
            "pemda": pemda.code,
            "upload_deadline": upload_deadline,
            "previous_deadline": previous.upload_deadline if previous else None,
            "reason": reason,
        },
    )
    return extension
