"""Sending a stored file back: always as a download the browser will not render or keep."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .models import StoredFile


def _harden(response: HttpResponse | FileResponse, filename: str) -> None:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"  # never sniffed into HTML or script
    # Evidence and reports are read on shared office computers: nothing stays in a cache.
    response["Cache-Control"] = "no-store, private"


def download_response(
    *, filename: str, content_type: str, stored: StoredFile | None = None, content: bytes = b""
) -> HttpResponse | FileResponse:
    """The download of a file the caller has already checked the person may read.

    Give `stored` to stream the bytes as stored, or `content` for bytes the caller unsealed.
    """
    response: HttpResponse | FileResponse
    if stored is not None:
        response = FileResponse(stored.file.open("rb"), content_type=content_type)
    else:
        response = HttpResponse(content, content_type=content_type)
    _harden(response, filename)
    return response
