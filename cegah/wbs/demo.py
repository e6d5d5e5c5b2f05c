"""Demo whistle-blowing reports for `make run`, written through the services like real ones."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from cegah.accounts.models import Role, User
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


def _demo_handler_keys() -> dict[str, bytes]:
    """Key pairs for the demo handlers, opened with the published demo password, as their first
    sign-in would make them: reports are sealed only to handlers who have one."""
    opened = {}
    handlers = User.objects.filter(
        roles__role__in=[Role.INSPEKTORAT, Role.KOORDINATOR], email__endswith="@cegah.test"
    ).distinct()
    for user in handlers:
        if not user.check_password(settings.DEMO_PASSWORD):
            continue  # its password was changed: its owner makes the key pair at sign-in
        private_key = services.handler_key_open(user=user, password=settings.DEMO_PASSWORD)
        if private_key is not None:
            opened[user.email] = private_key
    return opened


def wbs_demo_seed() -> list[tuple[Report, str]]:
    """Adds the demo reports once; returns the new ones with their receipt codes."""
    if Report.objects.exists():
        return []
    created = []
    keys = _demo_handler_keys()
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
        if handler is not None and handler.email in keys:
            first = created[0][0]
            services.report_transition(
                report_id=first.pk,
                user=handler,
                private_key=keys[handler.email],
                to_state="verifying",
                note="",
                version=1,
            )
            services.handler_message_add(
                report_id=first.pk,
                user=handler,
                private_key=keys[handler.email],
                body="Terima kasih. Kelompok tani mana yang dipotong dananya?",
                asks_for_information=True,
            )
    return created
