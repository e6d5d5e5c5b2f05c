"""The public page cache cannot be filled by anyone: a page is keyed by the query parameters it
reads, and the pages' cache is bounded whatever addresses visitors make up (security issue,
item 8: `?utm=N` for many N grew one worker by about 230 KB a request)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cegah.public import page_cache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _stored_pages() -> dict[str, bytes]:
    """Whole pages held in this process's cache, as kept (locmem's own dictionary: what it
    holds is what these tests are about)."""
    return {k: v for k, v in cache._cache.items() if "public-page:" in k}  # type: ignore[attr-defined]


def _page_entries() -> int:
    return len(_stored_pages())


def test_junk_query_strings_all_share_the_one_entry_of_their_page(published) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    visitor = Client()
    plain = visitor.get(url)
    assert plain.status_code == 200
    for n in range(2_000):
        assert visitor.get(url, {"utm": n}).status_code == 200
    assert _page_entries() == 1
    # The page served for a junk address is the page itself: the language switch sends the
    # visitor back without the junk.
    page = visitor.get(url, {"utm_source": "iklan"}).content.decode()
    assert f'name="next" type="hidden" value="{url}"' in page
    assert "iklan" not in page


def test_the_parameters_a_page_reads_still_choose_what_it_shows(published) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    visitor = Client()
    kota = visitor.get(url, {"jenis": "kota", "utm": "1"})
    assert kota.context["filters"]["kind"] == "kota"  # made now, from what the page reads
    assert {r.pemda.kind for r in kota.context["page"]} == {"kota"}
    assert f'value="{url}?jenis=kota"' in kota.content.decode()  # the switch keeps it
    # Asked again under other junk: the same kota page, from the cache.
    again = visitor.get(url, {"utm": "2", "jenis": "kota"})
    assert again.context is None
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", kota.content.decode())
    assert visitor.get(url, {"utm": "1"}).context["filters"]["kind"] == "provinsi"
    assert _page_entries() == 2
    pemda = reverse("public:pemda", kwargs={"code": "12.75"})
    assert visitor.get(pemda, {"tahun": "2024", "fbclid": "x"}).context["snapshot"].year == 2024
    assert visitor.get(pemda, {"fbclid": "y"}).context["snapshot"].year == 2025
    assert _page_entries() == 4


def test_pages_take_at_most_their_slots_of_the_cache_whatever_is_searched(
    published, settings
) -> None:
    settings.PAGE_CACHE_SLOTS = 40
    url = reverse("public:national", kwargs={"year": 2025})
    visitor = Client()
    for n in range(300):  # searches the page reads: each its own page
        assert visitor.get(url, {"q": f"cari {n}"}).status_code == 200
    assert 20 <= _page_entries() <= 40
    assert all(len(kept) <= page_cache.MAX_STORED_BYTES + 1024 for kept in _stored_pages().values())
    # The newest search is kept: asked again, it comes from the cache.
    assert visitor.get(url, {"q": "cari 299"}).context is None


def test_a_page_too_large_to_keep_is_served_and_not_kept(published, monkeypatch) -> None:
    monkeypatch.setattr(page_cache, "MAX_STORED_BYTES", 100)
    url = reverse("public:national", kwargs={"year": 2025})
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert second.context is not None  # made again
    assert _page_entries() == 0


def test_junk_parameters_do_not_fill_the_api_cache(published) -> None:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    url = f"/api/v1/scores/{max(published)}/"
    first = client.get(url).content
    before = len(getattr(cache, "_cache", {}))
    for n in range(200):
        assert client.get(url, {"utm": n}).content == first
    assert len(getattr(cache, "_cache", {})) == before
    assert client.get(url, {"page_size": 1}).content != first  # a parameter it reads still counts
