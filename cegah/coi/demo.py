"""The demo's conflict of interest: Palembang's demo civil servant declares one, waiting on
their superior (the demo's other civil servant). Example data, as every demo page says."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cegah.accounts.models import Employee

from . import services
from .models import Declaration, ListVersion


def coi_demo_seed() -> int:
    employee = Employee.objects.filter(user__email="pegawai.palembang@cegah.test").first()
    if (
        employee is None
        or not ListVersion.objects.exists()  # `make run` loads data/coi/ first
        or Declaration.objects.filter(employee=employee).exists()
    ):
        return 0
    services.declaration_submit(
        actor=employee.user,
        employee=employee,
        facts=services.Facts(
            matter_kind="pengadaan",
            matter="Tender pemeliharaan jalan kota 2026",
            conflict_type="aktual",
            source="keluarga",
            parties="CV Musi Jaya (milik kakak ipar saya)",
            since=timezone.localdate() - timedelta(days=60),
            description="Kakak ipar saya direktur salah satu peserta tender yang saya evaluasi.",
        ),
    )
    return 1
