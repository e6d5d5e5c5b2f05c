"""Reads of the Zona Integritas domain."""

from __future__ import annotations

from cegah.zi import scoring
from cegah.zi.models import Assessment


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
