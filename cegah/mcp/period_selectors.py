"""Reads about a termin for the Koordinator's confirm pages: what closing it cuts off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from cegah.mcp.models import Answer, Period, PeriodExtension
from cegah.mcp.workflows import EDITABLE_STATES, UNDECIDED_STATES
from cegah.regions.models import Pemda


@dataclass(frozen=True)
class Closing:
    """What closing an open termin ends: the Pemda stop answering, uploading and sending; what
    they have not sent stays unsent; verifiers may still decide what waits for them."""

    period: Period
    pemdas: int  # every Pemda, whether it reported or not
    pemdas_reporting: int  # those with at least one answer in the termin
    answers: int
    unsent: int  # draft or returned: the Pemda can no longer send them
    undecided: int  # waiting for a verifier, who may still decide them
    extensions_running: int  # Pemda whose extended deadline has not passed yet
    before_deadline: bool  # the termin's own upload deadline has not passed yet

    @property
    def upload_deadline(self) -> datetime:
        return self.period.upload_deadline


def closing(*, period: Period) -> Closing:
    now = timezone.now()
    counted = Answer.objects.filter(period=period).aggregate(
        answers=Count("pk"),
        unsent=Count("pk", filter=Q(state__in=EDITABLE_STATES)),
        undecided=Count("pk", filter=Q(state__in=UNDECIDED_STATES)),
        pemdas=Count("pemda", distinct=True),
    )
    return Closing(
        period=period,
        pemdas=Pemda.objects.count(),
        pemdas_reporting=counted["pemdas"],
        answers=counted["answers"],
        unsent=counted["unsent"],
        undecided=counted["undecided"],
        extensions_running=PeriodExtension.objects.filter(
            period=period, upload_deadline__gt=now
        ).count(),
        before_deadline=period.upload_deadline > now,
    )
