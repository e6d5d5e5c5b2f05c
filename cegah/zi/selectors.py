"""Reads of the Zona Integritas domain."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from cegah.core.i18n import text_in_reader_language
from cegah.zi import scoring
from cegah.zi.models import Assessment, Designation, Proposal, Unit


def assessment_scores(
    *, assessment: Assessment, held: frozenset[str] = frozenset()
) -> tuple[scoring.Breakdown, scoring.Breakdown]:
    """The unit's own scores and the TPI's, side by side; where the TPI has not set a value
    yet, its side counts the question as unanswered."""
    rows = list(assessment.answers.values_list("code", "value", "tpi_value"))
    structure = assessment.lke.structure
    own = scoring.score(structure, {c: v for c, v, _t in rows}, held=held)
    tpi = scoring.score(structure, {c: t for c, _v, t in rows}, held=held)
    return own, tpi


def verdict_context(*, assessment: Assessment) -> dict[str, Any]:
    """What the predicate page and the PDF summary show: both sides' figures and verdicts."""
    # WBBM needs WBK held: the unit's designations not revoked.
    own, tpi = assessment_scores(assessment=assessment, held=held_predicates(unit=assessment.unit))
    structure = assessment.lke.structure
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "sides": [(_("Penilaian mandiri unit"), own), (_("Penilaian TPI"), tpi)],
        "area_names": {a["code"]: text_in_reader_language(a["name"]) for a in structure["areas"]},
    }


def held_predicates(*, unit: Unit) -> frozenset[str]:
    """The predicates the unit holds now: its designations not revoked."""
    return frozenset(
        Designation.objects.filter(unit=unit, revoked_on__isnull=True).values_list(
            "predicate", flat=True
        )
    )


def proposals(
    *,
    state: str = "",
    year: int | None = None,
    province: str = "",
    pemda: str = "",
    predicate: str = "",
) -> QuerySet[Proposal]:
    """Proposals of every Pemda (the TPN's work list), filtered; open ones by stage first."""
    qs = Proposal.objects.select_related(
        "assessment__unit__pemda__province", "assessment__unit__opd", "proposed_by"
    )
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(assessment__year=year)
    if province:
        qs = qs.filter(assessment__unit__pemda__province__code=province)
    if pemda:
        qs = qs.filter(assessment__unit__pemda__code=pemda)
    if predicate:
        qs = qs.filter(predicate=predicate)
    return qs.order_by(
        "-assessment__year", "assessment__unit__pemda__code", "assessment__unit__name"
    )


def published_designations(
    *, year: int | None = None, province: str = "", pemda: str = "", predicate: str = ""
) -> QuerySet[Designation]:
    """Designations as the public reads them: every predicate awarded, the revoked ones too
    (said as revoked). Proposals and their stages are never public."""
    qs = Designation.objects.select_related("unit__pemda__province", "unit__opd")
    if year:
        qs = qs.filter(year=year)
    if province:
        qs = qs.filter(unit__pemda__province__code=province)
    if pemda:
        qs = qs.filter(unit__pemda__code=pemda)
    if predicate:
        qs = qs.filter(predicate=predicate)
    return qs.order_by("unit__pemda__code", "-year", "unit__name", "predicate")


def designation_years() -> list[int]:
    return list(Designation.objects.order_by("-year").values_list("year", flat=True).distinct())


def held_by_pemda() -> dict[int, dict[str, int]]:
    """Units holding each predicate now (not revoked), by Pemda: for the open-data figures."""
    held: dict[int, dict[str, int]] = {}
    for pemda_id, predicate, n in (
        Designation.objects.filter(revoked_on__isnull=True)
        .values_list("unit__pemda_id", "predicate")
        .annotate(n=Count("unit", distinct=True))
    ):
        held.setdefault(pemda_id, {})[predicate] = n
    return held
