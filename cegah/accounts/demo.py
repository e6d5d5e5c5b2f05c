"""The demo world `make run` seeds: a few Pemda named in the news reports behind the project
(docs/domain/regions.md), their OPD and one account per role. Idempotent; never run against
production data."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from django.db.models import Q
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
    institution: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("operator.binjai@cegah.test", "Rina Siregar", Role.OPERATOR, "12.75", "BPKAD"),
    DemoAccount("admin.binjai@cegah.test", "Budi Nasution", Role.ADMIN_PEMDA, "12.75"),
    DemoAccount("inspektorat.binjai@cegah.test", "Sari Lubis", Role.INSPEKTORAT, "12.75"),
    DemoAccount("operator.pekalongan@cegah.test", "Dewi Rahayu", Role.OPERATOR, "33.75", "BPBJ"),
    DemoAccount("admin.pekalongan@cegah.test", "Agus Santoso", Role.ADMIN_PEMDA, "33.75"),
    DemoAccount("admin.palembang@cegah.test", "Fitri Hasanah", Role.ADMIN_PEMDA, "16.71"),
    DemoAccount("inspektorat.palembang@cegah.test", "Rudi Hartono", Role.INSPEKTORAT, "16.71"),
    DemoAccount("inspektorat.sumsel@cegah.test", "Yusuf Hakim", Role.INSPEKTORAT, "16"),
    # Two civil servants of Palembang on its demo staff list (DEMO_STAFF): one and their superior.
    DemoAccount("pegawai.palembang@cegah.test", "Ahmad Fauzi", Role.PEGAWAI, "16.71"),
    DemoAccount("atasan.palembang@cegah.test", "Siti Rahmawati", Role.PEGAWAI, "16.71"),
    # Palembang's gratification control unit and its conflict-of-interest officer.
    DemoAccount("upg.palembang@cegah.test", "Dewi Anggraini", Role.UPG, "16.71"),
    DemoAccount("ppkk.palembang@cegah.test", "Hendra Saputra", Role.PPKK, "16.71"),
    DemoAccount(
        "verifikator.sumut@cegah.test",
        "Hendra Ginting",
        Role.VERIFIKATOR,
        verifies=("12", "12.75"),
        institution="kpk",
    ),
    DemoAccount(
        "verifikator.jateng@cegah.test",
        "Wahyu Prasetyo",
        Role.VERIFIKATOR,
        verifies=("33", "33.75", "33.26"),
        institution="bpkp",
    ),
    DemoAccount("koordinator@cegah.test", "Maya Kusuma", Role.KOORDINATOR),
    DemoAccount("superadmin@cegah.test", "Admin Sistem", Role.SUPERADMIN),
]


class NotADemo(Exception):
    """Demo accounts have a published password: they exist only where settings.DEMO is on."""


def ensure_demo() -> None:
    if not settings.DEMO:
        raise NotADemo(
            "This installation is not a demo (DEMO is off: DATABASE_URL is set and DEBUG is "
            "false). Demo accounts, whose password is published, are never created here. Create "
            "the first Superadmin with `manage.py superadmin_create` (README, Production)."
        )


def demo_accounts_active() -> list[str]:
    """Demo accounts that can still sign in."""
    emails = [a.email for a in DEMO_ACCOUNTS]
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(email__in=emails) | Q(totpdevice__name="demo"))
        .distinct()
        .values_list("email", flat=True)
    )


def refuse_demo_accounts_outside_demo() -> None:
    """A server that is not the demo does not start while a demo account can sign in."""
    if settings.DEMO:
        return
    try:
        active = demo_accounts_active()
    except DatabaseError:  # not migrated yet: no account of any kind, the demo's included
        return
    if active:
        raise ImproperlyConfigured(
            f"{len(active)} demo account(s) can sign in on an installation that is not a demo "
            f"(first: {active[0]}). Run `manage.py demo_accounts_disable`, or set DEMO=true if "
            "this really is a demo."
        )


@transaction.atomic
def demo_accounts_disable() -> list[str]:
    """Demo accounts lose their password, second factor and roles and cannot sign in again; the
    rows stay, because the audit log names them."""
    disabled = demo_accounts_active()
    users = User.objects.filter(email__in=disabled)
    TOTPDevice.objects.filter(user__in=users).delete()
    RoleAssignment.objects.filter(user__in=users).delete()
    VerifierAssignment.objects.filter(verifier__in=users).delete()
    for user in users:
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
    if disabled:
        audit.record(actor=None, action="demo.accounts_disable", data={"accounts": disabled})
    return disabled


@transaction.atomic
def demo_world_seed() -> list[DemoAccount]:
    """The demo's Pemda, OPD and one account per role. Each account's TOTP key is random, made
    on this installation (the seeding prints it once); NotADemo outside a demo."""
    ensure_demo()
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
        RoleAssignment.objects.get_or_create(
            user=user,
            role=account.role,
            pemda=home,
            opd=opd,
            defaults={"institution": account.institution},
        )
        for code in account.verifies:
            VerifierAssignment.objects.get_or_create(verifier=user, pemda=pemdas[code])
        # django-otp's default key: 20 random bytes, different on every installation.
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "demo"})
    if created:
        audit.record(actor=None, action="demo.seed", data={"accounts_created": created})
    return DEMO_ACCOUNTS


DEMO_STAFF_PEMDA = "16.71"
# Kota Palembang's staff as its HR office would list them: the Sekretaris Daerah at the top, the
# head of each demo OPD under them, a head of division under each head and staff under those.
# (OPD short name, head, division head, staff…); the NIP are made up, in the real shape.
DEMO_STAFF_TREE = [
    ("Bappeda", "Hendri Wijaya", "Nurul Aini", ["Dedi Kurniawan", "Lina Marlina"]),
    ("BPKAD", "Zulkifli Hasan", "Siti Rahmawati", ["Ahmad Fauzi", "Rini Anggraini"]),
    ("Bapenda", "Mulyadi Saputra", "Yanti Oktaviani", ["Rizky Pratama"]),
    ("BPBJ", "Herman Syahputra", "Desi Purnamasari", ["Fajar Ramadhan", "Indah Permata"]),
    ("BKPSDM", "Syamsul Bahri", "Wulan Sari", ["Agung Setiawan"]),
    ("DPMPTSP", "Firdaus Alamsyah", "Ratna Dewi", ["Bayu Nugroho"]),
    ("PUPR", "Iskandar Halim", "Teguh Santoso", ["Eko Prasetyo", "Maya Sari"]),
    ("Inspektorat", "Rosita Handayani", "Ali Akbar", ["Putri Ayu"]),
]
DEMO_STAFF_EMAILS = {
    "Ahmad Fauzi": "pegawai.palembang@cegah.test",
    "Siti Rahmawati": "atasan.palembang@cegah.test",
}


def demo_staff_csv() -> bytes:
    """The staff list as a semicolon CSV, as a spreadsheet in Indonesian settings saves it."""
    sequence = iter(range(1, 1000))

    def nip(born: int, female: bool) -> str:
        # Birth day, appointment month, sex (1 male, 2 female), sequence: 18 digits.
        year = 1965 + born % 30
        return f"{year}{1 + born % 12:02d}{1 + born % 27:02d}{year + 24}03{2 if female else 1}{next(sequence):03d}"

    def email(name: str) -> str:
        return DEMO_STAFF_EMAILS.get(name) or name.lower().replace(" ", ".") + "@palembang.test"

    female = {
        "Nurul Aini",
        "Lina Marlina",
        "Siti Rahmawati",
        "Rini Anggraini",
        "Yanti Oktaviani",
        "Desi Purnamasari",
        "Indah Permata",
        "Wulan Sari",
        "Ratna Dewi",
        "Maya Sari",
        "Rosita Handayani",
        "Putri Ayu",
    }
    lines = ["NIP;Nama;Email;Unit Kerja;Jabatan;NIP Atasan"]
    counter = iter(range(100))
    sekda = nip(next(counter), False)
    lines.append(f"{sekda};Ridwan Effendi;{email('Ridwan Effendi')};BPBJ;Sekretaris Daerah;")
    for short, head, division, staff in DEMO_STAFF_TREE:
        head_nip = nip(next(counter), head in female)
        lines.append(f"{head_nip};{head};{email(head)};{short};Kepala {short};{sekda}")
        division_nip = nip(next(counter), division in female)
        lines.append(
            f"{division_nip};{division};{email(division)};{short};Kepala Bidang;{head_nip}"
        )
        for person in staff:
            lines.append(
                f"{nip(next(counter), person in female)};{person};{email(person)};{short};"
                f"Analis;{division_nip}"
            )
    return ("\n".join(lines) + "\n").encode()


def demo_staff_seed() -> int:
    """Kota Palembang's staff list, loaded through the staff import as its Admin Pemda would;
    once (a Pemda that has employees already is left as it is). Returns how many were loaded."""
    import hashlib

    from cegah.core.tables import stream_table

    from .models import Employee
    from .staff_services import staff_import

    ensure_demo()
    pemda = Pemda.objects.get(code=DEMO_STAFF_PEMDA)
    if Employee.objects.filter(pemda=pemda).exists():
        return 0
    content = demo_staff_csv()
    record, _plan = staff_import(
        actor=None,
        pemda=pemda,
        table=stream_table(content, filename="pegawai-palembang.csv"),
        file_name="pegawai-palembang.csv",
        file_sha256=hashlib.sha256(content).hexdigest(),
        dry_run=False,
        via="seed_demo",
    )
    return record.rows
