"""Reads of the Zona Integritas domain."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cegah.core.i18n import text_in_reader_language
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


def verdict_context(*, assessment: Assessment) -> dict[str, Any]:
    """What the predicate page and the PDF summary show: both sides' figures and verdicts."""
    own, tpi = assessment_scores(assessment=assessment)
    structure = assessment.lke.structure
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "sides": [(_("Penilaian mandiri unit"), own), (_("Penilaian TPI"), tpi)],
        "area_names": {a["code"]: text_in_reader_language(a["name"]) for a in structure["areas"]},
    }
