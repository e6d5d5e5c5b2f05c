"""Who verifies which areas of a Pemda, the year's rule on the APIP review, and the Pemda's
Inspektorat marking each area reviewed before the Admin Pemda submits."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from cegah.accounts import selectors as accounts
from cegah.accounts.models import User, VerifierAssignment
from cegah.audit import services as audit
from cegah.core.errors import AlreadyDone, DomainError
from cegah.mcp import access
from cegah.mcp.models import Answer, ApipReview, Area, Period, VerifierAreaLimit, YearSetting
from cegah.regions.models import Pemda


@transaction.atomic
def verifier_areas_set(
    *, actor: User, assignment_id: int, area_codes: list[str]
) -> VerifierAssignment:
    """Limits a verifier's assignment to these areas (none: every area). Codes are the areas'
    codes, which stay the same from year to year."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    assignment = (
        VerifierAssignment.objects.select_for_update()
        .select_related("verifier", "pemda")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    known = set(Area.objects.values_list("code", flat=True))
    unknown = sorted(set(area_codes) - known)
    if unknown:
        raise DomainError(
            _("Area tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}, code="area"
        )
    before = sorted(assignment.area_limits.values_list("area_code", flat=True))
    after = sorted(set(area_codes))
    if before == after:
        return assignment
    assignment.area_limits.all().delete()
    VerifierAreaLimit.objects.bulk_create(
        VerifierAreaLimit(assignment=assignment, area_code=code) for code in after
    )
    audit.record(
        actor=actor,
        action="mcp.verifier.areas",
        obj=assignment,
        data={
            "verifier": assignment.verifier.email,
            "pemda": assignment.pemda.code,
            "before": before,
            "after": after,
        },
    )
    return assignment


@transaction.atomic
def year_setting_set(*, actor: User, year: int, apip_review_required: bool) -> YearSetting:
    """The Koordinator decides, per year, whether each area needs the Inspektorat's review
    before the Pemda may submit it."""
    if not accounts.is_national_coordinator(user=actor):
        raise Http404
    setting = YearSetting.objects.select_for_update().filter(year=year).first()
    if setting is not None and setting.apip_review_required == apip_review_required:
        return setting
    setting, _created = YearSetting.objects.update_or_create(
        year=year,
        defaults={"apip_review_required": apip_review_required, "updated_by": actor},
    )
    audit.record(
        actor=actor,
        action="mcp.year.apip_review",
        obj=setting,
        data={"year": year, "required": apip_review_required},
    )
    return setting


def apip_review_required(*, year: int) -> bool:
    return YearSetting.objects.filter(year=year, apip_review_required=True).exists()


@transaction.atomic
def apip_review_mark(
    *, user: User, pemda: Pemda, period: Period, area: Area, note: str = ""
) -> ApipReview:
    """The Pemda's Inspektorat marks an area of the termin's report "direviu APIP"."""
    access.ensure(access.can_review_as_apip(user=user, pemda=pemda))
    if period.state != Period.State.OPEN:
        raise DomainError(_("Termin ini tidak sedang dibuka."), code="closed")
    # Separation of duties: the review is by someone who did not write what is reviewed.
    if accounts.can_administer(user=user, pemda=pemda) or (
        access.answers_worked_on_by(user=user)
        .filter(period=period, pemda=pemda, sub_indicator__indicator__area__code=area.code)
        .exists()
    ):
        raise DomainError(
            _(
                "Anda ikut menyusun laporan area ini (sebagai Admin Pemda atau pengisi): "
                "reviunya oleh Inspektorat lain."
            ),
            code="own_work",
        )
    # A mark withdrawn because the area changed since is given again.
    ApipReview.objects.filter(
        period=period, pemda=pemda, area_code=area.code, pk__in=_stale(period, pemda)
    ).delete()
    review, created = ApipReview.objects.get_or_create(
        period=period,
        pemda=pemda,
        area_code=area.code,
        defaults={"reviewed_by": user, "note": note.strip()[:2000]},
    )
    if not created:
        raise AlreadyDone(
            _("Area %(area)s sudah ditandai direviu APIP.") % {"area": area.name},
            code="already",
        )
    audit.record(
        actor=user,
        action="mcp.apip.review",
        obj=review,
        data={"pemda": pemda.code, "year": period.year, "termin": period.number, "area": area.code},
    )
    return review


@transaction.atomic
def apip_review_withdraw(*, user: User, pemda: Pemda, period: Period, area: Area) -> None:
    """The Inspektorat takes its mark back (it found something after all)."""
    access.ensure(access.can_review_as_apip(user=user, pemda=pemda))
    review = ApipReview.objects.filter(period=period, pemda=pemda, area_code=area.code).first()
    if review is None:
        raise AlreadyDone(_("Area ini belum ditandai."), code="already")
    review.delete()
    audit.record(
        actor=user,
        action="mcp.apip.withdraw",
        obj=pemda,
        data={"year": period.year, "termin": period.number, "area": area.code},
    )


def _stale(period: Period, pemda: Pemda) -> set[int]:
    """Reviews of areas whose items still to send changed after the review: the mark no longer
    covers what would go."""
    reviews = {r.area_code: r for r in ApipReview.objects.filter(period=period, pemda=pemda)}
    if not reviews:
        return set()
    changed = (
        Answer.objects.filter(
            period=period, pemda=pemda, state__in=[Answer.State.DRAFT, Answer.State.RETURNED]
        )
        .values_list("sub_indicator__indicator__area__code")
        .annotate(last=Max("updated_at"))
        .order_by()
    )
    return {
        reviews[code].pk
        for code, last in changed
        if code in reviews and last is not None and last > reviews[code].reviewed_at
    }


def apip_reviews(*, pemda: Pemda, period: Period) -> dict[str, tuple[ApipReview, bool]]:
    """Each reviewed area's mark, and whether the area changed since (then it needs another)."""
    stale = _stale(period, pemda)
    return {
        r.area_code: (r, r.pk in stale)
        for r in ApipReview.objects.filter(period=period, pemda=pemda).select_related("reviewed_by")
    }


def areas_waiting_for_apip(*, pemda: Pemda, period: Period, area_codes: set[str]) -> list[str]:
    """Of these areas, those the year requires reviewed and the Inspektorat has not marked, or
    whose items to send changed after the mark."""
    if not area_codes or not apip_review_required(year=period.year):
        return []
    marks = apip_reviews(pemda=pemda, period=period)
    current = {code for code, (_review, stale) in marks.items() if not stale}
    return sorted(area_codes - current)
