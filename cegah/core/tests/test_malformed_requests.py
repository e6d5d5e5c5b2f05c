"""A NUL character (0x00), which PostgreSQL text cannot hold, in any part of a request is
refused as malformed instead of failing in the database with a server error."""

import pytest
from django.urls import reverse

from cegah.wbs.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/publik/pemda/12.7%005/",  # a code in the address
        "/publik/mcp/2025/?provinsi=%00",  # a page's filter
        "/lapor/?q=%00",  # the reporter's Pemda search
    ],
)
def test_a_nul_in_the_address_or_query_is_a_bad_request(client, regions, url) -> None:
    page = client.get(url)
    assert page.status_code == 400
    assert "Permintaan tidak valid" in page.content.decode()


def test_the_api_refuses_a_nul_in_json_its_clients_read(client, regions) -> None:
    answer = client.get("/api/v1/pemda/?province=%00")
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json"
    assert "karakter NUL" in answer.json()["detail"]


def test_the_bad_request_page_is_in_the_readers_language(client, regions) -> None:
    client.cookies["django_language"] = "en"
    page = client.get("/publik/pemda/%00/")
    assert page.status_code == 400 and "Invalid request" in page.content.decode()


def test_a_nul_in_a_posted_field_or_a_cookie_changes_nothing(client, world) -> None:
    sent = client.post(
        reverse("wbs_public:report_new", kwargs={"code": "12.75"}),
        {"category": "korupsi", "description": "Setoran\x00 10%"},
    )
    assert sent.status_code == 400
    assert not Report.objects.exists()
    client.cookies["sessionid"] = "a" * 20 + "\x00"
    assert client.get(reverse("home:home")).status_code == 400
