"""Writes of the MCP domain, one module per aggregate; import from here."""

from .assignment import indicator_assign, indicator_unassign
from .catalogue import ImportResult, catalogue_import
from .periods import period_close, period_create, period_extend, period_open

__all__ = [
    "ImportResult",
    "catalogue_import",
    "indicator_assign",
    "indicator_unassign",
    "period_close",
    "period_create",
    "period_extend",
    "period_open",
]
