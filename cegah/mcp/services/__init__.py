"""Writes of the MCP domain, one module per aggregate; import from here."""

from .assignment import indicator_assign, indicator_unassign
from .catalogue import ImportResult, catalogue_import
from .periods import period_close, period_create, period_extend, period_open
from .recommendations import (
    recommendation_accept,
    recommendation_acceptance_request,
    recommendation_create,
    recommendation_follow_up_add,
    recommendation_return,
)
from .reporting import (
    BulkResult,
    SubmitResult,
    answer_approve,
    answer_reopen,
    answer_resubmit,
    answer_return,
    answer_revise,
    answer_save,
    answers_bulk_approve,
    answers_submit,
    comment_add,
    evidence_add,
    review_start,
)

__all__ = [
    "BulkResult",
    "ImportResult",
    "SubmitResult",
    "answer_approve",
    "answer_reopen",
    "answer_resubmit",
    "answer_return",
    "answer_revise",
    "answer_save",
    "answers_bulk_approve",
    "answers_submit",
    "catalogue_import",
    "comment_add",
    "evidence_add",
    "indicator_assign",
    "indicator_unassign",
    "period_close",
    "period_create",
    "period_extend",
    "period_open",
    "recommendation_accept",
    "recommendation_acceptance_request",
    "recommendation_create",
    "recommendation_follow_up_add",
    "recommendation_return",
    "review_start",
]
