"""The demo world `make run` seeds: a few Pemda named in the news reports behind the project
(docs/domain/regions.md), their OPD and one account per role. Idempotent; never run against
production data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.audit import services as audit
from cegah.regions.models import Opd, Pemda

from .models import Role, RoleAssignment, User, VerifierAssignment

DEMO_OPDS = [
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    ("Badan Pendapatan Daerah", "Bapenda"),
    ("Bagian Pengadaan Barang dan Jasa", "BPBJ"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR"),
    ("Inspektorat Daerah", "Inspektorat"),
]
DEMO_PEMDA = ["12.75", "12", "33.75", "33.26", "33", "16.71", "16"]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role
    pemda: str | None = None
    opd_short: str | None = None
    verifies: tuple[str, ...] = ()


DEMO_ACCOUNTS = [
    DemoAccount("operator.binjai@cegah.test", "Rina Siregar", Role.OPERATOR, "12.75", "BPKAD"),
    DemoAccount("admin.binjai@cegah.test", "Budi Nasution", Role.ADMIN_PEMDA, "12.75"),
    DemoAccount("inspektorat.binjai@cegah.test", "Sari Lubis", Role.INSPEKTORAT, "12.75"),
    DemoAccount("operator.pekalongan@cegah.test", "Dewi Rahayu", Role.OPERATOR, "33.75", "BPBJ"),
    DemoAccount("admin.pekalongan@cegah.test", "Agus Santoso", Role.ADMIN_PEMDA, "33.75"),
    DemoAccount("admin.palembang@cegah.test", "Fitri Hasanah", Role.ADMIN_PEMDA, "16.71"),
    DemoAccount("inspektorat.palembang@cegah.test", "Rudi Hartono", Role.INSPEKTORAT, "16.71"),
    DemoAccount("inspektorat.sumsel@cegah.test", "Yusuf Hakim", Role.INSPEKTORAT, "16"),
    DemoAccount(
        "verifikator.sumut@cegah.test", "Hendra Ginting", Role.VERIFIKATOR, verifies=("12", "12.75")
    ),
    DemoAccount(
        "verifikator.jateng@cegah.test",
        "Wahyu Prasetyo",
        Role.VERIFIKATOR,
        verifies=("33", "33.75", "33.26"),
    ),
    DemoAccount("koordinator@cegah.test", "Maya Kusuma", Role.KOORDINATOR),
    DemoAccount("superadmin@cegah.test", "Admin Sistem", Role.SUPERADMIN),
]


def demo_totp_key(email: str) -> str:
    """A fixed, published TOTP key per demo account, so a demo can be tried without enrolling."""
    return hashlib.sha256(f"cegah-demo-totp:{email}".encode()).hexdigest()[:40]


@transaction.atomic
def demo_world_seed() -> list[DemoAccount]:
    pemdas = {p.code: p for p in Pemda.objects.filter(code__in=DEMO_PEMDA)}
    for pemda in pemdas.values():
        for name, short in DEMO_OPDS:
            Opd.objects.get_or_create(pemda=pemda, name=name, defaults={"short_name": short})
    created: list[str] = []
    for account in DEMO_ACCOUNTS:
        user, was_created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "is_superuser": account.role == Role.SUPERADMIN,
                "is_staff": account.role == Role.SUPERADMIN,
            },
        )
        if was_created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created.append(account.email)
        home = pemdas.get(account.pemda) if account.pemda else None
        opd = (
            Opd.objects.get(pemda=home, short_name=account.opd_short)
            if home and account.opd_short
            else None
        )
        RoleAssignment.objects.get_or_create(user=user, role=account.role, pemda=home, opd=opd)
        for code in account.verifies:
            VerifierAssignment.objects.get_or_create(verifier=user, pemda=pemdas[code])
        TOTPDevice.objects.get_or_create(
            user=user,
            confirmed=True,
            defaults={"name": "demo", "key": demo_totp_key(account.email)},
        )
    if created:
        audit.record(actor=None, action="demo.seed", data={"accounts_created": created})
    return DEMO_ACCOUNTS
