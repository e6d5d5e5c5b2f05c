"""The MCP answer's lifecycle, written down: every allowed move and the service that makes it.

draft → submitted → in review → approved | returned → resubmitted → …; the Koordinator may reopen
an approved item, and the Pemda may revise one approved in an earlier termin of the year. A verifier may decide straight from submitted (the first decision starts the
review); opening an item never moves it (a GET changes nothing).
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Answer, Recommendation

S = Answer.State
_WAITING = (S.SUBMITTED, S.RESUBMITTED, S.IN_REVIEW)

ANSWER = Workflow(
    name="mcp.answer",
    model=Answer,
    services_module="cegah.mcp.services.reporting",
    moves=(
        Move(S.DRAFT, S.SUBMITTED, "answers_submit"),
        Move(S.RETURNED, S.RESUBMITTED, "answers_submit"),
        Move(S.RETURNED, S.RESUBMITTED, "answer_resubmit"),
        Move(S.SUBMITTED, S.IN_REVIEW, "review_start"),
        Move(S.RESUBMITTED, S.IN_REVIEW, "review_start"),
        *(Move(s, S.APPROVED, "answer_approve") for s in _WAITING),
        *(Move(s, S.APPROVED, "answers_bulk_approve") for s in _WAITING),
        *(Move(s, S.RETURNED, "answer_return") for s in _WAITING),
        Move(S.APPROVED, S.IN_REVIEW, "answer_reopen"),
        # An item approved in an earlier termin of the year, which the Pemda updates: it goes
        # back through verification (the cumulative year, docs/domain/mcp.md).
        Move(S.APPROVED, S.DRAFT, "answer_revise"),
    ),
)

# Waiting for a verifier's decision: the queue shows them, and only they can be decided.
UNDECIDED_STATES = tuple(sorted(ANSWER.sources(S.APPROVED, service="answer_approve")))
# The Pemda may still change these (and send them).
EDITABLE_STATES = tuple(sorted(ANSWER.sources(S.SUBMITTED) | ANSWER.sources(S.RESUBMITTED)))


R = Recommendation.State

# A recommendation's follow-up (README, MCP: Recommendations): the Pemda's first follow-up
# starts it, the Pemda says it is done and asks for acceptance, and the one who wrote it accepts
# (done) or returns it with a reason. Overdue is no state: it is read from the due date.
RECOMMENDATION = Workflow(
    name="mcp.recommendation",
    model=Recommendation,
    services_module="cegah.mcp.services.recommendations",
    moves=(
        Move(R.OPEN, R.IN_PROGRESS, "recommendation_follow_up_add"),
        Move(R.IN_PROGRESS, R.AWAITING, "recommendation_acceptance_request"),
        Move(R.AWAITING, R.DONE, "recommendation_accept"),
        Move(R.AWAITING, R.IN_PROGRESS, "recommendation_return"),
    ),
)

# The Pemda may still add follow-up to these; reminders of the due date go to them.
FOLLOW_UP_STATES = (R.OPEN, R.IN_PROGRESS)
