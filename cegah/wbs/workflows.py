"""The WBS report's handling, written down: every allowed move and the service that makes it.

received → verifying → rejected | forwarded | followed_up → done (or forwarded); a report whose
reporter did not answer a request for information in time is closed as done by the daily task.
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import Report, ReportState

S = ReportState

REPORT = Workflow(
    name="wbs.report",
    model=Report,
    services_module="cegah.wbs.services",
    moves=(
        Move(S.RECEIVED, S.VERIFYING, "report_transition"),
        Move(S.RECEIVED, S.REJECTED, "report_transition"),
        Move(S.VERIFYING, S.REJECTED, "report_transition"),
        Move(S.VERIFYING, S.FORWARDED, "report_transition"),
        Move(S.VERIFYING, S.FOLLOWED_UP, "report_transition"),
        Move(S.FOLLOWED_UP, S.DONE, "report_transition"),
        Move(S.FOLLOWED_UP, S.FORWARDED, "report_transition"),
        *(
            Move(s, S.DONE, "reports_close_unanswered")
            for s in (S.RECEIVED, S.VERIFYING, S.FOLLOWED_UP)
        ),
    ),
)

# A decision the reporter must have explained to them (starting the check needs no words).
NOTE_REQUIRED = frozenset({S.REJECTED, S.FORWARDED, S.FOLLOWED_UP, S.DONE})


def handler_moves(state: str) -> list[tuple[str, bool]]:
    """The moves a handler may make from `state`, each with whether it needs a note."""
    return [
        (m.target, m.target in NOTE_REQUIRED)
        for m in REPORT.moves
        if m.source == state and m.service == "report_transition"
    ]
