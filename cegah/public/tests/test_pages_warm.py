"""After a publication the public pages it changed are made before the news brings visitors."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from cegah.mcp.models import PemdaScore
from cegah.mcp.services.scores import scores_publish
from cegah.public import warm
from cegah.public.warm import pages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_pages(monkeypatch) -> None:
    """The national pages and the first two Pemda's: making all 546 Pemda's takes a minute."""
    every = warm.pages_of
    monkeypatch.setattr(warm, "pages_of", lambda snapshot: list(every(snapshot))[:9])


def test_the_pages_made_are_those_a_publication_changes(published) -> None:
    snapshot = published[2025]
    ranked = PemdaScore.objects.filter(snapshot=snapshot).values("pemda").distinct().count()
    paths = list(pages_of(snapshot))
    assert paths[:5] == [
        "/",
        "/publik/mcp/2025/",
        "/publik/mcp/2025/peringkat.csv",
        "/api/v1/scores/2025/",
        "/api/v1/profiles/",
    ]
    assert paths[5:7] == ["/publik/pemda/11/", "/publik/pemda/11/profil/"]  # Aceh
    assert len(paths) == 5 + 2 * ranked and ranked > 500  # every Pemda the scores rank


def _first_visits_cost(django_assert_max_num_queries, paths: list[str]) -> None:
    for path in paths:
        # Only the page's marker is read: the page comes made from the cache.
        with django_assert_max_num_queries(1):
            assert Client().get(path).status_code == 200, path


def test_a_publication_makes_its_pages_before_their_first_visitor(
    published,
    world,
    settings,
    few_pages,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
) -> None:
    settings.PUBLIC_PAGES_WARM = True
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    paths = list(warm.pages_of(snapshot))
    assert len(paths) == 9
    _first_visits_cost(django_assert_max_num_queries, paths)


def test_without_a_shared_cache_a_publication_leaves_the_pages_to_their_visitors(
    published, world, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    settings.PUBLIC_PAGES_WARM = False
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    path = next(p for p in pages_of(snapshot) if "/pemda/" in p)
    with pytest.raises(pytest.fail.Exception):  # made by its first visitor: more than the marker
        _first_visits_cost(django_assert_max_num_queries, [path])


def test_the_command_makes_the_latest_publication_ready_after_a_deploy(
    published, few_pages, django_assert_max_num_queries, capsys
) -> None:
    cache.clear()  # a new release: its keys hold none of the old pages
    call_command("public_warm")
    assert capsys.readouterr().out.strip() == "9 page(s) made ready, 0 failed"
    snapshot = published[2025]
    _first_visits_cost(django_assert_max_num_queries, list(warm.pages_of(snapshot)))
    call_command("public_warm", "--year", "1999")
    assert capsys.readouterr().out.strip() == "0 page(s) made ready, 0 failed"
