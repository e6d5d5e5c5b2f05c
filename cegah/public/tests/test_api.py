"""The open-data API: published data only, filtered, paged, cacheable, documented."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cegah.mcp.models import Answer, CatalogueVersion
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.scores import scores_recompute
from cegah.mcp.tests.conftest import CATALOGUES

pytestmark = pytest.mark.django_db


def test_regions_are_listed_and_filtered(client, regions) -> None:
    data = client.get(reverse("api_pemda"), {"kind": "kota", "province": "33"}).json()
    assert data["count"] == 6
    assert {
        "code": "33.75",
        "name": "Kota Pekalongan",
        "kind": "kota",
        "province": "33",
        "time_zone": "WIB",
    } in data["results"]
    assert client.get(reverse("api_provinces")).json()["count"] == 38


def test_published_scores_with_ranks_and_areas(client, published) -> None:
    data = client.get(reverse("api_scores", kwargs={"year": 2025}), {"kind": "kota"}).json()
    assert data["count"] == 93
    first = data["results"][0]
    assert first["pemda"] == "33.75" and first["verified_score"] == "100.00"
    assert first["rank_national"] == 1 and first["areas"] == {"BMD": "100.00", "PRC": "100.00"}
    one = client.get(reverse("api_scores", kwargs={"year": 2025}), {"pemda": "12.75"}).json()
    assert one["results"][0]["rank_province"] == 1 and one["results"][0]["province_size"] == 33
    awards = client.get(reverse("api_awards", kwargs={"year": 2025})).json()["results"]
    assert {"rule": "peningkatan-tertinggi", "category": "kota", "pemda": "12.75"}.items() <= next(
        a for a in awards if a["rule"] == "peningkatan-tertinggi" and a["category"] == "kota"
    ).items()


def test_unpublished_scores_and_draft_catalogues_never_leak(client, published, world) -> None:
    binjai_2025 = client.get(reverse("api_scores", kwargs={"year": 2025}), {"pemda": "12.75"})
    before = binjai_2025.json()["results"][0]["verified_score"]
    Answer.objects.filter(pemda=world.binjai, period__year=2025).update(verified_value=0)
    scores_recompute(year=2025)
    cache.clear()  # the rows read again: the first answer's bytes are cached until a publication
    after = client.get(reverse("api_scores", kwargs={"year": 2025}), {"pemda": "12.75"}).json()
    assert after["results"][0]["verified_score"] == before
    assert client.get(reverse("api_scores", kwargs={"year": 2026})).status_code == 404
    # A catalogue not yet opened for reporting is a draft.
    CatalogueVersion.objects.filter(year=2025).update(opened_at=None)
    years = [c["year"] for c in client.get(reverse("api_catalogues")).json()["results"]]
    assert 2025 not in years
    assert client.get(reverse("api_indicators", kwargs={"year": 2025})).status_code == 404


def test_etag_and_last_modified_let_clients_cache(client, published) -> None:
    url = reverse("api_scores", kwargs={"year": 2025})
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304


def test_the_list_query_count_does_not_grow_with_the_page(
    client, published, django_assert_max_num_queries
) -> None:
    url = reverse("api_scores", kwargs={"year": 2025})
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url, {"page_size": 50})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"page_size": 546})
    assert len(response.json()["results"]) == 546


def test_a_published_page_is_answered_from_its_cached_bytes(
    client, published, django_assert_num_queries
) -> None:
    url = reverse("api_scores", kwargs={"year": 2025})
    first = client.get(url, {"kind": "kota", "page_size": 5})
    # Only the question of which version is published reaches the database.
    with django_assert_num_queries(1):
        again = client.get(url, {"kind": "kota", "page_size": 5})
    assert again.content == first.content and again["Content-Type"] == "application/json"
    assert again.json()["results"][0]["pemda"] == "33.75"
    assert again["ETag"] == first["ETag"]


def test_a_new_version_is_served_at_once_despite_the_cache(client, published, world) -> None:
    from cegah.mcp.services.scores import scores_publish

    url = reverse("api_scores", kwargs={"year": 2025})
    before = client.get(url, {"pemda": "12.75"}).json()["results"][0]
    assert before["verified_score"] != "30.00"
    Answer.objects.filter(pemda=world.binjai, period__year=2025).update(verified_value=0)
    scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    after = client.get(url, {"pemda": "12.75"})
    assert after.json()["results"][0]["verified_score"] == "30.00"


def test_the_schema_and_docs_page(client, regions) -> None:
    schema = client.get(reverse("api_schema"))
    assert schema.status_code == 200 and b"/api/v1/scores/{year}/" in schema.content
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_indicators_of_an_opened_catalogue(client, regions) -> None:
    version = catalogue_import(path=CATALOGUES / "valid.yaml").catalogue
    CatalogueVersion.objects.filter(pk=version.pk).update(opened_at="2025-01-01T00:00:00Z")
    data = client.get(reverse("api_indicators", kwargs={"year": 2025}), {"area": "BMD"}).json()
    assert [i["code"] for i in data["results"]] == ["BMD.1", "BMD.2"]
    assert data["results"][1]["applies_to"] == ["provinsi"]


def test_area_scores_and_the_ranking_alias(client, published) -> None:
    areas = client.get(
        reverse("api_area_scores", kwargs={"year": 2025}), {"area": "BMD", "pemda": "12.75"}
    ).json()["results"]
    assert areas == [
        {
            "pemda": "12.75",
            "name": "Kota Binjai",
            "area": "BMD",
            "verified_score": "90.00",
            "self_score": "90.00",
        }
    ]
    ranking = client.get(reverse("api_rankings", kwargs={"year": 2025}), {"kind": "kota"}).json()
    assert ranking["results"][0]["pemda"] == "33.75"


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("api_pemda", {"kind": "kotamadya"}, "“kotamadya” bukan jenis Pemda"),
        ("api_pemda", {"province": "99"}, "Tidak ada provinsi dengan kode “99”."),
        ("api_scores", {"kind": "desa"}, "“desa” bukan jenis Pemda"),
        ("api_scores", {"pemda": "12.7"}, "Tidak ada Pemda dengan kode “12.7”."),
        ("api_area_scores", {"area": "XYZ"}, "Katalog 2025 tidak punya area “XYZ”."),
        ("api_scores", {"page_size": "0"}, "Ukuran halaman harus bilangan bulat 1 sampai 1000."),
        ("api_scores", {"page_size": "sepuluh"}, "Ukuran halaman harus bilangan bulat"),
        ("api_pemda", {"page_size": "³"}, "Ukuran halaman harus bilangan bulat"),  # a digit
    ],
)
def test_a_filter_the_api_does_not_know_is_named_not_an_empty_list(
    client, published, name, query, message
) -> None:
    url = reverse(name, kwargs={"year": 2025}) if name != "api_pemda" else reverse(name)
    answer = client.get(url, query)
    assert answer.status_code == 400
    (parameter,) = query
    assert message in answer.json()[parameter][0]


def test_a_filter_error_is_in_the_readers_language_and_blank_means_not_given(
    client, published
) -> None:
    url = reverse("api_scores", kwargs={"year": 2025})
    client.cookies["django_language"] = "en"
    answer = client.get(url, {"kind": "desa"}).json()
    assert answer == {
        "kind": ["“desa” is not a kind of Pemda: choose provinsi, kabupaten or kota."]
    }
    assert client.get(url, {"kind": "", "pemda": "", "page_size": ""}).json()["count"] == 546
    # A good filter still narrows, and a page size over the most gives the most.
    areas = reverse("api_area_scores", kwargs={"year": 2025})
    assert client.get(areas, {"area": "BMD", "page_size": 5000}).json()["count"] == 546


def test_a_missing_year_or_page_says_which_in_the_readers_language(client, published) -> None:
    scores_2019 = client.get(reverse("api_scores", kwargs={"year": 2019}))
    assert scores_2019.status_code == 404
    assert scores_2019.json() == {"detail": "Skor 2019 belum diterbitkan."}
    no_catalogue = client.get(reverse("api_indicators", kwargs={"year": 2019}))
    assert no_catalogue.json() == {"detail": "Belum ada katalog MCP tahun 2019."}
    past_the_end = client.get(reverse("api_provinces"), {"page": 9})
    assert past_the_end.status_code == 404
    assert past_the_end.json() == {"detail": "Halaman 9 tidak ada."}
    client.cookies["django_language"] = "en"
    assert client.get(reverse("api_provinces"), {"page": 0}).json() == {
        "detail": "Page 0 does not exist."
    }


def test_the_schema_documents_the_filters_and_the_errors(client, regions) -> None:
    import yaml

    schema = yaml.safe_load(client.get(reverse("api_schema")).content)
    scores_list = schema["paths"]["/api/v1/scores/{year}/"]["get"]
    parameters = {p["name"]: p for p in scores_list["parameters"]}
    assert {"kind", "province", "pemda", "page", "page_size"} <= parameters.keys()
    assert set(parameters["kind"]["schema"]["enum"]) >= {"provinsi", "kabupaten", "kota"}
    assert parameters["page_size"]["schema"]["minimum"] == 1
    assert {"200", "400", "404"} <= scores_list["responses"].keys()
    # The list is paged; an error is not.
    ok = scores_list["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ok.endswith("/PaginatedScoreList")
    missing = scores_list["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
    assert missing.endswith("/Problem")


@pytest.mark.parametrize(
    "url", ["/api/v1/scores/-1/", "/api/v1/scores/dua-ribu/", "/api/v1/skor/", "/api/v2/"]
)
def test_an_address_the_api_does_not_have_is_a_json_404(client, url) -> None:
    answer = client.get(url)
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "Alamat ini tidak ada di API; daftarnya ada di /api/docs/."}
    # Elsewhere a person reads the 404 page.
    page = client.get("/publik/tidak-ada/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
