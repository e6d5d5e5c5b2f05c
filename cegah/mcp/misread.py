"""Answers that the number parser before the shared input probably misread (a selector)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .models import Answer, SubIndicator


@dataclass(frozen=True)
class PossiblyMisread:
    answer: Answer
    field: str  # "value" or "verified_value"
    stored: Decimal
    likely: Decimal


def answers_possibly_misread() -> list[PossiblyMisread]:
    """Before the shared number input, "527.500" was stored as 527,5: a fraction where the
    question counts whole things (a number question with a whole target) is listed, with the
    stored value times 1.000 as the likely one. A person decides (docs/conventions/inputs.md)."""
    found = []
    answers = (
        Answer.objects.filter(sub_indicator__answer_type=SubIndicator.AnswerType.NUMBER)
        .filter(Q(value__isnull=False) | Q(verified_value__isnull=False))
        .select_related("pemda", "period", "sub_indicator")
        .order_by("pemda__code", "period__year", "period__number", "sub_indicator__code")
    )
    for answer in answers:
        target = answer.sub_indicator.target
        if target is None or target != target.to_integral_value():
            continue
        for field in ("value", "verified_value"):
            stored = getattr(answer, field)
            if stored is not None and stored != stored.to_integral_value():
                found.append(PossiblyMisread(answer, field, stored, stored * 1000))
    return found
