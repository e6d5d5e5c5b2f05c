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
from .scores import YEAR, AreaScore, Award, IndicatorScore, PemdaScore, ScoreJob, ScoreSnapshot

__all__ = [
    "WEIGHT_RANGE",
    "YEAR",
    "Answer",
    "Area",
    "AreaScore",
    "Award",
    "CatalogueVersion",
    "Comment",
    "Decision",
    "Evidence",
    "EvidenceFile",
    "Indicator",
    "IndicatorAssignment",
    "IndicatorLineage",
    "IndicatorScore",
    "PemdaScore",
    "Period",
    "PeriodExtension",
    "Sasaran",
    "ScoreJob",
    "ScoreSnapshot",
    "SubIndicator",
]
