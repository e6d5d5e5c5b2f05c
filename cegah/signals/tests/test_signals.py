"""Each signal rule fires at its threshold and not below it; the list is ranked, filtered by
province, exported and marked reviewed; nobody but the Koordinator sees it."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cegah.core.tables import read_table
from cegah.mcp.models import PemdaScore
from cegah.public.tests.conftest import published  # noqa: F401 - a fixture
from cegah.signals import services
from cegah.signals.rules import signals
from cegah.spi import services as spi
from cegah.spi.results import read_scores
from cegah.testing.clients import sign_in
from cegah.testing.world import World
from cegah.upg import services as upg
from cegah.upg.models import Report as Gift
from cegah.upg.tests.conftest import REPORTER, RULES, employee, gift
from cegah.wbs import services as wbs
from cegah.wbs.models import ReportState
from cegah.wbs.tests.conftest import SubmitFn, key_of, submit  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data"


@pytest.fixture(autouse=True)
def rules(regions: None) -> None:
    for path in sorted((DATA / "signals").glob("sinyal-*.yaml")):
        services.rules_import(path=path)
    for path in sorted((DATA / "spi").glob("spi-*.yaml")):
        spi.reference_import(path=path)


def _mcp(year: int, code: str, verified: str, self_score: str | None = None) -> None:
    PemdaScore.objects.filter(snapshot__year=year, pemda__code=code, termin=0).update(
        verified_score=Decimal(verified), self_score=Decimal(self_score) if self_score else None
    )


def _spi(world: World, rows: str) -> None:
    plan = read_scores(read_table(f"tahun,kode_pemda,nilai\n{rows}".encode(), filename="s.csv"))
    spi.scores_import(actor=world.koordinator, plan=plan, source=spi.Source("jaga.id"))


def fired(rule: str) -> list[str]:
    return [s.pemda.code for s in signals() if s.rule == rule]


def test_high_mcp_with_a_vulnerable_spi(world: World, published) -> None:  # noqa: F811
    _mcp(2025, "12.75", "85")
    _mcp(2025, "33.75", "84.99")
    _spi(world, "2025,12.75,72.9\n2025,33.75,60\n")
    assert fired("mcp_tinggi_spi_rentan") == ["12.75"]
    (signal,) = [s for s in signals() if s.rule == "mcp_tinggi_spi_rentan"]
    assert signal.reason == "MCP 2025 85,00 (≥ 85) sementara SPI 2025 72,90, kategori rentan."


def test_no_signal_when_spi_is_not_vulnerable(world: World, published) -> None:  # noqa: F811
    _mcp(2025, "12.75", "95")
    _spi(world, "2025,12.75,73\n")
    assert fired("mcp_tinggi_spi_rentan") == []


def test_a_large_gap_between_self_assessed_and_verified(world: World, published) -> None:  # noqa: F811
    _mcp(2025, "12.75", "60", self_score="80")
    _mcp(2025, "33.75", "60", self_score="79.99")
    assert fired("selisih_mandiri_verifikasi") == ["12.75"]


def test_a_sharp_rise_with_more_substantiated_reports(
    world: World,
    published,  # noqa: F811
    submit: SubmitFn,  # noqa: F811
) -> None:
    _mcp(2024, "12.75", "50")
    _mcp(2025, "12.75", "65")
    _mcp(2024, "33.75", "50")
    _mcp(2025, "33.75", "64.99")
    handler = world.inspektorat_binjai
    key = key_of(handler)
    key_of(world.koordinator)
    for _n in range(2):
        report, _receipt = submit()
        for state in (ReportState.VERIFYING, ReportState.FOLLOWED_UP):
            report.refresh_from_db()
            wbs.report_transition(
                report_id=report.pk,
                user=handler,
                private_key=key,
                to_state=state,
                note="Diperiksa bersama Inspektur Pembantu."
                if state == ReportState.FOLLOWED_UP
                else "",
                version=report.version,
            )
    from cegah.wbs.models import Report

    Report.objects.update(received_on=date(2025, 6, 2))
    assert fired("mcp_naik_wbs_naik") == ["12.75"]
    Report.objects.filter(pk=report.pk).update(received_on=date(2024, 6, 3))
    assert fired("mcp_naik_wbs_naik") == []  # one more than the year before: under the 2


def test_gratification_reports_that_stopped(world: World) -> None:
    for path in RULES:
        upg.rules_import(path=path)
    person = employee(
        world.operator_binjai, pemda=world.binjai, opd=world.bpkad_binjai, nip="198501012010011002"
    )
    for _n in range(5):
        upg.report_submit(actor=person.user, employee=person, gift=gift(), reporter=REPORTER)
    yesterday = timezone.localdate() - timedelta(days=1)
    Gift.objects.update(submitted_on=yesterday.replace(year=yesterday.year - 1, month=6, day=1))
    late_enough = (yesterday - yesterday.replace(month=1, day=1)).days >= 90
    assert fired("gratifikasi_berhenti") == (["12.75"] if late_enough else [])
    Gift.objects.filter(pk=Gift.objects.first().pk).update(  # type: ignore[union-attr]
        submitted_on=yesterday.replace(year=yesterday.year - 1, month=6, day=1)
        - timedelta(days=400)
    )
    assert fired("gratifikasi_berhenti") == []  # four last year: under the 5


def test_the_koordinators_page(world: World, published) -> None:  # noqa: F811
    _mcp(2025, "12.75", "60", self_score="90")
    _mcp(2025, "33.75", "60", self_score="85")
    url = reverse("signals:list")
    for outsider in (world.admin_binjai, world.verifier_sumut, world.inspektorat_binjai):
        assert sign_in(Client(), outsider).get(url).status_code == 404
    client = sign_in(Client(), world.koordinator)
    page = client.get(url).content.decode()
    # Strongest first: a 30-point gap before a 25-point one.
    assert page.index("Kota Binjai") < page.index("Kota Pekalongan")
    only_jateng = client.get(url + "?provinsi=33").content.decode()
    assert "Kota Binjai" not in only_jateng and "Kota Pekalongan" in only_jateng
    export = client.get(url + "?format=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][1] == "12.75" and "selisih 30,00 poin" in rows[1][5]
    client.post(
        url,
        {
            "pemda": "12.75",
            "rule": "selisih_mandiri_verifikasi",
            "year": "2025",
            "note": "Sudah dikonfirmasi verifikator.",
        },
    )
    page = client.get(url).content.decode()
    assert "Sudah dikonfirmasi verifikator." in page
    assert page.index("Kota Pekalongan") < page.index("Kota Binjai")  # reviewed ones last
