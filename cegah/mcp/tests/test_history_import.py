"""KPK's published results and awards, loaded from the files people make (issue: real history
with its source). Every bad row is named by line and column and nothing loads; a loaded year is
a published version like a computed one, on the public pages, rankings and the API."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cegah.audit.models import AuditEntry
from cegah.core.tables import read_table
from cegah.mcp.history import read_awards, read_results
from cegah.mcp.models import YEAR, AreaScore, Award, PemdaScore, ScoreSnapshot
from cegah.mcp.services import catalogue_import
from cegah.mcp.services.history import history_awards_import, history_import
from cegah.mcp.tests.conftest import CATALOGUES

# Four kabupaten/kota of Jawa Tengah, two with the same score (a shared rank), and the
# province itself. Written as an office in Indonesia saves it: semicolons, decimal commas, a BOM.
RESULTS_2022 = (
    "\ufefftahun;kode_pemda;nama_pemda;nilai;Perencanaan dan Penganggaran APBD;Perizinan;peringkat\n"
    "2022;33.75;Kota Pekalongan;91,5;95;88,25;1\n"
    "2022;33.26;Kab. Pekalongan;80;82;78;2\n"
    "2022;33.74;Kota Semarang;80;85;75;2\n"
    "2022;33.01;Kab. Cilacap;62,75;60;65;4\n"
    "2022;33;Provinsi Jawa Tengah;88;90;86;\n"
)


def _load(text: str, *, name: str = "hasil.csv", **kwargs: object) -> list[ScoreSnapshot]:
    plan = read_results(read_table(text.encode("utf-8"), filename=name))
    assert plan.problems == []
    options: dict[str, object] = {
        "actor": None,
        "source_name": "jaga.id",
        "source_url": "https://jaga.id/mcp",
        "announced_on": None,
        "announced_event": "Peluncuran MCP 2023",
    } | kwargs
    return history_import(plan=plan, **options)  # type: ignore[arg-type]


def _problems(text: str, *, name: str = "hasil.csv") -> list[str]:
    return [str(p) for p in read_results(read_table(text.encode(), filename=name)).problems]


def test_semicolons_decimal_commas_and_a_bom_load_as_a_published_year(world) -> None:
    (snapshot,) = _load(RESULTS_2022)
    assert snapshot.state == ScoreSnapshot.State.PUBLISHED
    assert snapshot.version == 1 and snapshot.imported and snapshot.catalogue is None
    scores = {
        r.pemda.code: r
        for r in PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).select_related("pemda")
    }
    assert scores["33.75"].verified_score == Decimal("91.50")
    assert scores["33.01"].verified_score == Decimal("62.75")
    assert scores["33.75"].self_score is None  # KPK publishes the verified score only
    # Standard competition ranking among the province's kabupaten/kota, recomputed.
    assert [scores[c].rank_province for c in ("33.75", "33.26", "33.74", "33.01")] == [1, 2, 2, 4]
    assert scores["33.01"].province_size == 4
    assert scores["33"].rank_province is None and scores["33"].rank_national == 1
    assert scores["33.26"].rank_published == 2
    assert scores["33.01"].category == "biru"
    areas = dict(
        AreaScore.objects.filter(snapshot=snapshot, pemda__code="33.75").values_list(
            "area_code", "verified_score"
        )
    )
    names = {a["name"]: a["code"] for a in snapshot.area_names}
    assert areas[names["Perizinan"]] == Decimal("88.25")
    assert snapshot.content_hash


def test_a_comma_separated_file_with_decimal_points_and_an_excel_sheet_load_alike(world) -> None:
    comma = 'tahun,kode_pemda,nilai\n2021,33.75,"77,5"\n2021,33.26,70.25\n'
    (from_csv,) = _load(comma)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Tahun", "Kode Pemda", "Nilai"], [2020, "33.75", 77.5], [2020, "33.26", 70.25]):
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    plan = read_results(read_table(content.getvalue(), filename="hasil.xlsx"))
    assert plan.problems == []
    (from_excel,) = history_import(actor=None, plan=plan, source_name="siaran pers KPK")
    for snapshot in (from_csv, from_excel):
        assert dict(
            PemdaScore.objects.filter(snapshot=snapshot).values_list(
                "pemda__code", "verified_score"
            )
        ) == {"33.75": Decimal("77.50"), "33.26": Decimal("70.25")}


def test_every_bad_row_is_named_by_line_and_column_and_nothing_loads(world) -> None:
    text = (
        "tahun;kode_pemda;nilai;Perizinan\n"
        "2022;99.99;80;70\n"  # line 2: unknown Pemda
        "2022;33.75;101;70\n"  # line 3: score above 100
        ";33.26;80;70\n"  # line 4: year missing
        "2022;33.74;delapan puluh;70\n"  # line 5: no number
        "2022;33.01;80;-1\n"  # line 6: area score below 0
        "2022;33.02;80;70\n"
        "2022;33.02;81;70\n"  # line 8: a Pemda twice in a year
        "1999;33.03;80;70\n"  # line 9: a year before MCP
    )
    problems = _problems(text)
    this_year = timezone.localdate().year
    assert problems == [
        "Baris 2, kolom B (kode_pemda): kode Pemda “99.99” tidak dikenal (kode Kemendagri, "
        "mis. 33.26).",
        "Baris 3, kolom C (nilai): 101 di luar rentang 0 sampai 100.",
        "Baris 4, kolom A (tahun): tahun kosong.",
        "Baris 5, kolom C (nilai): “delapan puluh” bukan angka (tulis seperti 95,5 atau 95.5).",
        "Baris 6, kolom D (Perizinan): -1 di luar rentang 0 sampai 100.",
        "Baris 8, kolom B (kode_pemda): Kabupaten Banyumas sudah ada untuk 2022 di baris 7.",
        f"Baris 9, kolom A (tahun): “1999” bukan tahun antara 2015 dan {this_year}.",
    ]
    plan = read_results(read_table(text.encode(), filename="hasil.csv"))
    with pytest.raises(Exception, match="Baris 2"):
        history_import(actor=None, plan=plan, source_name="jaga.id")
    assert not ScoreSnapshot.objects.exists()
    assert not PemdaScore.objects.exists()


def test_missing_columns_and_unknown_area_codes_of_a_catalogued_year_are_refused(world) -> None:
    assert _problems("tahun;kode;skor\n2022;33.75;80\n") == [
        "Baris 1: kolom “kode_pemda” tidak ada. Baris pertama harus memuat tahun, kode_pemda, "
        "nilai.",
        "Baris 1: kolom “nilai” tidak ada. Baris pertama harus memuat tahun, kode_pemda, nilai.",
    ]
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    assert _problems("tahun;kode_pemda;nilai;PRC;PBJ\n2024;33.75;80;90;70\n") == [
        "Baris 2, kolom E (PBJ): bukan kode area katalog 2024 (PRC, BMD)."
    ]


def test_the_command_reports_problems_and_a_dry_run_loads_nothing(world, tmp_path: Path) -> None:
    bad = tmp_path / "hasil.csv"
    bad.write_text("tahun;kode_pemda;nilai\n2022;33.75;120\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("mcp_history", "import", str(bad), "--sumber", "jaga.id", stderr=err)
    assert "hasil.csv: Baris 2, kolom C (nilai): 120 di luar rentang 0 sampai 100." in (
        err.getvalue()
    )
    good = tmp_path / "baik.csv"
    good.write_text(RESULTS_2022, encoding="utf-8")
    out = io.StringIO()
    call_command("mcp_history", "import", str(good), "--sumber", "jaga.id", "--dry-run", stdout=out)
    assert "2022: 5 Pemda, 2 area (tanpa katalog di Cegah) — diterbitkan sebagai versi 1." in (
        out.getvalue()
    )
    assert not ScoreSnapshot.objects.exists()
    call_command(
        "mcp_history",
        "import",
        str(good),
        "--sumber",
        "jaga.id",
        "--diumumkan",
        "20-03-2023",
        stdout=io.StringIO(),
    )
    snapshot = ScoreSnapshot.objects.get(year=2022)
    assert str(snapshot.announced_on) == "2023-03-20"
    entry = AuditEntry.objects.get(action="mcp.history.import")
    assert entry.data["via"] == "manage.py mcp_history" and entry.data["pemda"] == 5


def test_loading_a_year_again_is_a_new_version_with_a_reason_and_the_dry_run_says_what_changes(
    world,
) -> None:
    _load(RESULTS_2022)
    corrected = RESULTS_2022.replace("2022;33.01;Kab. Cilacap;62,75", "2022;33.01;Kab. Cilacap;85")
    plan = read_results(read_table(corrected.encode(), filename="hasil.csv"))
    assert plan.lines() == [
        "2022: 5 Pemda, 2 area (tanpa katalog di Cegah) — versi 2 menggantikan versi 1: "
        "1 nilai berubah, 0 Pemda baru, 0 Pemda tidak ada lagi.",
        # Ranks are computed among the Pemda in the file: the check says where that is partial.
        "2022: peringkat dihitung di antara Pemda dalam berkas; kabupaten/kota tidak lengkap "
        "di Jawa Tengah 4 dari 35.",
    ]
    with pytest.raises(Exception, match="alasan"):
        history_import(actor=None, plan=plan, source_name="jaga.id")
    (second,) = history_import(
        actor=None, plan=plan, source_name="jaga.id", reason="Koreksi KPK April 2023"
    )
    assert second.version == 2
    cilacap = PemdaScore.objects.get(snapshot=second, pemda__code="33.01", termin=YEAR)
    assert cilacap.rank_province == 2  # 85 now second, behind Kota Pekalongan's 91,5


def test_the_public_pages_label_an_imported_year_with_its_source_and_rank(world, client) -> None:
    _load(RESULTS_2022, announced_on=date(2023, 3, 20))
    page = client.get(reverse("public:pemda", kwargs={"code": "33.26"}) + "?tahun=2022")
    text = page.content.decode()
    assert "peringkat 2 dari 4 kabupaten/kota di Jawa Tengah" in text
    assert "Skor MCP 2022 dari jaga.id, diumumkan 20 Maret 2023" in text
    assert 'href="https://jaga.id/mcp"' in text
    assert "Perizinan" in text and "Perencanaan dan Penganggaran APBD" in text
    national = client.get(reverse("public:national", kwargs={"year": 2022})).content.decode()
    assert "Skor MCP 2022 dari jaga.id, diumumkan 20 Maret 2023" in national
    province = client.get(
        reverse("public:province", kwargs={"year": 2022, "code": "33"})
    ).content.decode()
    assert "Kabupaten Cilacap" in province and "dari jaga.id" in province


def test_the_api_gives_an_imported_year_with_its_source(world, client) -> None:
    _load(RESULTS_2022)
    body = client.get("/api/v1/scores/2022/?pemda=33.26").json()
    assert body["source"]["origin"] == "imported"
    assert body["source"]["name"] == "jaga.id"
    assert body["source"]["url"] == "https://jaga.id/mcp"
    (row,) = body["results"]
    assert row["verified_score"] == "80.00" and row["self_score"] is None
    assert row["rank_province"] == 2 and row["rank_published"] == 2


def test_history_across_years_keeps_an_imported_years_areas_under_their_names(
    world, client
) -> None:
    """A free name that is a later catalogue's area joins its row; one no catalogue has keeps
    its own row, so nothing disappears."""
    catalogue_import(path=CATALOGUES / "small-2024.yaml")
    _load("tahun;kode_pemda;nilai;Perencanaan;Perizinan\n2022;33.75;90;91;70\n")
    _load("tahun;kode_pemda;nilai;PRC;BMD\n2024;33.75;80;81;79\n")
    page = client.get(reverse("public:pemda", kwargs={"code": "33.75"})).content.decode()
    prc = page[page.index("PRC ·") : page.index("</tr>", page.index("PRC ·"))]
    assert "91,00" in prc and "81,00" in prc
    assert "Perizinan" in page
    assert "70,00" in page


AWARDS = (
    "tahun;penghargaan;kategori;kode_pemda;peringkat;tanggal;acara\n"
    "2022;Tiga terbaik MCP;kota;33.75;1;20-03-2023;Peluncuran MCP 2023\n"
    "2022;Tiga terbaik MCP;kabupaten;33.26;1;20-03-2023;Peluncuran MCP 2023\n"
)


def test_awards_as_announced_are_shown_beside_the_year_and_refuse_bad_rows(world, client) -> None:
    _load(RESULTS_2022)
    bad = read_awards(read_table(bad_text().encode(), filename="penghargaan.csv"))
    assert [str(p) for p in bad.problems] == [
        "Baris 2, kolom A (tahun): belum ada skor terbitan 2021: muat hasilnya lebih dulu.",
        "Baris 3, kolom C (kategori): kategori “desa”: tulis provinsi, kabupaten, kota, atau "
        "kode provinsi (mis. 33).",
        "Baris 4, kolom E (tanggal): penghargaan tahun 2022 diserahkan pada tahun berikutnya "
        "atau sesudahnya.",
    ]
    plan = read_awards(read_table(AWARDS.encode(), filename="penghargaan.csv"))
    assert plan.problems == []
    assert history_awards_import(actor=None, plan=plan) == {2022: 2}
    # Loading again replaces the year's announced awards.
    assert history_awards_import(actor=None, plan=plan) == {2022: 2}
    assert Award.objects.filter(announced=True).count() == 2
    national = client.get(reverse("public:national", kwargs={"year": 2022})).content.decode()
    assert "Tiga terbaik MCP" in national
    assert "peringkat 1, diserahkan 20 Maret 2023 (Peluncuran MCP 2023)" in national


def bad_text() -> str:
    return (
        "tahun;penghargaan;kategori;kode_pemda;tanggal\n"
        "2021;Tiga terbaik MCP;kota;33.75;20-03-2022\n"  # no results for 2021
        "2022;Tiga terbaik MCP;desa;33.75;20-03-2023\n"  # no such category
        "2022;Tiga terbaik MCP;kota;33.75;20-03-2022\n"  # handed over in the year scored
    )


def test_the_koordinator_checks_a_file_then_loads_exactly_what_was_checked(world, login) -> None:
    client = login(world.koordinator)
    url = reverse("mcp:history_import")
    upload = io.BytesIO(RESULTS_2022.encode())
    upload.name = "hasil-2022.csv"
    fields = {
        "source_name": "jaga.id",
        "source_url": "https://jaga.id/mcp",
        "announced_on": "20-03-2023",
        "announced_event": "",
        "reason": "",
    }
    checked = client.post(url, {**fields, "file": upload, "check": "1"})
    text = checked.content.decode()
    assert "2022: 5 Pemda, 2 area (tanpa katalog di Cegah) — diterbitkan sebagai versi 1." in text
    assert not ScoreSnapshot.objects.exists()
    token = checked.context["form"]["checked"].value()
    assert token
    loaded = client.post(url, {**fields, "checked": token, "load": "1"})
    assert loaded.status_code == 302
    snapshot = ScoreSnapshot.objects.get(year=2022)
    assert snapshot.published_by == world.koordinator
    assert str(snapshot.announced_on) == "2023-03-20"


def test_a_bad_file_on_the_page_lists_its_problems_and_keeps_what_was_typed(world, login) -> None:
    client = login(world.koordinator)
    upload = io.BytesIO(b"tahun;kode_pemda;nilai\n2022;33.75;120\n")
    upload.name = "hasil.csv"
    page = client.post(
        reverse("mcp:history_import"),
        {"file": upload, "source_name": "jaga.id", "check": "1"},
    )
    text = page.content.decode()
    assert "Baris 2, kolom C (nilai): 120 di luar rentang 0 sampai 100." in text
    assert 'value="jaga.id"' in text
    assert "Muat dan terbitkan" not in text
    assert not ScoreSnapshot.objects.exists()


def test_files_as_they_really_come_are_read_and_tricky_ones_refused(world) -> None:
    # A repeated title names nothing for sure.
    assert _problems("tahun;kode_pemda;nilai;Perizinan;Perizinan\n2022;33.75;80;10;99\n") == [
        "Baris 1, kolom E (Perizinan): judul kolom sama dengan kolom D."
    ]
    assert _problems("tahun;kode_pemda;nilai;nilai\n2022;33.75;80;90\n") == [
        "Baris 1, kolom D (nilai): judul kolom sama dengan kolom C."
    ]
    # A byte-order mark before Windows-1252 text (é) still finds its first column.
    table = read_table(
        b"\xef\xbb\xbftahun;kode_pemda;nilai;Caf\xe9\n2021;33.75;80;70\n", filename="h.csv"
    )
    assert [c.title for c in table.columns] == ["tahun", "kode_pemda", "nilai", "Café"]
    # Excel: a formula's 80.10000000000001 reads as 80.1; a code typed as a number (33.1) is 33.10.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["tahun", "kode_pemda", "nilai"])
    sheet.append([2021, 33.1, 80.10000000000001])
    content = io.BytesIO()
    workbook.save(content)
    plan = read_results(read_table(content.getvalue(), filename="h.xlsx"))
    assert plan.problems == []
    (row,) = plan.years[0].rows
    assert (row.pemda.code, row.score) == ("33.10", Decimal("80.1"))


def test_a_workbook_that_is_no_table_is_refused_in_words(world) -> None:
    from cegah.core.tables import TableNotReadable

    with pytest.raises(TableNotReadable, match="tidak dapat dibaca"):
        read_table(b"PK\x03\x04 not really a workbook", filename="h.xlsx")


def test_two_spellings_of_one_award_are_one_award(world) -> None:
    _load(RESULTS_2022)
    plan = read_awards(
        read_table(
            (
                b"tahun;penghargaan;kategori;kode_pemda\n"
                b"2022;Terbaik I;kota;33.75\n"
                b"2022;Terbaik-I;kota;33.75\n"
            ),
            filename="p.csv",
        )
    )
    assert [str(p) for p in plan.problems] == [
        "Baris 3, kolom D (kode_pemda): penghargaan yang sama sudah ada di baris 2."
    ]


def test_a_file_chosen_with_the_load_button_is_checked_not_loaded(world, login) -> None:
    client = login(world.koordinator)
    upload = io.BytesIO(RESULTS_2022.encode())
    upload.name = "hasil.csv"
    page = client.post(
        reverse("mcp:history_import"), {"file": upload, "source_name": "jaga.id", "load": "1"}
    )
    assert page.status_code == 200 and "Yang akan berubah bila dimuat" in page.content.decode()
    assert not ScoreSnapshot.objects.exists()
