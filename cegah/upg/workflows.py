"""The gratification report's and the custody item's lifecycles, written down (cegah/workflow).

A report: diajukan (sent to the UPG) → dikembalikan (incomplete, with what is missing) →
diajukan again (completed by the reporter) or ditutup (not completed in time); diajukan →
diteruskan (forwarded to KPK) → ditetapkan (KPK's decision recorded).
An item in custody: disimpan → diserahkan (to KPK or the state) or dikembalikan (to the
recipient, once KPK leaves it to them).
"""

from __future__ import annotations

from cegah.workflow.transitions import Move, Workflow

from .models import CustodyItem, Report

R = Report.State
REPORT = Workflow(
    name="upg.report",
    model=Report,
    services_module="cegah.upg.services",
    moves=(
        Move(R.SUBMITTED, R.RETURNED, "report_return"),
        Move(R.RETURNED, R.SUBMITTED, "report_complete"),
        Move(R.RETURNED, R.CLOSED, "reports_close_incomplete"),
        Move(R.SUBMITTED, R.FORWARDED, "report_forward"),
        Move(R.FORWARDED, R.DECIDED, "decision_record"),
    ),
)

# The reporter may still add evidence and change the report.
REPORTER_EDITABLE = (R.SUBMITTED, R.RETURNED)
# The UPG still has to act.
OPEN = (R.SUBMITTED, R.RETURNED, R.FORWARDED)

C = CustodyItem.State
CUSTODY = Workflow(
    name="upg.custody",
    model=CustodyItem,
    services_module="cegah.upg.services",
    moves=(
        Move(C.KEPT, C.HANDED_OVER, "custody_release"),
        Move(C.KEPT, C.RETURNED, "custody_release"),
    ),
)
