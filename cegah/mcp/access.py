"""Who may act on a Pemda's MCP report. Services call these themselves; views may too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import BigIntegerField, F, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext as _

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User
from cegah.audit.models import AuditEntry
from cegah.mcp.models import (
    Answer,
    IndicatorAssignment,
    Recommendation,
    SubIndicator,
    VerifierAreaLimit,
)
from cegah.regions.models import Pemda


def operator_opd_ids(*, user: User, pemda: Pemda | None = None) -> list[int]:
    return [
        a.opd_id
        for a in access.role_assignments(user=user)
        if a.role == Role.OPERATOR
        and a.opd_id is not None
        and (pemda is None or a.pemda_id == pemda.pk)
    ]


def can_answer(*, user: User, pemda: Pemda, sub_indicator: SubIndicator) -> bool:
    """The Admin Pemda, or an operator of an OPD the indicator is assigned to."""
    if access.can_administer(user=user, pemda=pemda):
        return True
    opd_ids = operator_opd_ids(user=user, pemda=pemda)
    return (
        bool(opd_ids)
        and IndicatorAssignment.objects.filter(
            pemda=pemda, indicator_id=sub_indicator.indicator_id, opd_id__in=opd_ids
        ).exists()
    )


def area_limits(*, user: User) -> dict[int, set[str]]:
    """The verifier's Pemda whose assignment is limited to some areas, with those area codes;
    a Pemda not listed is verified in every area."""
    limits: dict[int, set[str]] = {}
    for pemda_id, code in VerifierAreaLimit.objects.filter(assignment__verifier=user).values_list(
        "assignment__pemda_id", "area_code"
    ):
        limits.setdefault(pemda_id, set()).add(code)
    return limits


def verifiable_q(pemda_ids: Iterable[int], limits: Mapping[int, set[str]]) -> Q:
    """Answers of these Pemda within each one's area limits (`area_limits`), as a filter."""
    ids = list(pemda_ids)
    condition = Q(pemda_id__in=[p for p in ids if p not in limits])
    for pemda_id in ids:
        if pemda_id in limits:
            condition |= Q(
                pemda_id=pemda_id, sub_indicator__indicator__area__code__in=sorted(limits[pemda_id])
            )
    return condition


def can_verify(*, user: User, pemda: Pemda, area_code: str | None = None) -> bool:
    """A verifier assigned to the Pemda; with `area_code`, one whose assignment covers it."""
    if not access.has_role(user=user, role=Role.VERIFIKATOR) or (
        not access.pemda_verified_by(user=user).filter(pk=pemda.pk).exists()
    ):
        return False
    if area_code is None:
        return True
    limited = area_limits(user=user).get(pemda.pk)
    return limited is None or area_code in limited


def can_review_as_apip(*, user: User, pemda: Pemda) -> bool:
    """The Pemda's Inspektorat (its APIP) reads and reviews its whole report before it goes."""
    return access.has_role(user=user, role=Role.INSPEKTORAT, pemda=pemda)


def can_see_answer(*, user: User, answer: Answer) -> bool:
    return (
        can_answer(user=user, pemda=answer.pemda, sub_indicator=answer.sub_indicator)
        or can_verify(
            user=user,
            pemda=answer.pemda,
            area_code=answer.sub_indicator.indicator.area.code,
        )
        or can_review_as_apip(user=user, pemda=answer.pemda)
        or access.is_national_coordinator(user=user)
    )


def ensure(allowed: bool) -> None:
    # 404, never 403: another Pemda's report is not confirmed to exist.
    if not allowed:
        raise Http404


def answers_worked_on_by(*, user: User) -> QuerySet[Answer]:
    """Answers the person saved or gave evidence for: they are not the one to decide on them
    (separation of duties), whatever role they hold now."""
    saved = (
        AuditEntry.objects.filter(
            object_type=Answer._meta.label_lower, action="mcp.answer.save", actor=user
        )
        .annotate(answer_id=Cast("object_id", BigIntegerField()))
        .values("answer_id")
    )
    return Answer.objects.filter(Q(evidence__uploaded_by=user) | Q(pk__in=saved))


def worked_on(*, user: User, answer: Answer) -> bool:
    return answers_worked_on_by(user=user).filter(pk=answer.pk).exists()


# --- Recommendations (rekomendasi perbaikan) ------------------------------------------------


def holds_role_in(*, user: User, pemda: Pemda) -> bool:
    """Any role in the Pemda or one of its OPD."""
    return any(a.pemda_id == pemda.pk for a in access.role_assignments(user=user))


def can_write_recommendation(*, user: User, pemda: Pemda) -> bool:
    """The Koordinator for any Pemda, a verifier for the Pemda they verify; never someone who
    holds a role in that Pemda (separation of duties: nobody recommends to their own office)."""
    if holds_role_in(user=user, pemda=pemda):
        return False
    return access.is_national_coordinator(user=user) or can_verify(user=user, pemda=pemda)


def can_follow_up(*, user: User, recommendation: Recommendation) -> bool:
    """The Pemda's Admin and Inspektorat; an operator of an OPD the tied indicator is assigned
    to (with an indicator only: a recommendation about a whole area is the Pemda's)."""
    pemda = recommendation.pemda
    if any(
        a.role in (Role.ADMIN_PEMDA, Role.INSPEKTORAT) and a.pemda_id == pemda.pk
        for a in access.role_assignments(user=user)
    ):
        return True
    opd_ids = operator_opd_ids(user=user, pemda=pemda)
    return (
        bool(opd_ids)
        and recommendation.indicator_id is not None
        and IndicatorAssignment.objects.filter(
            pemda=pemda, indicator_id=recommendation.indicator_id, opd_id__in=opd_ids
        ).exists()
    )


def covers_area(*, user: User, pemda: Pemda, area_code: str | None) -> bool:
    """False only for a verifier whose assignment to the Pemda is limited to areas that do not
    include this one (None: the whole Pemda, which such a verifier does not cover)."""
    if access.is_national_coordinator(user=user):
        return True
    limited = area_limits(user=user).get(pemda.pk)
    return limited is None or (area_code is not None and area_code in limited)


def can_see_recommendation(*, user: User, recommendation: Recommendation) -> bool:
    area_code = recommendation.area.code if recommendation.area is not None else None
    return (
        access.is_national_coordinator(user=user)
        or (
            can_verify(user=user, pemda=recommendation.pemda)
            and (
                area_code is None
                or covers_area(user=user, pemda=recommendation.pemda, area_code=area_code)
            )
        )
        or can_follow_up(user=user, recommendation=recommendation)
    )


def may_decide_recommendation(*, user: User, recommendation: Recommendation) -> bool:
    """Who is asked at all to accept or return: its author and the Koordinator. Whether they may
    now is the service's to say (accepting_refusal), in words, not with a 404."""
    return recommendation.author_id == user.pk or access.is_national_coordinator(user=user)


def recommendations_visible_to(*, user: User) -> QuerySet[Recommendation]:
    """Every recommendation the person may read: all for the Koordinator; their assigned Pemda's
    for a verifier; their Pemda's for its Admin and Inspektorat; those tied to their OPD's
    indicators for an operator. As can_see_recommendation, in one query."""
    base = Recommendation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if access.is_national_coordinator(user=user):
        return base
    roles = access.role_assignments(user=user)
    whole = [
        a.pemda_id for a in roles if a.role in (Role.ADMIN_PEMDA, Role.INSPEKTORAT) and a.pemda_id
    ]
    scope = Q(pemda_id__in=whole)
    if any(a.role == Role.VERIFIKATOR for a in roles):
        # A verifier limited to some areas of a Pemda reads its recommendations about those
        # areas and about the whole Pemda.
        limits = area_limits(user=user)
        verified = list(access.pemda_verified_by(user=user).values_list("pk", flat=True))
        scope |= Q(pemda_id__in=[p for p in verified if p not in limits])
        for pemda_id, codes in limits.items():
            if pemda_id in verified:
                scope |= Q(pemda_id=pemda_id) & (
                    Q(area__isnull=True) | Q(area__code__in=sorted(codes))
                )
    opd_ids = operator_opd_ids(user=user)
    if opd_ids:
        tied = Recommendation.objects.filter(
            indicator__assignments__opd_id__in=opd_ids,
            indicator__assignments__pemda_id=F("pemda_id"),
        ).values("pk")
        scope |= Q(pk__in=tied)
    if not whole and not opd_ids and not any(a.role == Role.VERIFIKATOR for a in roles):
        return base.none()
    return base.filter(scope)


def acceptance_refusal(*, user: User, recommendation: Recommendation) -> str:
    """Why the person may not accept or return this recommendation's follow-up, or "" if they
    may. Its author decides while they still may write for the Pemda; once not (their role or
    assignment gone), the Koordinator does. Nobody decides for a Pemda they hold a role in, nor
    on follow-up they recorded (separation of duties)."""
    pemda = recommendation.pemda
    if holds_role_in(user=user, pemda=pemda):
        return _(
            "Anda memegang peran di %(pemda)s; tindak lanjutnya diterima oleh pihak di luar Pemda."
        ) % {"pemda": pemda}
    if recommendation.follow_ups.filter(author=user).exists():
        return _("Anda mencatat tindak lanjut rekomendasi ini; pihak lain yang menerimanya.")
    author = recommendation.author
    author_decides = author.is_active and can_write_recommendation(user=author, pemda=pemda)
    if user.pk == author.pk:
        if not author_decides:
            return _(
                "Anda tidak lagi bertugas untuk %(pemda)s; Koordinator yang menerima tindak "
                "lanjutnya."
            ) % {"pemda": pemda}
        return ""
    if author_decides:
        return _(
            "Hanya penulis rekomendasi ini, %(author)s, yang menerima atau mengembalikan "
            "tindak lanjutnya."
        ) % {"author": author}
    if not access.is_national_coordinator(user=user):
        return _("Hanya Koordinator yang menerima tindak lanjut ini.")
    return ""
