"""The MCP answer's lifecycle, written down: every allowed move and the service that makes it.

draft → submitted → in review → approved | returned → resubmitted → …; the Koordinator may reopen
an approved item, and the Pemda may revise one approved in an earlier termin of the year. A verifier may decide straight from submitted (the first decision starts the
review); opening an item never moves it (a GET changes nothing).
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Answer

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
