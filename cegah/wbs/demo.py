"""Demo whistle-blowing reports for `make run`, written through the services like real ones."""

from __future__ import annotations

from django.db import transaction

from cegah.accounts.models import User
from cegah.regions.models import Pemda

from . import services
from .models import Report
from .services import ReportContent, ReporterIdentity

DEMO_REPORTS = [
    (
        "16.71",
        "korupsi",
        ReportContent(
            what="Pemotongan dana hibah untuk kelompok tani sebesar 20% oleh petugas dinas.",
            who_name="(tidak diketahui)",
            who_position="Petugas lapangan",
            who_unit="Dinas Pertanian",
            when="Februari 2026",
            where="Kecamatan Sukarami",
            how="Dana diserahkan tunai setelah pencairan, dipotong sebelum diterima.",
            estimated_loss=60_000_000,
        ),
        None,
        False,
    ),
    (
        "16.71",
        "layanan",
        ReportContent(
            what="Pengurusan KTP elektronik dimintai biaya Rp150.000 agar cepat selesai.",
            who_unit="Disdukcapil",
            when="April 2026",
            where="Kantor Disdukcapil",
        ),
        ReporterIdentity(name="Warga Demo", contact="warga.demo@contoh.test"),
        False,
    ),
    (
        "16.71",
        "gratifikasi",
        ReportContent(
            what="Auditor Inspektorat menerima hadiah dari OPD yang sedang diaudit.",
            who_position="Auditor",
            who_unit="Inspektorat Kota Palembang",
            when="Mei 2026",
        ),
        None,
        True,
    ),
    (
        "12.75",
        "benturan",
        ReportContent(
            what="Pejabat pengadaan menunjuk perusahaan milik saudaranya sebagai penyedia.",
            who_position="Pejabat Pengadaan",
            who_unit="Dinas PUPR",
            when="Juni 2026",
        ),
        None,
        False,
    ),
]


def wbs_demo_seed() -> list[tuple[Report, str]]:
    """Adds the demo reports once; returns the new ones with their receipt codes."""
    if Report.objects.exists():
        return []
    created = []
    with transaction.atomic():
        for code, kind, content, identity, names_inspectorate in DEMO_REPORTS:
            created.append(
                services.report_submit(
                    pemda=Pemda.objects.get(code=code),
                    type=kind,
                    content=content,
                    identity=identity,
                    names_inspectorate=names_inspectorate,
                )
            )
        handler = User.objects.filter(email="inspektorat.palembang@cegah.test").first()
        if handler is not None:
            first = created[0][0]
            services.report_transition(
                report_id=first.pk, user=handler, to_state="verifying", note="", version=1
            )
            services.handler_message_add(
                report_id=first.pk,
                user=handler,
                body="Terima kasih. Kelompok tani mana yang dipotong dananya?",
                asks_for_information=True,
            )
    return created
