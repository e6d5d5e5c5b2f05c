"""When daily background work runs again: shared by every module's self-rescheduling tasks."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

WIB = ZoneInfo("Asia/Jakarta")


def next_morning(now: datetime) -> datetime:
    """07.00 WIB tomorrow: reminders arrive at the start of the working day."""
    local = timezone.localtime(now, WIB)
    return datetime.combine(local.date() + timedelta(days=1), time(7, 0), tzinfo=WIB)
