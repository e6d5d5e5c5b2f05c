from .catalogue import (
    WEIGHT_RANGE,
    Area,
    CatalogueVersion,
    Indicator,
    IndicatorLineage,
    Sasaran,
    SubIndicator,
)
from .periods import Period, PeriodExtension
from .reporting import Answer, Comment, Decision, Evidence, EvidenceFile, IndicatorAssignment

__all__ = [
    "WEIGHT_RANGE",
    "Answer",
    "Area",
    "CatalogueVersion",
    "Comment",
    "Decision",
    "Evidence",
    "EvidenceFile",
    "Indicator",
    "IndicatorAssignment",
    "IndicatorLineage",
    "Period",
    "PeriodExtension",
    "Sasaran",
    "SubIndicator",
]
