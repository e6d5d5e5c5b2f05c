"""No row a reporter's act creates may say the time of day (docs/subsystems/wbs-privacy.md).

A new DateTimeField, or an automatic timestamp of any kind, on a reporter-side model fails here,
so it is a decision someone makes on purpose, not an accident of a migration.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

# Models whose rows a reporter's act creates or changes (the report, its thread, its files).
REPORTER_SIDE = [
    "wbs.Report",
    "wbs.Message",
    "wbs.Attachment",
    "wbs.StateChange",
    "wbs.SpentChallenge",
    "uploads.StoredFile",
]
# Times kept on purpose, each with why it points at no one (none today).
KNOWN: set[tuple[str, str]] = set()


def _timed_fields(label: str) -> list[str]:
    model = apps.get_model(label)
    found = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field):
            continue
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if isinstance(field, models.DateTimeField | models.TimeField) or automatic:
            found.append(field.name)
        elif field.has_default() and callable(field.default):
            name = getattr(field.default, "__name__", "")
            if name in {"now", "localtime"}:
                found.append(field.name)
    return found


@pytest.mark.parametrize("label", REPORTER_SIDE)
def test_reporter_side_rows_keep_no_time_of_day(label) -> None:
    unexpected = [f for f in _timed_fields(label) if (label, f) not in KNOWN]
    assert unexpected == [], f"{label} would record when a reporter acted: {unexpected}"


def test_the_check_sees_a_timestamp(monkeypatch) -> None:
    """The check itself can fail: a DateTimeField added to Message is seen."""
    field = models.DateTimeField(auto_now_add=True)
    field.set_attributes_from_name("sent_at")
    field.model = apps.get_model("wbs.Message")
    monkeypatch.setattr(
        apps.get_model("wbs.Message")._meta,
        "get_fields",
        lambda **kw: [field],
    )
    assert _timed_fields("wbs.Message") == ["sent_at"]
