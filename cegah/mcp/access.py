"""Who may act on a Pemda's MCP report. Services call these themselves; views may too."""

from __future__ import annotations

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from cegah.accounts import selectors as access
from cegah.accounts.models import Role, User
from cegah.audit.models import AuditEntry
from cegah.mcp.models import Answer, IndicatorAssignment, SubIndicator
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


def can_verify(*, user: User, pemda: Pemda) -> bool:
    return access.has_role(user=user, role=Role.VERIFIKATOR) and (
        access.pemda_verified_by(user=user).filter(pk=pemda.pk).exists()
    )


def can_see_answer(*, user: User, answer: Answer) -> bool:
    return (
        can_answer(user=user, pemda=answer.pemda, sub_indicator=answer.sub_indicator)
        or can_verify(user=user, pemda=answer.pemda)
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
