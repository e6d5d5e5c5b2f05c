import re

import pytest
from django.core.management import call_command

from cegah.regions.models import Pemda
from cegah.wbs import crypto
from cegah.wbs.models import HandlingLevel, Report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions", "demo_on")]


def test_the_demo_reports_are_seeded_once_and_their_receipts_work(capsys) -> None:
    call_command("seed_demo")
    printed = capsys.readouterr().out
    codes = re.findall(r"WBS-\d+ .*: (\d{16})", printed)
    assert len(codes) == 4 == Report.objects.count()
    for code in codes:
        assert Report.objects.filter(receipt_hash=crypto.receipt_hash(code)).exists()
    # The report about Palembang's own Inspektorat goes to South Sumatra's.
    routed = Report.objects.get(type="gratifikasi")
    assert routed.level == HandlingLevel.PROVINSI and routed.handler_pemda == Pemda.objects.get(
        code="16"
    )
    call_command("seed_demo")
    assert Report.objects.count() == 4 and "WBS-" not in capsys.readouterr().out
