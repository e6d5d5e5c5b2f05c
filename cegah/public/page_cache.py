"""Whole public pages, cached for visitors who are not signed in.

Published scores never change, so a public page is the same for every anonymous visitor except
for the CSRF token of the language switch. The page is stored with that token replaced by a
placeholder and each visitor gets their own token put back. The key holds a marker of what
else the page shows that can change (a new publication, a finished data file), so nothing is
served staler than the page's own cached fragments already are.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from cegah.mcp.models import ScoreJob, ScoreSnapshot

PLACEHOLDER = b"__cegah_csrf_token__"
TIMEOUT = 24 * 3600


Marker = Callable[..., str]


def _latest_publication() -> QuerySet[ScoreSnapshot]:
    return ScoreSnapshot.objects.filter(state=ScoreSnapshot.State.PUBLISHED).order_by(
        "-published_at"
    )


def _latest_publication_and_export() -> QuerySet[ScoreSnapshot]:
    exported = ScoreJob.objects.filter(
        kind=ScoreJob.Kind.EXPORT, state=ScoreJob.State.DONE
    ).order_by("-pk")
    return _latest_publication().annotate(exported=Subquery(exported.values("pk")[:1]))


@functools.cache
def _compiled(query: Callable[[], QuerySet[Any]], *fields: str) -> tuple[str, tuple[Any, ...]]:
    # The markers run on every cached page served; building their SQL through the ORM took
    # several times longer than running it, so each is compiled once per process.
    return query().values_list(*fields)[:1].query.sql_with_params()


def _first_row(query: Callable[[], QuerySet[Any]], *fields: str) -> tuple[Any, ...] | None:
    sql, params = _compiled(query, *fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def publication_marker(**_kwargs: Any) -> str:
    """Changes whenever any version is published."""
    latest = _first_row(_latest_publication, "published_at")
    return "-" if latest is None else str(latest[0])


def national_marker(**kwargs: Any) -> str:
    """A publication, or a full data file finished (the page offers it). One query: the page
    itself comes from the cache, so this is most of what a visitor costs."""
    latest = _first_row(_latest_publication_and_export, "published_at", "exported")
    return "-" if latest is None else f"{latest[0]}|{latest[1]}"


def cached_for_anonymous(
    marker: Marker = publication_marker,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return _serve(view, marker, request, *args, **kwargs)

        return wrapped

    return decorate


def _serve(
    view: Callable[..., HttpResponse],
    marker: Marker,
    request: HttpRequest,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    if (
        request.user.is_authenticated
        or request.headers.get("HX-Request") == "true"
        or len(get_messages(request))  # a pending message is shown, not skipped
    ):
        return view(request, *args, **kwargs)
    identity = "|".join([view.__name__, request.get_full_path(), get_language(), marker(**kwargs)])
    digest = hashlib.sha256(identity.encode()).hexdigest()
    key = "public-page:" + digest
    token = get_token(request)  # also makes sure the visitor gets the CSRF cookie
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content.replace(PLACEHOLDER, token.encode()), content_type)
        response["ETag"] = _etag(digest, request)
        return response
    response = view(request, *args, **kwargs)
    if response.status_code == 200 and not getattr(response, "streaming", False):
        html = response.content.decode(response.charset)
        # Every {% csrf_token %} of this render holds the same token.
        tokens = set(_tokens_in(html))
        if len(tokens) <= 1:
            for found in tokens:
                html = html.replace(found, PLACEHOLDER.decode())
            cache.set(key, (html.encode(response.charset), response["Content-Type"]), TIMEOUT)
            response["ETag"] = _etag(digest, request)
    return response


def _etag(page: str, request: HttpRequest) -> str:
    """Weak: the same page with the same visitor's CSRF secret, whose token is masked afresh on
    every answer. Saves hashing the whole page, and lets a browser's copy answer 304."""
    secret = hashlib.sha256(str(request.META.get("CSRF_COOKIE", "")).encode()).hexdigest()
    return f'W/"{page[:32]}-{secret[:12]}"'


def _tokens_in(html: str) -> list[str]:
    marker = 'name="csrfmiddlewaretoken" value="'
    found = []
    start = html.find(marker)
    while start != -1:
        begin = start + len(marker)
        found.append(html[begin : html.index('"', begin)])
        start = html.find(marker, begin)
    return found
