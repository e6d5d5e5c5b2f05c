"""The Zona Integritas answer's and assessment's lifecycles, written down (cegah/workflow).

An answer: draft → submitted (the unit sends its LKE) → reviewed (the TPI sets its value) or
returned (with a reason) → submitted again. An assessment is submitted with its answers, and
reviewed once the TPI has reviewed every answer; a return reopens it.

A proposal (the Pemda's, to KemenPAN-RB): proposed → pra-evaluasi → evaluasi desk → evaluasi
lapangan, each recorded by the TPN, then designated (only after the field evaluation) or not
designated (after any stage, with a note).
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Answer, Assessment, Proposal

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

P = Proposal.State
PROPOSAL = Workflow(
    name="zi.proposal",
    model=Proposal,
    services_module="cegah.zi.services",
    moves=(
        Move(P.PROPOSED, P.PRA_EVALUASI, "proposal_advance"),
        Move(P.PRA_EVALUASI, P.EVALUASI_DESK, "proposal_advance"),
        Move(P.EVALUASI_DESK, P.EVALUASI_LAPANGAN, "proposal_advance"),
        Move(P.EVALUASI_LAPANGAN, P.DESIGNATED, "proposal_decide"),
        *(
            Move(source, P.NOT_DESIGNATED, "proposal_decide")
            for source in (P.PROPOSED, P.PRA_EVALUASI, P.EVALUASI_DESK, P.EVALUASI_LAPANGAN)
        ),
    ),
)

# The stage the TPN records next, from each state a proposal waits in.
NEXT_STAGE = {
    P.PROPOSED: P.PRA_EVALUASI,
    P.PRA_EVALUASI: P.EVALUASI_DESK,
    P.EVALUASI_DESK: P.EVALUASI_LAPANGAN,
}
