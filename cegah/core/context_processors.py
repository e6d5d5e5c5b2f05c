"""What every page needs to say about the installation itself."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def installation(request: HttpRequest) -> dict[str, object]:
    """DEMO: the pages carry a "Data contoh" banner (generated figures are never passed off as
    published ones); PUBLISHER: who publishes the scores, from configuration."""
    return {"DEMO": settings.DEMO, "PUBLISHER": settings.PUBLISHER_NAME}
