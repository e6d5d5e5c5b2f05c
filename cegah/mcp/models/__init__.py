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
from .recommendations import FollowUp, FollowUpFile, Recommendation, RecommendationStateChange
from .reporting import Answer, AnswerStateChange, Comment, Decision, Evidence, IndicatorAssignment
from .scores import YEAR, AreaScore, Award, IndicatorScore, PemdaScore, ScoreJob, ScoreSnapshot
from .verification import ApipReview, VerifierAreaLimit, YearSetting

__all__ = [
    "WEIGHT_RANGE",
    "YEAR",
    "Answer",
    "AnswerStateChange",
    "ApipReview",
    "Area",
    "AreaScore",
    "Award",
    "CatalogueVersion",
    "Comment",
    "Decision",
    "Evidence",
    "FollowUp",
    "FollowUpFile",
    "Indicator",
    "IndicatorAssignment",
    "IndicatorLineage",
    "IndicatorScore",
    "PemdaScore",
    "Period",
    "PeriodExtension",
    "Recommendation",
    "RecommendationStateChange",
    "Sasaran",
    "ScoreJob",
    "ScoreSnapshot",
    "SubIndicator",
    "VerifierAreaLimit",
    "YearSetting",
]
