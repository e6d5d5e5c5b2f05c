"""The main menu: each role's work page first, in the role's words; the way to report a
violation for citizens only, never mixed into a staff menu."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cegah.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def _menu(client: Client, path: str = "/publik/") -> list[tuple[str, str]]:
    """The (address, words) of the main menu's first list, after the brand."""
    page = client.get(path).content.decode()
    nav = page[page.index("<header") :]
    first = nav[: nav.index("</ul>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', first, re.S)
    assert links[0][0] == "/"  # the brand: the home, which is each person's work
    return [(url, re.sub(r"<[^>]+>", "", words).strip()) for url, words in links[1:]]


def test_citizens_are_offered_to_report_a_suspected_violation(client, regions) -> None:
    menu = _menu(client)
    assert menu == [
        ("/publik/", "Skor MCP"),
        ("/lapor/", "Laporkan dugaan pelanggaran"),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "operator_binjai",
            [
                ("/mcp/lapor/", "Laporan MCP"),
                ("/mcp/indikator-saya/", "Indikator saya"),
                ("/mcp/pemda/12.75/rekomendasi/", "Rekomendasi"),
                ("/zi/pemda/12.75/", "Zona Integritas"),
            ],
        ),
        (
            "admin_binjai",
            [
                ("/mcp/pemda/12.75/laporan/", "Laporan MCP"),
                ("/mcp/pemda/12.75/penugasan/", "Penugasan"),
                ("/akun/pemda/12.75/pengguna/", "Pengguna"),
                ("/akun/pemda/12.75/pegawai/", "Daftar pegawai"),
                ("/mcp/pemda/12.75/rekomendasi/", "Rekomendasi"),
                ("/mcp/pemantauan/12.75/", "Pemantauan"),
                ("/zi/pemda/12.75/", "Zona Integritas"),
            ],
        ),
        (
            "verifier_sumut",
            [
                ("/mcp/verifikasi/", "Antrean verifikasi"),
                ("/mcp/rekomendasi/", "Rekomendasi"),
                ("/mcp/pemantauan/", "Pemantauan"),
            ],
        ),
        (
            "inspektorat_binjai",
            [
                ("/wbs/", "Laporan WBS"),
                ("/mcp/pemda/12.75/laporan/", "Reviu laporan MCP Kota Binjai"),
                ("/mcp/pemda/12.75/rekomendasi/", "Rekomendasi"),
                ("/mcp/pemantauan/12.75/", "Pemantauan"),
                ("/zi/pemda/12.75/", "Zona Integritas"),
                ("/gratifikasi/pemda/12.75/statistik/", "Statistik gratifikasi"),
                ("/benturan-kepentingan/pemda/12.75/", "Register benturan kepentingan"),
            ],
        ),
        (
            "koordinator",
            [
                ("/mcp/termin/", "Termin"),
                ("/akun/verifikator/", "Verifikator"),
                ("/mcp/skor/", "Penerbitan skor"),
                ("/spi/impor/", "SPI"),
                ("/sinyal/", "Sinyal"),
                ("/wbs/", "Laporan WBS"),
                ("/mcp/rekomendasi/", "Rekomendasi"),
                ("/mcp/pemantauan/", "Pemantauan"),
            ],
        ),
        (
            "superadmin",
            [
                ("/mcp/termin/", "Termin"),
                ("/akun/verifikator/", "Verifikator"),
                ("/mcp/skor/", "Penerbitan skor"),
                ("/spi/impor/", "SPI"),
                ("/sinyal/", "Sinyal"),
                ("/mcp/rekomendasi/", "Rekomendasi"),
                ("/mcp/pemantauan/", "Pemantauan"),
            ],
        ),
        ("nobody", []),
    ],
)
def test_each_role_finds_its_work_first_and_no_citizens_report_link(
    world, login, who, expected
) -> None:
    menu = _menu(login(getattr(world, who)))
    assert menu == [*expected, ("/mcp/katalog/", "Katalog MCP"), ("/publik/", "Skor MCP")]
    assert not [url for url, _words in menu if url.startswith("/lapor/")]


def test_a_person_with_several_roles_reads_each_roles_work_in_role_order(world, login) -> None:
    person = world.admin_binjai
    RoleAssignment.objects.create(
        user=person, role=Role.OPERATOR, pemda=world.binjai, opd=world.bpkad_binjai
    )
    RoleAssignment.objects.create(user=person, role=Role.VERIFIKATOR)
    menu = _menu(login(person))
    assert [words for _url, words in menu] == [
        "Laporan MCP",  # the OPD's items
        "Indikator saya",
        "Laporan MCP Kota Binjai",  # the Pemda's report, named apart
        "Penugasan",
        "Pengguna",
        "Daftar pegawai",
        "Antrean verifikasi",
        "Rekomendasi",  # the Pemda they verify and their own: the list across them
        "Pemantauan",
        "Zona Integritas",
        "Katalog MCP",
        "Skor MCP",
    ]


def test_the_page_one_is_on_is_marked_in_the_menu(world, login) -> None:
    page = login(world.verifier_sumut).get(reverse("mcp:verify_queue")).content.decode()
    assert '<a href="/mcp/verifikasi/" aria-current="page">Antrean verifikasi</a>' in page


def test_the_staff_menu_in_english(world, login) -> None:
    client = login(world.verifier_sumut)
    client.cookies["django_language"] = "en"
    assert ("/mcp/verifikasi/", "Verification queue") in _menu(client)
