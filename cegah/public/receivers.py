"""What the public pages do when a module below them tells of a change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from cegah.mcp.models import ScoreSnapshot
from cegah.mcp.signals import scores_published

from .tasks import pages_warm


@receiver(scores_published, dispatch_uid="cegah.public.pages_warm")
def publication_pages_warm(sender: Any, snapshot: ScoreSnapshot, **_kwargs: Any) -> None:
    if settings.PUBLIC_PAGES_WARM:  # a shared cache only (cegah/public/warm.py)
        pages_warm.enqueue(snapshot.year)
