"""Request bodies larger than their address allows are refused before anything reads them
(security issue, item 9: a 120 MB anonymous POST to the WBS form was read whole, then refused)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "batas-kiriman"
FILE_PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; '
    f'filename="rekaman.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n'
).encode()


class MadeAsRead:
    """A request body of `size` bytes, `head` then zeros, made only as the server reads it, so
    a test can send 120 MB without holding them and tell how much was read."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head, self.size, self.given = head, size, 0

    def read(self, wanted: int | None = -1) -> bytes:
        left = self.size - self.given
        count = left if wanted is None or wanted < 0 else min(wanted, left)
        start, self.given = self.given, self.given + count
        part = self.head[start : start + count]
        return part + b"\x00" * (count - len(part))

    def readline(self, wanted: int | None = -1) -> bytes:
        return self.read(wanted)


def _post(client: Client, path: str, body: MadeAsRead, *, announced: bool = True, **extra):
    meta: dict[str, Any] = {
        "wsgi.input": body,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        **extra,
    }
    if announced:
        meta["CONTENT_LENGTH"] = str(body.size)
    else:  # sent chunked, as gunicorn hands it on: no length, the input ends with the body
        meta.update(
            {
                "CONTENT_LENGTH": "",
                "HTTP_TRANSFER_ENCODING": "chunked",
                "wsgi.input_terminated": True,
            }
        )
    return client.generic("POST", path, **meta)  # the body is the stream, given in meta


def test_a_120_mb_post_to_the_report_form_is_refused_unread(world) -> None:
    body = MadeAsRead(FILE_PART, 120 * MB)
    url = reverse("wbs_public:report_new", args=[world.binjai.code])
    response = _post(Client(), url, body)
    assert response.status_code == 413
    assert body.given == 0  # not one byte read
    page = response.content.decode()
    limit = settings.WBS_ATTACHMENTS_PER_MESSAGE * settings.WBS_ATTACHMENT_MAX_MB + 1
    assert "Kiriman terlalu besar" in page and f"{limit} MB" in page
    # In the reader's language.
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        '<html lang="en">' in _post(english, url, MadeAsRead(FILE_PART, 120 * MB)).content.decode()
    )


def test_each_address_has_its_own_limit(world) -> None:
    # The report form takes its five attachments; evidence one file; everything else 1 MB.
    report_form = reverse("wbs_public:report_new", args=[world.binjai.code])
    assert _post(Client(), report_form, MadeAsRead(FILE_PART, 90 * MB)).status_code != 413
    evidence = reverse("mcp:work_evidence", args=[world.binjai.code, 1])
    assert _post(Client(), evidence, MadeAsRead(FILE_PART, 30 * MB)).status_code == 413
    sign_in = reverse("accounts:login")
    assert _post(Client(), sign_in, MadeAsRead(FILE_PART, 2 * MB)).status_code == 413
    api = _post(Client(), "/api/v1/provinsi/", MadeAsRead(FILE_PART, 2 * MB))
    assert api.status_code == 413 and "1 MB" in json.loads(api.content)["detail"]


def test_the_forms_that_take_files_take_them(world) -> None:
    """A recommendation's follow-up takes its five evidence files; the history import a table."""
    follow_up = reverse("mcp:recommendation_follow_up", args=[1])
    assert _post(Client(), follow_up, MadeAsRead(FILE_PART, 30 * MB)).status_code != 413
    history = reverse("mcp:history_import")
    assert _post(Client(), history, MadeAsRead(FILE_PART, 3 * MB)).status_code != 413
    assert _post(Client(), history, MadeAsRead(FILE_PART, 6 * MB)).status_code == 413


def test_a_body_without_a_length_is_counted_and_refused_past_the_limit(world) -> None:
    body = MadeAsRead(FILE_PART, 50 * MB)
    response = _post(Client(), reverse("accounts:login"), body, announced=False)
    assert response.status_code == 413
    assert body.given <= MB + 64 * 1024  # read up to the limit, not further
    # Within the limit, the body is read and handed on as if its length had been sent.
    small = MadeAsRead(b"language=en&next=/publik/", 25)
    switched = _post(
        Client(),
        reverse("set_language"),
        small,
        announced=False,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )
    assert switched.status_code == 302 and switched["Location"] == "/publik/"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
