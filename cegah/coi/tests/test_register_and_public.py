"""The register's neighbours (a WBS handler's recusal, a gift from a declared party), its Excel
export, and the public counts with small ones hidden."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cegah.coi import services
from cegah.coi.models import Declaration, Handling
from cegah.coi.services import Decision
from cegah.home.related import same_party
from cegah.testing.clients import sign_in
from cegah.upg import services as upg
from cegah.upg.tests.conftest import REPORTER, RULES, gift
from cegah.wbs.tests.conftest import SubmitFn, key_of, submit  # noqa: F401 - a fixture

from .conftest import Coi, facts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("party", "giver", "same"),
    [
        ("CV Karya Mandiri (milik adik ipar saya)", "Karya Mandiri", True),
        ("CV Karya Mandiri", "cv. karya mandiri", True),
        ("PT Jalan Raya", "Jalan Raya Tbk", True),
        ("PT Jalan Raya", "PT Jalan Lurus", False),
    ],
)
def test_a_party_is_matched_however_written(party: str, giver: str, same: bool) -> None:
    assert same_party(party, giver) is same


def test_related_records_without_the_wbs_report(coi: Coi, submit: SubmitFn) -> None:  # noqa: F811
    """A handler's recusal shows by name and month; a gift from a declared party by the
    report's number. Nothing of the WBS report."""
    from cegah.wbs import services as wbs

    handler = coi.world.inspektorat_binjai
    key = key_of(handler)  # the handler has signed in since key pairs came
    key_of(coi.world.koordinator)
    report, _receipt = submit(what="Pungutan liar di loket izin, oleh pegawai DPMPTSP.")
    wbs.conflict_declare(report_id=report.pk, user=handler, private_key=key)
    declaration = services.declaration_submit(
        actor=coi.declarant.user,
        employee=coi.declarant,
        facts=facts(parties="CV Karya Mandiri\nPT Sinar Terang"),
    )
    for path in RULES:
        upg.rules_import(path=path)
    mine = upg.report_submit(
        actor=coi.declarant.user,
        employee=coi.declarant,
        gift=gift(giver_name="CV. Karya Mandiri", value=Decimal(2_000_000)),
        reporter=REPORTER,
    )
    theirs = upg.report_submit(
        actor=coi.colleague.user,
        employee=coi.colleague,
        gift=gift(giver_name="Sinar Terang", value=Decimal(900_000)),
        reporter=REPORTER,
    )
    upg.report_submit(
        actor=coi.colleague.user,
        employee=coi.colleague,
        gift=gift(giver_name="Toko Buku Abadi"),
        reporter=REPORTER,
    )
    url = reverse("home:coi_related", kwargs={"code": coi.world.binjai.code})
    page = sign_in(Client(), coi.officer).get(url).content.decode()
    assert handler.full_name in page
    assert timezone.localdate().strftime("%Y") in page
    assert "Pungutan liar" not in page and "DPMPTSP" not in page
    assert f"/wbs/laporan/{report.pk}/" not in page
    assert mine.number in page and theirs.number in page
    assert "Toko Buku Abadi" not in page and declaration.number in page
    assert "yang menyatakan" in page and "pegawai lain" in page
    for outsider in (coi.head.user, coi.world.admin_binjai, coi.declarant.user):
        assert sign_in(Client(), outsider).get(url).status_code == 404


def test_register_export(coi: Coi) -> None:
    d = services.declaration_submit(actor=coi.declarant.user, employee=coi.declarant, facts=facts())
    services.declaration_decide(
        actor=coi.head.user,
        declaration=d,
        decision=Decision(Handling.DELEGATED, "Keluarga dekat.", delegate=coi.colleague),
    )
    client = sign_in(Client(), coi.world.inspektorat_binjai)
    url = reverse("coi:register", kwargs={"code": coi.world.binjai.code})
    export = client.get(url + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == d.number
    assert "Lina Sembiring" in rows[1]
    assert "Keputusan dialihkan ke pejabat lain" in rows[1]


def test_public_counts_hide_small_ones_and_stop_yesterday(coi: Coi) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    made = [
        services.declaration_submit(actor=coi.declarant.user, employee=coi.declarant, facts=facts())
        for _n in range(6)
    ]
    for d in made[:5]:
        services.declaration_decide(
            actor=coi.head.user, declaration=d, decision=Decision(Handling.RECUSAL, "Keluarga.")
        )
    Declaration.objects.update(declared_on=yesterday, decided_on=yesterday)
    services.declaration_submit(actor=coi.declarant.user, employee=coi.declarant, facts=facts())
    url = reverse("public:conflicts_pemda", kwargs={"code": coi.world.binjai.code})
    page = Client().get(url + f"?tahun={yesterday.year}").content.decode()
    # 6 declared by yesterday (today's waits for tomorrow), 5 decided, all by recusal.
    assert ">6<" in page and ">5<" in page
    assert "Rudi" not in page and "Tender" not in page
    # Three of them decided otherwise: each handling now under 5.
    Declaration.objects.filter(pk__in=[d.pk for d in made[:3]]).update(handling=Handling.NONE)
    page = Client().get(url + f"?tahun={yesterday.year}&x=1").content.decode()
    assert page.count("&lt; 5") >= 2
    national = Client().get(reverse("public:conflicts") + f"?tahun={yesterday.year}")
    assert "Kota Binjai" in national.content.decode()
