"""The Admin Pemda gives indicators to OPD."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from cegah.accounts import selectors as access
from cegah.accounts.models import User
from cegah.audit import services as audit
from cegah.core.errors import DomainError
from cegah.mcp.models import CatalogueVersion, IndicatorAssignment
from cegah.mcp.selectors import applicable_indicators
from cegah.regions.models import Pemda


@transaction.atomic
def indicator_assign(
    *,
    actor: User,
    pemda: Pemda,
    catalogue: CatalogueVersion,
    opd_id: int,
    indicator_ids: list[int],
) -> int:
    """Assigns the indicators to one OPD of the Pemda; returns how many were new.

    Every id must belong to this Pemda and apply to its kind, or nothing is written."""
    if not access.can_administer(user=actor, pemda=pemda):
        raise Http404
    opd = access.opds_of(pemda=pemda, active_only=True).filter(pk=opd_id).first()
    if opd is None:
        raise DomainError(_("Pilih OPD aktif dari Pemda ini."), code="opd")
    if not indicator_ids:
        raise DomainError(_("Pilih setidaknya satu indikator."), code="empty")
    wanted = set(indicator_ids)
    indicators = list(applicable_indicators(catalogue=catalogue, pemda=pemda).filter(pk__in=wanted))
    if len(indicators) != len(wanted):
        raise DomainError(
            _("Sebagian indikator tidak berlaku untuk %(pemda)s; tidak ada yang ditugaskan.")
            % {"pemda": pemda},
            code="not_applicable",
        )
    existing = set(
        IndicatorAssignment.objects.filter(opd=opd, indicator__in=indicators).values_list(
            "indicator_id", flat=True
        )
    )
    new = [
        IndicatorAssignment(pemda=pemda, indicator=i, opd=opd, assigned_by=actor)
        for i in indicators
        if i.pk not in existing
    ]
    IndicatorAssignment.objects.bulk_create(new)
    if new:
        audit.record(
            actor=actor,
            action="mcp.assignment.add",
            obj=opd,
            data={"year": catalogue.year, "indicators": sorted(a.indicator.code for a in new)},
        )
    return len(new)


@transaction.atomic
def indicator_unassign(*, actor: User, pemda: Pemda, assignment_id: int) -> None:
    if not access.can_administer(user=actor, pemda=pemda):
        raise Http404
    assignment = (
        IndicatorAssignment.objects.select_for_update()
        .select_related("indicator", "opd")
        .filter(pk=assignment_id, pemda=pemda)
        .first()
    )
    if assignment is None:
        raise Http404
    assignment.delete()
    audit.record(
        actor=actor,
        action="mcp.assignment.remove",
        obj=assignment.opd,
        data={"indicator": assignment.indicator.code},
    )
