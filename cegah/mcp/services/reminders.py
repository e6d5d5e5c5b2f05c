"""Reminders 7, 3 and 1 days before a Pemda's upload deadline, to operators with unfinished
items, and before a recommendation's due date (services/recommendations.py). Idempotent: each
threshold is sent once per person and termin (or recommendation), however often it runs."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import partial

from django.urls import reverse
from django.utils.translation import ngettext

from cegah.accounts.models import Role, RoleAssignment, User
from cegah.mcp.models import Answer, Evidence, IndicatorAssignment, Period, SubIndicator
from cegah.mcp.selectors import current_catalogue
from cegah.mcp.services.recommendations import recommendation_reminders_send
from cegah.notifications.services import notify
from cegah.regions.models import Pemda

REMINDER_DAYS = (1, 3, 7)


def _threshold(remaining: timedelta) -> int | None:
    """The smallest threshold the remaining time is within; a missed daily run still sends it."""
    if remaining <= timedelta(0):
        return None
    return next((d for d in REMINDER_DAYS if remaining <= timedelta(days=d)), None)


def reminders_send(*, now: datetime) -> int:
    """Sends the due reminders of every open termin and of recommendations still followed up;
    returns how many were new."""
    sent = recommendation_reminders_send(now=now)
    for period in Period.objects.filter(state=Period.State.OPEN):
        sent += _period_reminders(period, now)
    return sent


def _period_reminders(period: Period, now: datetime) -> int:
    catalogue = current_catalogue(year=period.year)
    extensions = dict(period.extensions.values_list("pemda_id", "upload_deadline"))
    due: dict[int, int] = {}
    for pemda_id in (
        IndicatorAssignment.objects.filter(indicator__catalogue=catalogue)
        .values_list("pemda_id", flat=True)
        .distinct()
    ):
        threshold = _threshold(extensions.get(pemda_id, period.upload_deadline) - now)
        if threshold is not None:
            due[pemda_id] = threshold
    if not due:
        return 0
    subs: dict[int, list[SubIndicator]] = defaultdict(list)
    for sub in SubIndicator.objects.filter(indicator__catalogue=catalogue).only(
        "pk", "indicator_id", "answer_type", "evidence"
    ):
        subs[sub.indicator_id].append(sub)
    answers = {
        (a[0], a[1]): (a[2], a[3])
        for a in Answer.objects.filter(period=period, pemda_id__in=due).values_list(
            "pemda_id", "sub_indicator_id", "state", "value"
        )
    }
    with_evidence = set(
        Evidence.objects.filter(
            answer__period=period, answer__pemda_id__in=due, replaced_at__isnull=True
        ).values_list("answer__pemda_id", "answer__sub_indicator_id")
    )

    def unfinished(pemda_id: int, sub: SubIndicator) -> bool:
        state, value = answers.get((pemda_id, sub.pk), (Answer.State.DRAFT, None))
        if state == Answer.State.RETURNED:
            return True
        return state == Answer.State.DRAFT and not sub.is_complete(
            value, (pemda_id, sub.pk) in with_evidence
        )

    open_items: dict[tuple[int, int], int] = defaultdict(int)  # (pemda, opd) -> count
    for pemda_id, opd_id, indicator_id in IndicatorAssignment.objects.filter(
        indicator__catalogue=catalogue, pemda_id__in=due
    ).values_list("pemda_id", "opd_id", "indicator_id"):
        open_items[(pemda_id, opd_id)] += sum(unfinished(pemda_id, s) for s in subs[indicator_id])
    operators: dict[int, list[User]] = defaultdict(list)
    for role in RoleAssignment.objects.filter(
        role=Role.OPERATOR, opd_id__in={opd for (_p, opd), n in open_items.items() if n}
    ).select_related("user"):
        operators[role.opd_id].append(role.user)  # type: ignore[index]
    pemdas = Pemda.objects.in_bulk(list(due))
    sent = 0
    for (pemda_id, opd_id), count in open_items.items():
        if not count or not operators.get(opd_id):
            continue
        days = due[pemda_id]
        sent += len(
            notify(
                recipients=operators[opd_id],
                title=partial(_reminder_title, days=days, number=period.number),
                body=partial(_reminder_body, pemda=pemdas[pemda_id], count=count),
                url=reverse("mcp:work") + f"?opd={opd_id}",
                key=f"mcp-reminder:{period.pk}:{pemda_id}:{days}",
            )
        )
    return sent


def _reminder_title(*, days: int, number: int) -> str:
    return ngettext(
        "%(days)d hari lagi: batas unggah MCP termin %(n)d",
        "%(days)d hari lagi: batas unggah MCP termin %(n)d",
        days,
    ) % {"days": days, "n": number}


def _reminder_body(*, pemda: Pemda, count: int) -> str:
    return ngettext(
        "%(pemda)s: %(count)d item OPD Anda belum lengkap atau dikembalikan.",
        "%(pemda)s: %(count)d item OPD Anda belum lengkap atau dikembalikan.",
        count,
    ) % {
        "pemda": pemda,
        "count": count,
    }
