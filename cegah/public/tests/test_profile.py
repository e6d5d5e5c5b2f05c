"""The integrity profile, the comparison, and the front door: every module's section when it
holds something and "Belum ada data" when it holds nothing; small counts hidden on every public
surface; HEAD answered as GET."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cegah.core.tables import read_table
from cegah.spi import services as spi
from cegah.spi.results import read_scores
from cegah.testing.clients import sign_in
from cegah.testing.world import World
from cegah.upg import services as upg
from cegah.upg.models import Report as Gift
from cegah.upg.tests.conftest import REPORTER, RULES, employee, gift
from cegah.wbs.tests.conftest import submit  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SPI_DATA = sorted((Path(settings.BASE_DIR) / "data" / "spi").glob("spi-*.yaml"))


def _spi(world: World, text: str) -> None:
    for path in SPI_DATA:
        spi.reference_import(path=path)
    plan = read_scores(read_table(text.encode(), filename="spi.csv"))
    assert not plan.problems
    spi.scores_import(actor=world.koordinator, plan=plan, source=spi.Source("jaga.id"))


def _gifts(world: World, n: int) -> None:
    for path in RULES:
        upg.rules_import(path=path)
    person = employee(
        world.operator_binjai, pemda=world.binjai, opd=world.bpkad_binjai, nip="198501012010011002"
    )
    for _i in range(n):
        upg.report_submit(
            actor=person.user, employee=person, gift=gift(value=Decimal(700_000)), reporter=REPORTER
        )
    Gift.objects.update(submitted_on=timezone.localdate() - timedelta(days=1))


def test_a_pemda_with_no_data_says_so_in_every_section(world: World) -> None:
    page = Client().get(reverse("public:profile", kwargs={"code": world.kab_pekalongan.code}))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("Belum ada data.") == 6  # MCP, SPI, ZI, WBS, gratification, conflicts


def test_the_mcp_page_leads_to_the_profile(world: World, published) -> None:
    page = Client().get(reverse("public:pemda", kwargs={"code": world.binjai.code}))
    assert reverse("public:profile", kwargs={"code": world.binjai.code}) in page.content.decode()


def test_every_module_present(world: World, published) -> None:
    _spi(world, "tahun,kode_pemda,nilai,transparansi\n2024,12.75,72.9,70\n2025,12.75,73,71.5\n")
    _gifts(world, 6)
    page = Client().get(reverse("public:profile", kwargs={"code": world.binjai.code}))
    text = page.content.decode()
    assert "Belum ada data." in text  # ZI, WBS and conflicts hold nothing here
    # MCP: both published years with their ranks.
    assert "2024" in text and "2025" in text
    # SPI with the category of each year, the national index and the element.
    assert "72,90" in text and "Rentan" in text and "Waspada" in text
    assert "71,53" in text  # the national index of 2024
    assert "Transparansi" in text and "71,50" in text
    # Gratification: six reports of last year's day (as of yesterday), shown as they are.
    assert ">6<" in text
    assert '"label": "SPI"' in text  # the chart's data


def test_small_counts_are_hidden_on_the_profile(world: World) -> None:
    _gifts(world, 3)
    text = (
        Client().get(reverse("public:profile", kwargs={"code": world.binjai.code})).content.decode()
    )
    assert "&lt; 5" in text
    assert "Rp2.100.000" not in text


def test_today_is_not_in_the_profile(world: World) -> None:
    _gifts(world, 5)
    Gift.objects.update(submitted_on=timezone.localdate())
    text = (
        Client().get(reverse("public:profile", kwargs={"code": world.binjai.code})).content.decode()
    )
    assert text.count("Belum ada data.") == 6


def test_the_pdf(world: World) -> None:
    _spi(world, "tahun,kode_pemda,nilai\n2025,12.75,78\n")
    pdf = Client().get(reverse("public:profile_pdf", kwargs={"code": world.binjai.code}))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Profil integritas Kota Binjai" in text and "Terjaga" in text


def test_comparing_up_to_five(world: World) -> None:
    _spi(world, "tahun,kode_pemda,nilai\n2025,12.75,74.35\n2025,33.75,79.10\n")
    codes = "12.75,33.75,33.26,12,33,16.71"
    text = Client().get(reverse("public:compare") + f"?kode={codes}").content.decode()
    for name in ("Kota Binjai", "Kota Pekalongan", "Kabupaten Pekalongan"):
        assert name in text
    assert "74,35" in text and "79,10" in text
    assert "Kota Palembang" not in text  # the sixth is left out


def test_the_front_door(world: World, published) -> None:
    visitor = Client().get("/")
    text = visitor.content.decode()
    assert visitor.status_code == 200
    for expected in ("Cari Pemda Anda", "Laporkan dugaan korupsi", "Masuk untuk petugas"):
        assert expected in text
    found = (
        Client()
        .get(reverse("public:pemda_search") + "?q=binj", headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "<html" not in found  # the list alone, for htmx
    page = Client().get(reverse("public:pemda_search") + "?q=binj").content.decode()
    assert "<html" in page and "Kota Binjai" in page  # without JavaScript, a page
    assert "Kota Binjai" in found and reverse("public:profile", kwargs={"code": "12.75"}) in found
    by_code = Client().get(reverse("public:pemda_search") + "?q=33.7").content.decode()
    assert "Kota Pekalongan" in by_code
    # A signed-in person keeps their own home.
    mine = sign_in(Client(), world.admin_binjai).get("/").content.decode()
    assert "Cari Pemda Anda" not in mine and "Laporan MCP" in mine


def test_public_pages_answer_head(world: World, published) -> None:
    client = Client()
    for url in (
        "/",
        "/publik/",
        reverse("public:profile", kwargs={"code": "12.75"}),
        reverse("public:gratification"),
        reverse("public:conflicts"),
        reverse("public:zi_designations"),
    ):
        assert client.head(url).status_code in (200, 302), url


def test_the_profile_reads_the_same_queries_as_pemda_double(world: World) -> None:
    """Made from nothing (no cached page), the profile's queries do not grow with the data."""
    from django.core.cache import cache

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            Client().get(reverse("public:profile", kwargs={"code": world.binjai.code}))
        return len(ctx.captured_queries)

    _spi(world, "tahun,kode_pemda,nilai\n2024,12.75,70\n2024,33.75,80\n")
    small = count()
    plan = read_scores(
        read_table(
            b"tahun,kode_pemda,nilai\n2025,12.75,71\n2025,33.75,81\n2025,33.26,60\n",
            filename="s.csv",
        )
    )
    spi.scores_import(actor=world.koordinator, plan=plan, source=spi.Source("jaga.id"))
    assert count() == small


def test_every_module_in_the_profile(
    world: World,
    published,
    submit,  # noqa: F811
    request,
) -> None:
    """MCP, SPI, a ZI predicate, WBS reports, gratification reports and a declaration: every
    section shows its figures, none says "Belum ada data"."""
    from cegah.coi import services as coi
    from cegah.coi.tests.conftest import LISTS, facts
    from cegah.core.tests.test_authorization_matrix import _zi
    from cegah.wbs.models import Report as WbsReport
    from cegah.wbs.tests.conftest import key_of

    _spi(world, "tahun,kode_pemda,nilai\n2025,12.75,78\n")
    _gifts(world, 5)
    _zi(world, request)
    key_of(world.inspektorat_binjai)
    key_of(world.koordinator)
    for _n in range(5):
        submit()
    WbsReport.objects.update(received_on=timezone.localdate() - timedelta(days=3))
    for path in LISTS:
        coi.lists_import(path=path)
    person = world.operator_binjai.employee
    coi.declaration_submit(actor=person.user, employee=person, facts=facts())
    from cegah.coi.models import Declaration

    Declaration.objects.update(declared_on=timezone.localdate() - timedelta(days=1))
    text = (
        Client().get(reverse("public:profile", kwargs={"code": world.binjai.code})).content.decode()
    )
    assert "Belum ada data." not in text
    assert "Terjaga" in text  # SPI 2025
    assert "WBK" in text  # the designated unit
    assert ">5<" in text  # five WBS reports and five gifts, shown as they are
    assert "&lt; 5" in text  # one declaration
