"""The public MCP dashboard: published data only, for anyone, in few queries."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cegah.core.exports import safe_cell
from cegah.mcp.models import Answer, PemdaScore
from cegah.mcp.services.scores import scores_recompute

pytestmark = pytest.mark.django_db


def test_the_national_page_needs_no_sign_in_and_shows_the_published_picture(
    client, published
) -> None:
    response = client.get(reverse("public:national", kwargs={"year": 2025}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Skor MCP 2025" in text and "Rata-rata nasional" in text
    assert 'data-chart="line"' in text and 'id="chart-trend"' in text
    summary = response.context["summary"]
    assert [y for y, _ in summary.trend] == [2024, 2025]
    assert sum(n for _, n in summary.categories) == 546
    # The ranking lists one kind at a time, provinsi first, and counts the others.
    assert response.context["page"].paginator.count == 38
    assert response.context["kind_counts"] == {"provinsi": 38, "kabupaten": 415, "kota": 93}
    assert response.context["tiles"][0].province.code == "11"
    assert 'href="/publik/mcp/2025/provinsi/33/"' in text
    # Aceh's Pemda all scored 0: its tile is red like any score up to 25, not the grey of a
    # province with no score.
    aceh = response.context["tiles"][0]
    assert aceh.average == 0 and aceh.category.code == "merah"
    assert 'class="tile r1 c1 tile-merah"' in text


def test_the_ranking_filters_by_kind_province_and_name(client, published) -> None:
    url = reverse("public:national", kwargs={"year": 2025})
    kota = client.get(url, {"jenis": "kota"}).context["page"]
    assert kota.paginator.count == 93
    assert [r.pemda.code for r in list(kota)[:2]] == ["33.75", "12.75"]
    jateng = client.get(url, {"jenis": "kota", "provinsi": "33", "q": "pekalongan"}).context
    assert [r.pemda.code for r in jateng["page"]] == ["33.75"]
    assert jateng["kind_counts"] == {"provinsi": 0, "kabupaten": 1, "kota": 1}
    htmx = {"HX-Request": "true"}
    fragment = client.get(url, {"jenis": "kota", "q": "binjai"}, headers=htmx).content.decode()
    assert fragment.lstrip().startswith('<div id="ranking">') and "Kota Binjai" in fragment
    # Searched among the provinsi, Binjai is not there; the fragment says where it is.
    elsewhere = client.get(url, {"q": "binjai"}, headers=htmx).content.decode()
    assert "Kota Binjai" not in elsewhere and "Kota (1)" in elsewhere
    assert "ada di jenis lain" in elsewhere


def test_the_province_page_ranks_its_kabupaten_kota_in_the_seeds_words(client, published) -> None:
    text = client.get(
        reverse("public:province", kwargs={"year": 2025, "code": "33"})
    ).content.decode()
    assert "Kota Pekalongan peringkat 1 dari 35 kabupaten/kota di Jawa Tengah" in text
    assert "Kabupaten Pekalongan peringkat 2 dari 35 kabupaten/kota di Jawa Tengah" in text


def test_the_pemda_page_shows_history_ranks_awards_and_indicators(client, published) -> None:
    response = client.get(reverse("public:pemda", kwargs={"code": "12.75"}), {"tahun": 2025})
    text = response.content.decode()
    assert [h.snapshot.year for h in response.context["history"]] == [2024, 2025]
    assert "Peningkatan Nilai MCP Tertinggi 2025" in text
    assert "peringkat nasional 2 dari 93 (Kota)" in text
    met = response.context["met"]
    assert met["PRC.1"].verified_score == Decimal("100.00")
    assert "PRC.1 Musrenbang terdokumentasi" in text


def test_scores_show_two_decimals_as_kpk_publishes_them(client, published) -> None:
    pemda = client.get(reverse("public:pemda", kwargs={"code": "12.75"}), {"tahun": 2025})
    assert "PRC.1 Musrenbang terdokumentasi: <strong>100,00</strong>" in pemda.content.decode()
    ranking = client.get(reverse("public:national", kwargs={"year": 2025}), {"jenis": "kota"})
    # Kota that reported nothing score 0: the column stays even, not "0" beside "57,50".
    assert "<td>0,00</td>" in ranking.content.decode()
    assert 'cat-merah">Merah</span>' in ranking.content.decode()
    # The page's fragments were cached in Indonesian just now; an English reader gets their own.
    client.cookies["django_language"] = "en"
    pemda = client.get(reverse("public:pemda", kwargs={"code": "12.75"}), {"tahun": 2025})
    text = pemda.content.decode()
    assert "<strong>100.00</strong>" in text
    assert '<th scope="row">PRC · Planning</th>' in text and "Perencanaan" not in text
    ranking = client.get(reverse("public:national", kwargs={"year": 2025}), {"jenis": "kota"})
    assert 'cat-merah">Red</span>' in ranking.content.decode()


def test_unpublished_scores_never_show(client, world, published) -> None:
    binjai = PemdaScore.objects.get(snapshot=published[2025], pemda=world.binjai, termin=0)
    Answer.objects.filter(pemda=world.binjai, period__year=2025).update(verified_value=0)
    scores_recompute(year=2025)  # the working snapshot now says 0
    response = client.get(reverse("public:pemda", kwargs={"code": "12.75"}), {"tahun": 2025})
    assert response.context["current"].total.verified_score == binjai.verified_score > 0
    assert client.get(reverse("public:national", kwargs={"year": 2026})).status_code == 404


def test_exports_give_the_filtered_ranking(client, published) -> None:
    csv_response = client.get(
        reverse("public:ranking_csv", kwargs={"year": 2025}), {"jenis": "kota"}
    )
    assert csv_response["Content-Disposition"] == 'attachment; filename="mcp-2025-peringkat.csv"'
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode,Pemda,Jenis,Provinsi,Nilai terverifikasi")
    assert len(lines) == 94 and lines[1].startswith("33.75,Kota Pekalongan,Kota,Jawa Tengah")
    xlsx = client.get(reverse("public:ranking_xlsx", kwargs={"year": 2025}), {"provinsi": "33"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 36 and rows[1][1] == "Kota Pekalongan"  # header, 35 + the province


def test_the_ranking_csv_is_kept_for_visitors_until_the_next_publication(
    published, django_assert_num_queries
) -> None:
    """Made whole once and served from the page cache after (a publication-day spike spent a
    third of its time making it afresh), a download still; another filter is another file."""
    from django.test import Client

    url = reverse("public:ranking_csv", kwargs={"year": 2025})
    first = Client().get(url, {"jenis": "kota"})
    with django_assert_num_queries(1):  # the marker: which publication is the latest
        again = Client().get(url, {"jenis": "kota", "utm": "x"})
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"
    assert len(Client().get(url, {"jenis": "kabupaten"}).content.splitlines()) != len(
        first.content.splitlines()
    )


def test_cells_that_look_like_formulas_are_neutralised() -> None:
    assert [safe_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@x", "Kota", 5)] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-2",
        "'@x",
        "Kota",
        5,
    ]


def test_the_pdf_report_card_of_a_published_year(client, published) -> None:
    response = client.get(reverse("public:report_card", kwargs={"code": "12.75", "year": 2025}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 2000
    assert 'filename="rapor-mcp-12.75-2025.pdf"' in response["Content-Disposition"]
    for code, year in (("12.75", 2026), ("99.99", 2025)):
        url = reverse("public:report_card", kwargs={"code": code, "year": year})
        assert client.get(url).status_code == 404


def test_the_full_data_file_is_made_in_the_background_then_offered(
    client, published, world, login, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    from django.test import Client

    from cegah.mcp.models import ScoreJob
    from cegah.testing.clients import sign_in

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "cegah.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    url = reverse("public:bulk_download", kwargs={"year": 2025})
    assert client.get(url).status_code == 404  # not made yet
    national = reverse("public:national", kwargs={"year": 2025})
    assert "Data lengkap" not in client.get(national).content.decode()  # and now cached
    koordinator = sign_in(Client(), world.koordinator)
    with django_capture_on_commit_callbacks(execute=True):
        koordinator.post(reverse("mcp:score_admin"), {"year": "2025", "export": "1"})
    job = ScoreJob.objects.get(kind="export")
    assert (job.state, job.done) == (
        "done",
        job.total,
    ) and job.total == 546 * 2  # two indicators apply to each kind
    progress = koordinator.get(reverse("mcp:score_job", kwargs={"pk": job.pk})).content.decode()
    assert "Unduh berkas" in progress
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 546 * 2
    assert rows[0][:4] == ("tahun", "versi", "kode_pemda", "pemda")
    assert (
        "Data lengkap"
        in client.get(reverse("public:national", kwargs={"year": 2025})).content.decode()
    )


def test_published_fragments_are_cached_and_a_new_version_shows_at_once(
    client, published, world, django_assert_max_num_queries
) -> None:
    from cegah.mcp.services.scores import scores_publish

    url = reverse("public:national", kwargs={"year": 2025}) + "?jenis=kota"
    client.get(url)
    with django_assert_max_num_queries(8):  # the charts, map and table come from the cache
        cached = client.get(url).content.decode()
    assert "Kota Binjai" in cached
    Answer.objects.filter(pemda=world.binjai, period__year=2025).update(verified_value=0)
    scores_publish(actor=world.koordinator, year=2025, reason="Koreksi")
    fresh = client.get(url)
    binjai = next(r for r in fresh.context["page"] if r.pemda.code == "12.75")
    assert binjai.verified_score == Decimal("30.00")  # was 96: only the choice "Sesuai" (0) stays
    assert "Diterbitkan Koordinator Nasional MCP, versi 2" in fresh.content.decode()


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_english_readers_get_english_names_on_the_card_and_the_province_and_national_pages(
    client, published
) -> None:
    card = reverse("public:report_card", kwargs={"code": "12.75", "year": 2025})
    province = reverse("public:province", kwargs={"year": 2025, "code": "12"})
    national = reverse("public:national", kwargs={"year": 2025})
    indonesian = _pdf_text(client.get(card).content)
    assert "Perencanaan" in indonesian and "Peningkatan Nilai MCP Tertinggi" in indonesian
    assert "Peningkatan Nilai MCP Tertinggi" in client.get(province).content.decode()
    assert "<td>Perencanaan</td>" in client.get(national).content.decode()

    client.cookies["django_language"] = "en"
    english = _pdf_text(client.get(card).content)
    assert "Planning" in english and "Highest MCP score increase" in english
    assert "Perencanaan" not in english and "Peningkatan" not in english
    province_text = client.get(province).content.decode()
    assert "Highest MCP score increase" in province_text and "Peningkatan" not in province_text
    national_text = client.get(national).content.decode()
    assert "<td>Planning</td>" in national_text and "Perencanaan" not in national_text
    # The category doughnut's legend too, which the page draws from its data.
    chart = re.search(r'id="chart-categories"[^>]*>(.*?)</script>', national_text, re.S)
    assert chart and json.loads(chart.group(1))["labels"][-1] == "Green"


def test_each_of_the_eight_mcp_areas_gets_its_own_colour_in_the_history_chart() -> None:
    from cegah.mcp.score_selectors import HistoryArea
    from cegah.public.views import _history_chart

    areas = [
        HistoryArea(c, [], []) for c in ["PRC", "ANG", "PBJ", "YAN", "APIP", "ASN", "BMD", "PAD"]
    ]
    colours = [s["colour"] for s in _history_chart([], areas)["series"]]
    assert len(set(colours)) == 8


def test_the_history_keeps_each_area_under_its_own_years_name(world) -> None:
    """A 2024 area renamed in 2025 shows both names; an area only 2024 had keeps its row."""
    from django.utils import timezone

    from cegah.mcp.models import Area, AreaScore, PemdaScore, ScoreSnapshot
    from cegah.mcp.score_selectors import history_areas, pemda_history
    from cegah.mcp.services.catalogue import catalogue_import
    from cegah.mcp.tests.conftest import CATALOGUES

    old = catalogue_import(path=CATALOGUES / "small-2024.yaml").catalogue
    new = catalogue_import(path=CATALOGUES / "valid.yaml").catalogue
    Area.objects.filter(catalogue=old, code="PRC").update(
        name_id="Perencanaan dan Penganggaran APBD"
    )
    only_old = Area.objects.create(
        catalogue=old, code="IZN", name_id="Perizinan", name_en="Licensing", weight=10, position=9
    )
    for catalogue, year in ((old, 2024), (new, 2025)):
        snapshot = ScoreSnapshot.objects.create(
            year=year,
            state="published",
            version=1,
            catalogue=catalogue,
            published_at=timezone.now(),
        )
        PemdaScore.objects.create(
            snapshot=snapshot,
            pemda=world.binjai,
            termin=0,
            self_score=Decimal(70),
            verified_score=Decimal(70),
            category="biru",
        )
        codes = ["PRC", "IZN"] if year == 2024 else ["PRC"]
        for code in codes:
            AreaScore.objects.create(
                snapshot=snapshot,
                pemda=world.binjai,
                termin=0,
                area_code=code,
                self_score=Decimal(60),
                verified_score=Decimal(60),
            )
    rows = {r.code: r for r in history_areas(pemda_history(pemda=world.binjai))}
    assert [name for _year, name in rows["PRC"].names] == [
        "Perencanaan dan Penganggaran APBD",
        Area.objects.get(catalogue=new, code="PRC").name,
    ]
    assert rows[only_old.code].names == [(2024, "Perizinan")]
    assert rows[only_old.code].scores == [Decimal("60.00"), None]


@pytest.mark.parametrize("page", ["public:gratification", "public:conflicts"])
@pytest.mark.parametrize("asked", ["", "abc", "1999", "2999", "٢٠٢٥"])
def test_a_count_page_shows_the_latest_year_counted_for_a_year_it_cannot_show(
    client, page: str, asked: str
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    latest = (timezone.localdate() - timedelta(days=1)).year  # counts stop at yesterday
    response = client.get(reverse(page), {"tahun": asked})
    assert response.status_code == 200 and response.context["year"] == latest
    earlier = client.get(reverse(page), {"tahun": str(latest - 1)})
    assert earlier.context["year"] == latest - 1
