"""Whole public pages cached for anonymous visitors: fast, never stale, and each visitor's own
CSRF token still works."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cegah.testing.clients import sign_in

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_second_visitor_gets_the_cached_page_with_a_token_of_their_own(
    published, django_assert_max_num_queries
) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    first = Client(enforce_csrf_checks=True)
    first_page = first.get(url).content.decode()
    second = Client(enforce_csrf_checks=True)
    with django_assert_max_num_queries(1):  # the marker; the page itself comes from the cache
        second_page = second.get(url).content.decode()
    assert TOKEN.sub("", first_page) == TOKEN.sub("", second_page)
    token, first_token = TOKEN.findall(second_page)[0], TOKEN.findall(first_page)[0]
    assert token != first_token
    # The cached page's language switch works for the second visitor.
    switched = second.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert '<html lang="en">' in second.get(url).content.decode()
    assert '<html lang="id">' in first.get(url).content.decode()


def test_signed_in_people_get_their_own_page(published, world) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    Client().get(url)  # fills the cache
    page = sign_in(Client(), world.admin_binjai).get(url).content.decode()
    assert "Budi Nasution" in page
    assert "Budi Nasution" not in Client().get(url).content.decode()


def test_a_visitor_revalidating_the_page_gets_304_until_a_new_publication(published, world) -> None:
    from cegah.mcp.services.scores import scores_publish

    url = reverse("public:national", kwargs={"year": 2025})
    visitor = Client()
    first = visitor.get(url)
    again = visitor.get(url)
    assert first["ETag"] == again["ETag"] and first["ETag"].startswith('W/"')
    assert visitor.get(url, headers={"If-None-Match": again["ETag"]}).status_code == 304
    # Another visitor's token belongs to another CSRF secret: another tag.
    assert Client().get(url)["ETag"] != again["ETag"]
    scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    fresh = visitor.get(url, headers={"If-None-Match": again["ETag"]})
    assert fresh.status_code == 200 and fresh["ETag"] != again["ETag"]
