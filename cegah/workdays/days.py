"""Indonesian working days, shared by WBS, UPG and MCP deadlines.

A working day is Monday to Friday, except national holidays and cuti bersama. Both come from the
`holidays` library's Indonesian calendar (categories `public` and `government`); the file named
by WORKDAYS_OVERRIDES (data/workdays/overrides.yaml) adds or cancels days on top, never a
hand-kept table of the whole year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays
import yaml
from django.conf import settings

MAX_SPAN_DAYS = 3660  # ten years: a service level beyond that is a mistake, not a deadline


@cache
def _overrides(path: str) -> dict[date, tuple[bool, str]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        item["date"]: (bool(item["working"]), str(item.get("name", "")))
        for item in data.get("overrides") or []
    }


def overrides() -> dict[date, tuple[bool, str]]:
    return _overrides(str(settings.WORKDAYS_OVERRIDES))


@cache
def _library_days_off(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(calendar.items())


def days_off(year: int) -> dict[date, str]:
    """National holidays and cuti bersama of a year, with their Indonesian names."""
    days = dict(_library_days_off(year))
    for day, (working, name) in overrides().items():
        if day.year != year:
            continue
        if working:
            days.pop(day, None)
        else:
            days[day] = name
    return days


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:
        working, _ = overrides().get(day, (False, ""))
        return working  # only an explicit override makes a weekend day a working day
    return day not in days_off(day.year)


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (which itself does not count)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day, found = start, 0
    while found < count:
        day += timedelta(days=1)
        if (day - start).days > MAX_SPAN_DAYS:
            raise ValueError("too many working days")
        found += is_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not later)."""
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("span too long")
    return sum(is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))
