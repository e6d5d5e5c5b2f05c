"""The Zona Integritas answer's and assessment's lifecycles, written down (cegah/workflow).

An answer: draft → submitted (the unit sends its LKE) → reviewed (the TPI sets its value) or
returned (with a reason) → submitted again. An assessment is submitted with its answers, and
reviewed once the TPI has reviewed every answer; a return reopens it.
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Answer, Assessment

A = Answer.State
ANSWER = Workflow(
    name="zi.answer",
    model=Answer,
    services_module="cegah.zi.services",
    moves=(
        Move(A.DRAFT, A.SUBMITTED, "assessment_submit"),
        Move(A.RETURNED, A.SUBMITTED, "assessment_submit"),
        Move(A.SUBMITTED, A.REVIEWED, "answer_review"),
        Move(A.SUBMITTED, A.RETURNED, "answer_return"),
        Move(A.REVIEWED, A.RETURNED, "answer_return"),
    ),
)

S = Assessment.State
ASSESSMENT = Workflow(
    name="zi.assessment",
    model=Assessment,
    services_module="cegah.zi.services",
    moves=(
        Move(S.DRAFT, S.SUBMITTED, "assessment_submit"),
        Move(S.SUBMITTED, S.REVIEWED, "answer_review"),
        Move(S.REVIEWED, S.SUBMITTED, "answer_return"),
    ),
)

# The unit may still change these.
EDITABLE = (A.DRAFT, A.RETURNED)
