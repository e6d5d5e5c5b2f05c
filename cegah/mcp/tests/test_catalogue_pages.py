"""The catalogue browser, its search and the year comparison, through HTTP."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_catalogue_needs_a_signed_in_user(client, catalogue_2025) -> None:
    response = client.get(reverse("mcp:catalogue", kwargs={"year": 2025}))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_latest_year_opens_by_default(world, catalogues, login) -> None:
    response = login(world.operator_binjai).get(reverse("mcp:catalogue_latest"))
    assert response["Location"] == reverse("mcp:catalogue", kwargs={"year": 2025})


def test_the_browser_shows_areas_indicators_guidance_and_evidence(
    world, catalogue_2025, login
) -> None:
    page = login(world.operator_binjai).get(reverse("mcp:catalogue", kwargs={"year": 2025}))
    text = page.content.decode()
    for expected in (
        "PRC · Perencanaan",
        "Musrenbang terdokumentasi",
        "Apakah notulen Musrenbang diunggah?",
        "Notulen",
        "(pdf)",
        "Hitung dari KIB A.",
        "Target: 10.000",
        "Sebagian = 0,5",  # numbers in the Indonesian way
    ):
        assert expected in text, expected


def test_search_matches_words_in_sub_indicators_and_returns_a_fragment_for_htmx(
    world, catalogue_2025, login
) -> None:
    client = login(world.operator_binjai)
    url = reverse("mcp:catalogue", kwargs={"year": 2025})
    fragment = client.get(url, {"q": "KIB"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('\n<section id="catalogue-results"')
    assert "BMD.1" in fragment and "PRC.1" not in fragment
    assert "1 indikator cocok dengan “KIB”." in fragment
    nothing = client.get(url, {"q": "musrenbang tanah"}).content.decode()
    assert "Tidak ada indikator yang cocok" in nothing


def test_english_readers_get_english_names(world, catalogue_2025, login) -> None:
    client = login(world.operator_binjai)
    client.post(reverse("set_language"), {"language": "en"})
    text = client.get(reverse("mcp:catalogue", kwargs={"year": 2025})).content.decode()
    assert "Documented planning forums" in text and "Land certification" in text


def test_the_changes_page_lists_added_removed_and_reweighted(world, catalogues, login) -> None:
    client = login(world.verifier_sumut)
    text = client.get(reverse("mcp:catalogue_changes", kwargs={"year": 2025})).content.decode()
    added = text[text.index('id="added"') : text.index('id="removed"')]
    removed = text[text.index('id="removed"') : text.index('id="split"')]
    assert "BMD.2" in added and "PRC.9" in removed
    assert "Aplikasi perencanaan lama" in removed


def test_a_year_without_a_previous_catalogue_has_no_changes_page(
    world, catalogue_2025, login
) -> None:
    client = login(world.operator_binjai)
    assert client.get(reverse("mcp:catalogue_changes", kwargs={"year": 2025})).status_code == 404
    assert client.get(reverse("mcp:catalogue", kwargs={"year": 2019})).status_code == 404


def test_the_catalogue_page_query_count_does_not_grow_with_indicators(
    world, real_catalogues, login, django_assert_max_num_queries
) -> None:
    client = login(world.operator_binjai)
    client.get(reverse("mcp:catalogue", kwargs={"year": 2024}))
    with django_assert_max_num_queries(16):
        page = client.get(reverse("mcp:catalogue", kwargs={"year": 2025}))
    assert page.content.decode().count('class="indicator"') == 111


def test_english_readers_get_the_changes_page_in_english(world, real_catalogues, login) -> None:
    client = login(world.verifier_sumut)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("mcp:catalogue_changes", kwargs={"year": 2025})).content.decode()
    split = text[text.index('id="split"') : text.index('id="merged"')]
    # PBJ.08 of 2024 split into PBJ.08 and PBJ.11: both sides named in English.
    assert "Tenders and non-tender procurement run through SPSE" in split
    assert "Non-tender and self-managed procurement recorded in SPSE" in split
    assert "Pelaksanaan" not in split and "Pencatatan" not in split
