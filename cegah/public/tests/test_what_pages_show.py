"""Public pages say what they show: fresh on the next request after any publication, the report
card says when it lists only part of the unmet indicators, the ranking lists one kind at a time
(searched and paged), and an award says what its value counts."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Avg
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cegah.mcp import score_selectors, scoring
from cegah.mcp.models import YEAR, Answer, PemdaScore, ScoreSnapshot
from cegah.mcp.services.scores import scores_publish
from cegah.mcp.templatetags.mcp_format import score
from cegah.public import report_card
from cegah.regions.models import Pemda
from cegah.testing.clients import sign_in

pytestmark = pytest.mark.django_db


def _said(response) -> str:
    return " ".join(response.content.decode().split())


# --- Fresh on the next request -----------------------------------------------------------------


def test_a_republished_year_shows_at_once_on_every_page_that_shows_it(published, world) -> None:
    """The 2025 pages show 2024 too (the Pemda's history, the national trend): republishing
    2024 changes them on the very next request, for visitors and signed-in people alike."""
    pemda_2025 = reverse("public:pemda", kwargs={"code": "12.75"}) + "?tahun=2025"
    national_2025 = reverse("public:national", kwargs={"year": 2025})
    visitor, signed_in = Client(), sign_in(Client(), world.admin_binjai)
    for client in (visitor, signed_in):  # both fill their caches (whole page, fragments)
        client.get(pemda_2025)
        client.get(national_2025)

    Answer.objects.filter(pemda=world.binjai, period__year=2024).update(verified_value=1)
    Answer.objects.filter(
        pemda=world.binjai, period__year=2024, sub_indicator__code="BMD.1.1"
    ).update(verified_value=10000)
    republished = scores_publish(actor=world.koordinator, year=2024, reason="Koreksi Binjai")
    binjai_2024 = PemdaScore.objects.get(snapshot=republished, pemda=world.binjai, termin=YEAR)
    before = PemdaScore.objects.get(snapshot=published[2024], pemda=world.binjai, termin=YEAR)
    assert binjai_2024.verified_score > before.verified_score
    average = PemdaScore.objects.filter(snapshot=republished, termin=YEAR).aggregate(
        a=Avg("verified_score")
    )["a"]
    trend_2024 = score(Decimal(average).quantize(Decimal("0.01")))

    for client in (visitor, signed_in):
        history = _said(client.get(pemda_2025))
        total = f'<th scope="row">Total</th><td><strong>{score(binjai_2024.verified_score)}'
        assert total in history
        assert f"<tr><td>2024</td><td>{trend_2024}</td></tr>" in _said(client.get(national_2025))


def test_open_data_answers_are_asked_again_each_time_not_kept_for_minutes(
    client, published
) -> None:
    response = client.get(reverse("api_scores", kwargs={"year": 2025}))
    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]


def test_the_pemda_page_shows_a_new_version_of_its_year_at_once(published, world) -> None:
    url = reverse("public:pemda", kwargs={"code": "12.75"}) + "?tahun=2025"
    visitor = Client()
    first = _said(visitor.get(url))
    assert "Skor MCP 2025: 96,00" in first
    Answer.objects.filter(pemda=world.binjai, period__year=2025).update(verified_value=0)
    scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    assert "Skor MCP 2025: 30,00" in _said(visitor.get(url))


# --- The report card's unmet indicators --------------------------------------------------------


def _pdf(response) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    return " ".join(text.split()), links


def test_the_report_card_says_how_many_unmet_indicators_it_lists_and_links_to_all(
    client, published, monkeypatch
) -> None:
    snapshot = published[2025]
    kab_pekalongan = Pemda.objects.get(code="33.26")
    unmet = score_selectors.unmet_indicators(snapshot=snapshot, pemda=kab_pekalongan)
    assert [u.code for u in unmet] == ["BMD.1", "PRC.1"]  # lowest first: 0, then 40
    card = reverse("public:report_card", kwargs={"code": "33.26", "year": 2025})

    assert report_card.UNMET_SHOWN == 15
    text, links = _pdf(client.get(card))
    assert "BMD.1" in text and "PRC.1" in text and "ditampilkan" not in text and not links

    monkeypatch.setattr(report_card, "UNMET_SHOWN", 1)
    text, links = _pdf(client.get(card))
    assert "1 dari 2 ditampilkan" in text
    everything = "http://testserver/publik/pemda/33.26/?tahun=2025#belum-terpenuhi"
    assert links and set(links) == {everything}  # a link wrapped over two lines is two boxes
    # The link leads to the whole list.
    page = _said(client.get("/publik/pemda/33.26/?tahun=2025"))
    listed = page[page.index('id="belum-terpenuhi"') :]
    assert "2 indikator, nilai terendah lebih dulu." in listed
    assert listed.index("BMD.1") < listed.index("PRC.1")


# --- The ranking: one kind at a time, searched and paged --------------------------------------


def _rows(response) -> list[str]:
    return [r.pemda.code for r in response.context["page"]]


def test_the_ranking_lists_each_kind_apart_and_pages_it(client, published) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    provinsi = client.get(url)
    assert provinsi.context["filters"]["kind"] == "provinsi"
    assert len(_rows(provinsi)) == 38
    assert "Halaman" not in _said(provinsi).split('id="ranking"')[1]  # one page, no pager

    seen: list[str] = []
    for number in range(1, 10):
        page = client.get(url, {"jenis": "kabupaten", "halaman": number})
        assert page.context["page"].paginator.num_pages == 9
        rows = _rows(page)
        assert len(rows) == (50 if number < 9 else 15)
        assert {r.pemda.kind for r in page.context["page"]} == {"kabupaten"}
        seen += rows
    assert len(seen) == len(set(seen)) == 415
    ranks = [r.rank_national for r in client.get(url, {"jenis": "kabupaten"}).context["page"]]
    assert ranks == sorted(ranks) and ranks[0] == 1

    last = _said(client.get(url, {"jenis": "kabupaten", "halaman": 9}))
    assert "Halaman 9 dari 9" in last and "Sebelumnya" in last and "Berikutnya" not in last
    assert 'href="?jenis=kabupaten&amp;urut=peringkat&amp;halaman=8"' in last
    # A page past the last, or no number, is the last or the first.
    assert _rows(client.get(url, {"jenis": "kabupaten", "halaman": 99}))[-1] == seen[-1]
    assert _rows(client.get(url, {"jenis": "kabupaten", "halaman": "x"})) == seen[:50]
    # The page links each kind with its count.
    assert 'href="?jenis=kota&amp;urut=peringkat">Kota (93)</a>' in _said(provinsi)


def test_the_ranking_is_searched_within_its_kind_and_counts_the_others(client, published) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    found = client.get(url, {"jenis": "kabupaten", "q": "pekalongan"})
    assert _rows(found) == ["33.26"]
    assert found.context["kind_counts"] == {"provinsi": 0, "kabupaten": 1, "kota": 1}
    text = _said(found)
    assert "1 Pemda" in text
    # The downloads take the kind and the search shown.
    assert "peringkat.csv?jenis=kabupaten&amp;q=pekalongan&amp;urut=peringkat" in text
    by_province = client.get(url, {"jenis": "kota", "provinsi": "12"})
    assert "12.75" in _rows(by_province) and by_province.context["page"].paginator.count == 8


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"jenis": "kabupaten"},
        {"jenis": "kabupaten", "halaman": "9"},
        {"jenis": "kota", "q": "kota", "urut": "nama", "halaman": "2"},
    ],
)
def test_a_ranking_page_takes_the_same_queries_whatever_its_rows(
    client, published, django_assert_num_queries, query
) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    client.get(url, query)  # the published snapshot's catalogue, categories: warm
    cache.clear()
    # The publication marker, the snapshot, the years, versions and data file around it, the
    # nation's summary (5) and map (2), the awards, the provinces of the filter; then the
    # ranking: the kinds' counts, the page's count and its rows.
    with django_assert_num_queries(17):
        assert client.get(url, query).status_code == 200
    cache.clear()
    # The table alone (htmx): no marker (htmx bypasses the page cache), snapshot, counts,
    # count, rows.
    with django_assert_num_queries(4):
        client.get(url, query, headers={"HX-Request": "true"})


# --- Awards say what they count ----------------------------------------------------------------


def test_an_award_shows_its_unit(client, published, world, monkeypatch) -> None:
    rules = [
        *scoring.award_rules(),
        {
            "code": "luas-tanah",
            "name": {"id": "Tanah Bersertifikat Terluas", "en": "Most land certified"},
            "rule": "sub_indicator",
            "sub_indicators": ["BMD.1.1"],
            "per": "kind",
            "unit": {"id": "m²", "en": "m²"},
        },
    ]
    monkeypatch.setattr(scoring, "award_rules", lambda: tuple(rules))
    scores_publish(actor=world.koordinator, year=2025, reason="Penghargaan tanah")
    national = reverse("public:national", kwargs={"year": 2025})
    text = _said(client.get(national))
    increase = re.search(r"Peningkatan Nilai MCP Tertinggi</strong> \(Kota\):.*?</li>", text)
    assert increase and increase.group(0).endswith(" poin</li>")
    assert "Kota Pekalongan</a> — 10.000 m²</li>" in text
    pemda = _said(client.get(reverse("public:pemda", kwargs={"code": "33.75"}) + "?tahun=2025"))
    assert "Tanah Bersertifikat Terluas 2025</mark> <small>(10.000 m²)</small>" in pemda
    province = _said(client.get(reverse("public:province", kwargs={"year": 2025, "code": "12"})))
    assert re.search(r"Kota Binjai \([\d.,]+ poin\)", province)
    api = client.get(reverse("api_awards", kwargs={"year": 2025})).json()["results"]
    land = next(a for a in api if a["rule"] == "luas-tanah" and a["category"] == "kota")
    assert (land["unit_id"], land["unit_en"]) == ("m²", "m²")

    client.cookies["django_language"] = "en"
    english = _said(client.get(national))
    assert re.search(r"Highest MCP score increase</strong> \(City\):.*? points</li>", english)
    assert ScoreSnapshot.objects.get(year=2025, version=2).awards.filter(unit_id="m²").exists()
