"""Open data of the new modules: SPI by year and the profile's figures in the API (paged,
filtered, ETag, in the schema), and the bulk CSV per year under its licence; small counts are
"< 5" on each."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cegah.core.tables import read_table
from cegah.spi import services as spi
from cegah.spi.results import read_scores
from cegah.testing.world import World
from cegah.upg import services as upg
from cegah.upg.models import Report as Gift
from cegah.upg.tests.conftest import REPORTER, RULES, employee, gift

pytestmark = pytest.mark.django_db


def _spi(world: World, text: str) -> None:
    for path in sorted((Path(settings.BASE_DIR) / "data" / "spi").glob("spi-*.yaml")):
        spi.reference_import(path=path)
    plan = read_scores(read_table(text.encode(), filename="s.csv"))
    spi.scores_import(
        actor=world.koordinator, plan=plan, source=spi.Source("jaga.id", "https://jaga.id")
    )


def _gifts(world: World, n: int) -> None:
    from cegah.accounts.models import Employee

    for path in RULES:
        upg.rules_import(path=path)
    person = Employee.objects.filter(user=world.operator_binjai).first() or employee(
        world.operator_binjai, pemda=world.binjai, opd=world.bpkad_binjai, nip="198501012010011002"
    )
    for _i in range(n):
        upg.report_submit(actor=person.user, employee=person, gift=gift(), reporter=REPORTER)
    Gift.objects.update(submitted_on=timezone.localdate() - timedelta(days=1))


def test_spi_by_year(world: World) -> None:
    _spi(world, "tahun,kode_pemda,nilai,transparansi\n2025,12.75,72.9,70\n2025,33.75,79.1,\n")
    url = reverse("api_spi", kwargs={"year": 2025})
    body = Client().get(url).json()
    assert body["count"] == 2 and body["source"]["name"] == "jaga.id"
    first = body["results"][0]
    assert (first["pemda"], first["value"], first["category"]) == ("12.75", "72.90", "rentan")
    assert first["elements"] == {"transparansi": "70.00"}
    assert Client().get(url + "?province=33").json()["count"] == 1
    assert Client().get(url + "?province=99").status_code == 400
    assert Client().get(reverse("api_spi", kwargs={"year": 2023})).status_code == 404
    response = Client().get(url)
    assert Client().get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_profile_figures_hide_small_counts(world: World) -> None:
    _spi(world, "tahun,kode_pemda,nilai\n2025,12.75,74.35\n")
    _gifts(world, 3)
    url = reverse("api_profiles") + "?pemda=12.75"
    (row,) = Client().get(url).json()["results"]
    assert row["gratification_reports"] == "< 5"
    assert row["spi_value"] == "74.35" and row["spi_category"] == "waspada"
    assert row["wbs_reports"] == "< 5"  # none: 0 is not told apart from 1 to 4
    _gifts(world, 2)
    (row,) = Client().get(url + "&x=1").json()["results"]
    assert row["gratification_reports"] == 5


def test_profile_figures_read_the_same_queries_for_every_page_size(world: World) -> None:
    from django.core.cache import cache

    def count(size: int, *, fresh: bool = True) -> int:
        if fresh:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(reverse("api_profiles") + f"?page_size={size}").status_code == 200
        return len(ctx.captured_queries)

    made = count(50)
    assert count(100) == made
    # The country's table is read once per publication or day; a page then costs its slice.
    assert count(100, fresh=False) < made


def test_the_schema_names_the_new_endpoints() -> None:
    schema = Client().get(reverse("api_schema")).content.decode()
    assert "/api/v1/spi/{year}/" in schema and "/api/v1/profiles/" in schema
    assert "< 5" in schema


def test_the_bulk_csv_of_a_year_under_its_licence(world: World) -> None:
    _gifts(world, 2)
    year = (timezone.localdate() - timedelta(days=1)).year
    page = Client().get(reverse("public:open_data")).content.decode()
    assert "CC BY 4.0" in page and f"profil-{year}.csv" in page
    content = b"".join(
        Client().get(reverse("public:open_data_csv", kwargs={"year": year})).streaming_content  # type: ignore[attr-defined]
    ).decode("utf-8-sig")
    rows = {r["kode_pemda"]: r for r in csv.DictReader(io.StringIO(content))}
    assert len(rows) == 546
    assert rows["12.75"]["gratifikasi_laporan"] == "< 5"
    assert rows["33.75"]["gratifikasi_laporan"] == "< 5"  # none, shown as the pages show it
    assert (
        Client().get(reverse("public:open_data_csv", kwargs={"year": year + 1})).status_code == 404
    )
