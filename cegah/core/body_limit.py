"""Request bodies larger than their address allows are refused before anything reads them.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields, not files: before this, a 120 MB
anonymous POST to the WBS report form was read whole, into memory and temporary files, before
the form refused it. Here a body is refused with 413 from its Content-Length alone, unread. A
body sent without a length (chunked) is counted as it is read, into a spooled temporary file,
and refused as soon as it passes the limit.

The limit of an address is REQUEST_BODY_LIMITS_MB[its URL name] (the forms that take files: their
files' limits plus room for the text), else REQUEST_BODY_MAX_MB. The URL is resolved only for a
body above the default, so every other request costs a comparison.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import BinaryIO, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .middleware import API_PREFIX

MB = 1024 * 1024
CHUNK = 64 * 1024


def default_limit() -> int:
    return int(settings.REQUEST_BODY_MAX_MB) * MB


def limit_for(path: str) -> int:
    """The largest body, in bytes, that the view at `path` is sent."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        return default_limit()
    limits: dict[str, int] = settings.REQUEST_BODY_LIMITS_MB
    return limits[name] * MB if name in limits else default_limit()


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        announced = _content_length(request)
        if announced is not None:
            if announced > default_limit() and announced > (limit := limit_for(request.path_info)):
                return too_large(request, limit)
        elif _is_chunked(request):
            limit = limit_for(request.path_info)
            if not _spool(request, limit):
                return too_large(request, limit)
        return self.get_response(request)


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _is_chunked(request: HttpRequest) -> bool:
    # Only a server that ends the input at the body's end (gunicorn says so) can be read to the
    # end without a length; others give Django no body at all without one.
    return bool(
        request.META.get("wsgi.input_terminated")
        and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    )


def _spool(request: HttpRequest, limit: int) -> bool:
    """Reads a body of unknown length up to `limit` bytes into a temporary file (on disk past
    FILE_UPLOAD_MAX_MEMORY_SIZE) and hands it to Django as if its length had been announced;
    False, having read one byte more than allowed and nothing after it, if it is larger."""
    source = request.META["wsgi.input"]
    # Not closed here: the request reads it later, as it would have read the input.
    spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while chunk := source.read(min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            spooled.close()
            return False
        spooled.write(chunk)
    spooled.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    request._stream = cast(BinaryIO, spooled)  # read as far as it goes: CONTENT_LENGTH
    return True


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413 in the reader's language: JSON for the API, else a short page."""
    megabytes = f"{limit / MB:g}"
    if request.path.startswith(API_PREFIX):
        message = _("Isi permintaan melebihi batas %(limit)s MB.") % {"limit": megabytes}
        return JsonResponse({"detail": message}, status=413)
    page = render_to_string("core/too_large.html", {"limit": megabytes})
    return HttpResponse(page, status=413)
