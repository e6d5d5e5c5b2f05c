"""A declaration's lifecycle, written down (cegah/workflow): menunggu (the superior decides) →
diputuskan (recusal, handed to another official, reassignment, or no conflict) or diawasi
(continuing under the Inspektorat's oversight) → selesai (the Inspektorat ends the oversight)."""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Declaration

D = Declaration.State
DECLARATION = Workflow(
    name="coi.declaration",
    model=Declaration,
    services_module="cegah.coi.services",
    moves=(
        Move(D.SUBMITTED, D.DECIDED, "declaration_decide"),
        Move(D.SUBMITTED, D.OVERSIGHT, "declaration_decide"),
        Move(D.OVERSIGHT, D.CLOSED, "oversight_close"),
    ),
)
