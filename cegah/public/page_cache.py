"""Whole public pages, cached for visitors who are not signed in.

Published scores never change, so a public page is the same for every anonymous visitor except
for the CSRF token of the language switch. The page is stored with that token replaced by a
placeholder and each visitor gets their own token put back. The key holds a marker of what
else the page shows that can change (a new publication, a finished data file), so nothing is
served staler than the page's own cached fragments already are.

A page is keyed by the query parameters it reads, which it declares, and is made from those
alone: any other parameter (`?utm=…`) neither makes a new entry nor shows in the page. Pages are
kept compressed in a fixed number of slots of the cache (`PAGE_CACHE_SLOTS`, each page may use
one of two), none larger than MAX_STORED_BYTES: however many addresses visitors make up, pages
never take more than that many slots of that size, nor push the fragments out of the cache.
"""

from __future__ import annotations

import functools
import hashlib
import time
import zlib
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from cegah.mcp.models import ScoreJob, ScoreSnapshot

PLACEHOLDER = b"__cegah_csrf_token__"
TIMEOUT = 24 * 3600
# A parameter's value is cut to this many characters for the key and the page (each page cuts
# its own to fewer: the ranking's search to 60).
MAX_VALUE_LENGTH = 100
# A page larger than this once compressed is served but not kept: with the number of slots, this
# bounds the pages' memory (they are 5 to 50 KB compressed).
MAX_STORED_BYTES = 128 * 1024


Marker = Callable[..., str]
# A stored page: its key's digest, when it was stored, its compressed HTML, content type and
# Content-Disposition ("" for a page; a download's file name otherwise).
Stored = tuple[str, float, bytes, str, str] | None


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


def first_row(query: Callable[[], QuerySet[Any]], *fields: str) -> tuple[Any, ...] | None:
    sql, params = _compiled(query, *fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def publication_marker(**_kwargs: Any) -> str:
    """Changes whenever any version is published."""
    latest = first_row(_latest_publication, "published_at")
    return "-" if latest is None else str(latest[0])


def national_marker(**kwargs: Any) -> str:
    """A publication, or a full data file finished (the page offers it). One query: the page
    itself comes from the cache, so this is most of what a visitor costs."""
    latest = first_row(_latest_publication_and_export, "published_at", "exported")
    return "-" if latest is None else f"{latest[0]}|{latest[1]}"


def cached_for_anonymous(
    marker: Marker = publication_marker, *, reads: Sequence[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Caches the view's page for anonymous visitors. `reads` names every query parameter the
    view reads (`request.GET`); the cached page is made and keyed with those alone."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return _serve(view, marker, tuple(reads), request, *args, **kwargs)

        return wrapped

    return decorate


def page_query(request: HttpRequest, reads: Sequence[str]) -> str:
    """The query string of the parameters a page reads, in the order it declares them, each
    with the value the page reads (the last one given), cut to MAX_VALUE_LENGTH."""
    return urlencode(
        [(name, request.GET[name][:MAX_VALUE_LENGTH]) for name in reads if name in request.GET]
    )


def _serve(
    view: Callable[..., HttpResponse],
    marker: Marker,
    reads: tuple[str, ...],
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
    # The page is made from what its key holds and nothing else: parameters it does not read
    # are dropped, so they cannot make another entry, nor appear in it (the language switch
    # sends the visitor back to request.get_full_path()).
    query = page_query(request, reads)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    identity = "|".join([view.__name__, request.path, query, get_language(), marker(**kwargs)])
    digest = hashlib.sha256(identity.encode()).hexdigest()
    token = get_token(request)  # also makes sure the visitor gets the CSRF cookie
    slots = slots_of(digest)
    held: dict[str, Stored] = {}
    for slot in slots:
        held[slot] = kept = cache.get(slot)
        if kept is not None and kept[0] == digest:
            _page, _when, packed, content_type, disposition = kept
            content = zlib.decompress(packed)
            response = HttpResponse(content.replace(PLACEHOLDER, token.encode()), content_type)
            if disposition:
                response["Content-Disposition"] = disposition
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
            packed = zlib.compress(html.encode(response.charset), 1)
            if len(packed) <= MAX_STORED_BYTES:
                # An empty slot of the two, else the one filled longer ago.
                slot = min(slots, key=lambda s: _stored_at(held[s]))
                entry: Stored = (
                    digest,
                    time.time(),
                    packed,
                    response["Content-Type"],
                    response.get("Content-Disposition", ""),
                )
                cache.set(slot, entry, TIMEOUT)
                response["ETag"] = _etag(digest, request)
    return response


def _stored_at(stored: Stored) -> float:
    return -1.0 if stored is None else stored[1]


def slots_of(digest: str) -> tuple[str, str]:
    """The two cache keys a page may be kept under, out of PAGE_CACHE_SLOTS: pages whose first
    slot is taken by another page can use their second, so two busy pages seldom take turns
    pushing each other out."""
    count = int(settings.PAGE_CACHE_SLOTS)
    number = int(digest[:16], 16)
    first, second = number % count, (number // count) % count
    return f"public-page:{first}", f"public-page:{second}"


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
