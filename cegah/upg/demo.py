"""The demo's gratification reports: Palembang's demo civil servant reports two gifts; the UPG
forwarded one to KPK, which decided it; the other waits. Example data, as every demo page says."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cegah.accounts.models import Employee, User

from . import services
from .models import Outcome, Report, RuleSet


def upg_demo_seed() -> int:
    """Idempotent: nothing when Palembang's demo civil servant has reports already."""
    employee = Employee.objects.filter(user__email="pegawai.palembang@cegah.test").first()
    unit = User.objects.filter(email="upg.palembang@cegah.test").first()
    if (
        employee is None
        or unit is None
        or not RuleSet.objects.exists()  # `make run` loads data/upg/ first
        or Report.objects.filter(employee=employee).exists()
    ):
        return 0
    today = timezone.localdate()
    reporter = services.Reporter(
        nik="1671010101900001", address="Jl. Merdeka 1, Palembang", phone=""
    )
    decided = services.report_submit(
        actor=employee.user,
        employee=employee,
        gift=services.Gift(
            giver_name="PT Sriwijaya Konstruksi",
            giver_relation="Rekanan pekerjaan jalan",
            giver_address="Palembang",
            received_on=today - timedelta(days=20),
            place="Kantor Dinas PUPR",
            occasion="Setelah serah terima pekerjaan",
            category="",
            kind="uang",
            description="Amplop berisi uang tunai",
            value=Decimal(2_500_000),
            refused=False,
            chronology="Diberikan setelah rapat serah terima; saya serahkan ke UPG keesokan harinya.",
        ),
        reporter=reporter,
    )
    services.report_forward(actor=unit, report=decided)
    services.decision_record(
        actor=unit,
        report=decided,
        decision=services.Decision(Outcome.STATE, "CONTOH/GRA/KPK/2026", today),
    )
    services.report_submit(
        actor=employee.user,
        employee=employee,
        gift=services.Gift(
            giver_name="Keluarga Bapak Hasan",
            giver_relation="Kenalan, rekanan pengadaan",
            giver_address="",
            received_on=today - timedelta(days=3),
            place="Rumah",
            occasion="Pernikahan anak saya",
            category="pernikahan",
            kind="uang",
            description="Amplop hadiah pernikahan",
            value=Decimal(2_000_000),
            refused=False,
            chronology="Diterima di acara resepsi.",
        ),
        reporter=reporter,
    )
    return 2
