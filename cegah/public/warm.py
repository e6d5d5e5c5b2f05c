"""The public pages a publication changes, made before its first visitors ask for them.

A publication makes every cached public page stale at once (their keys hold its time), and the
news brings the visitors at once: on a 2-core machine the first minute of a 1,000-visitor spike
spent its time making each Pemda's page for the first time, 0.2 s each alone and 1 to 2 s each
while the spike queued behind them (bench/README.md, "Capacity"). So once a publication is
committed the task worker asks for those pages itself, as an anonymous visitor would, through
the whole application, and the page cache keeps them. This only helps where the cache is shared
by the server's processes (`CACHE_URL`, Redis): a process's own memory cannot be filled from
another process, so it is then not done (`PUBLIC_PAGES_WARM`).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.urls import reverse

from cegah.mcp.models import PemdaScore, ScoreSnapshot
from cegah.mcp.score_selectors import published_snapshots

logger = logging.getLogger(__name__)


def pages_of(snapshot: ScoreSnapshot) -> Iterator[str]:
    """The addresses the publication changes, the most visited first: the front door, the
    ranking and its file, the API, then each ranked Pemda's page and profile."""
    year = snapshot.year
    yield reverse("home:home")
    yield reverse("public:national", args=[year])
    yield reverse("public:ranking_csv", args=[year])
    yield reverse("api_scores", args=[year])
    yield reverse("api_profiles")
    codes = (
        PemdaScore.objects.filter(snapshot=snapshot)
        .values_list("pemda__code", flat=True)
        .distinct()
        .order_by("pemda__code")
    )
    for code in codes:
        yield reverse("public:pemda", args=[code])
        yield reverse("public:profile", args=[code])


def public_pages_warm(*, year: int | None = None) -> dict[str, int]:
    """Asks for each page of the year's latest publication (the latest year published when
    none is named) as an anonymous visitor, in this process; returns how many answered 200 and
    how many did not (logged, not raised: a page that fails here is made by its first visitor
    as before)."""
    published = published_snapshots()
    snapshot = (published.filter(year=year) if year is not None else published).first()
    if snapshot is None:
        return {"made": 0, "failed": 0}
    application = WSGIHandler()
    made = failed = 0
    for path in pages_of(snapshot):
        status = _visit(application, path)
        if status == 200:
            made += 1
        else:
            failed += 1
            logger.warning("public page %s answered %s while being made ready", path, status)
    return {"made": made, "failed": failed}


def _visit(application: WSGIHandler, path: str) -> int:
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": site.hostname or "localhost",
            "SERVER_PORT": str(site.port or (443 if secure else 80)),
            "HTTP_HOST": site.netloc,
            "SERVER_PROTOCOL": "HTTP/1.1",
            # The language a visitor gets who asks for none: the one most visitors read.
            "HTTP_ACCEPT_LANGUAGE": settings.LANGUAGE_CODE,
            "wsgi.url_scheme": site.scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
    )
    # Through every middleware and the page cache, but not through the WSGI call itself: its
    # request_started and request_finished would close this process's database connection
    # after every page (a thousand reconnections, and inside a transaction a broken one). The
    # page cache keeps whole pages only, none streamed or holding a file: nothing to close.
    response = application.get_response(request)
    return response.status_code
