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
from .reporting import Answer, IndicatorAssignment

__all__ = [
    "WEIGHT_RANGE",
    "Answer",
    "Area",
    "CatalogueVersion",
    "Indicator",
    "IndicatorAssignment",
    "IndicatorLineage",
    "Period",
    "PeriodExtension",
    "Sasaran",
    "SubIndicator",
]
