"""Who may act on a Pemda's MCP report. Services call these themselves; views may too."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User
from cegah.audit.models import AuditEntry
from cegah.mcp.models import Answer, IndicatorAssignment, SubIndicator, VerifierAreaLimit
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
