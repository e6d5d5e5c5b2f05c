"""While the database cannot be reached, a request is told to try again (503 with Retry-After),
as a page or as the API's JSON, never a server error's page or a stack trace."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def _database_down():
    refused = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    return mock.patch.object(CursorWrapper, "execute", side_effect=refused)


@pytest.mark.parametrize("url", ["/", "/publik/mcp/2025/"])
def test_a_page_says_try_again_while_the_database_is_down(regions, url) -> None:
    client = Client(raise_request_exception=False)
    with _database_down():
        page = client.get(url)
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    text = page.content.decode()
    assert "Coba lagi sebentar lagi" in text
    assert "Traceback" not in text and "OperationalError" not in text


def test_the_api_says_try_again_in_json(regions) -> None:
    client = Client(raise_request_exception=False)
    with _database_down():
        answer = client.get("/api/v1/pemda/")
    assert answer.status_code == 503 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Layanan sedang sibuk. Coba lagi sebentar lagi."}


def test_other_errors_keep_the_500_page(regions) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch.object(CursorWrapper, "execute", side_effect=ZeroDivisionError):
        page = client.get("/publik/mcp/2025/")
    assert page.status_code == 500
    assert "Terjadi kesalahan" in page.content.decode()


def test_the_next_request_is_served_once_the_database_is_back(regions) -> None:
    client = Client(raise_request_exception=False)
    with _database_down():
        assert client.get("/publik/mcp/2025/").status_code == 503
    assert client.get("/publik/mcp/2025/").status_code in (200, 404)
