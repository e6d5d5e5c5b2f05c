"""A recompute started from the server's shell is audited like one started in the app."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cegah.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_recompute_from_the_command_line_is_audited(world, catalogue_2025) -> None:
    call_command("mcp_scores", "recompute", "--year", "2025", verbosity=0)
    entry = AuditEntry.objects.get(action="mcp.scores.recompute")
    assert entry.actor is None and entry.data["via"] == "manage.py mcp_scores"
