import re

import pytest
from django.core.management import call_command

from cegah.regions.models import Pemda
from cegah.wbs import access, crypto
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


def test_the_demo_handlers_read_their_reports_with_the_demo_password(settings) -> None:
    from cegah.accounts.models import User
    from cegah.wbs import services
    from cegah.wbs.selectors import report_view

    call_command("seed_demo")
    for email, count in (
        ("inspektorat.palembang@cegah.test", 2),
        ("inspektorat.sumsel@cegah.test", 1),
        ("inspektorat.binjai@cegah.test", 1),
    ):
        handler = User.objects.get(email=email)
        private_key = services.handler_key_open(user=handler, password=settings.DEMO_PASSWORD)
        assert private_key is not None
        reports = access.reports_handled_by(user=handler)
        assert reports.count() == count, email
        for report in reports:
            key = services.report_key_for(report=report, user=handler, private_key=private_key)
            assert report_view(report=report, key=key, for_handler=True).content.what
