"""One small, realistic world shared by every test: 2 provinces, 5 Pemda, every role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
from cegah.regions.models import Opd, Pemda


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The 546 Pemda are reference data: load them once per test database.
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _wbs_key_file(tmp_path_factory):
    # Each test process gets its own WBS key file, as `make run` creates one for the demo.
    from django.conf import settings

    from cegah.wbs import crypto

    path = tmp_path_factory.mktemp("wbs-keys") / "wbs.keys"
    settings.WBS_KEY_FILE = path
    crypto.write_keyring(crypto.new_ring())
    return path


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files go to each test's own folder: tests can look at exactly what was stored.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rolled-back rows give their ids to the next test's rows: a fragment cached by one test
    # could otherwise be served in another.
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread; each test starts in Indonesian.
    translation.activate("id")
    yield
    translation.activate("id")


@dataclass
class World:
    sumut: Pemda
    binjai: Pemda
    jateng: Pemda
    kota_pekalongan: Pemda
    kab_pekalongan: Pemda
    bpkad_binjai: Opd
    pupr_binjai: Opd
    bpbj_pekalongan: Opd
    operator_binjai: User
    operator_pupr_binjai: User
    admin_binjai: User
    inspektorat_binjai: User
    operator_pekalongan: User
    admin_pekalongan: User
    verifier_sumut: User
    verifier_jateng: User
    koordinator: User
    superadmin: User
    nobody: User


PASSWORD = "kata-sandi-uji-123"


def make_user(email: str, name: str, *, password: str | None = PASSWORD, **extra: object) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=name, **extra)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def ensure_regions() -> None:
    # A transactional test flushes the tables it used; put the reference data back.
    if not Pemda.objects.exists():
        call_command("load_regions", verbosity=0)


@pytest.fixture
def regions(db) -> None:
    ensure_regions()


@pytest.fixture
def world(regions) -> World:
    p = {x.code: x for x in Pemda.objects.filter(code__in=["12", "12.75", "33", "33.75", "33.26"])}
    bpkad = Opd.objects.create(
        pemda=p["12.75"], name="Badan Pengelolaan Keuangan dan Aset Daerah", short_name="BPKAD"
    )
    pupr = Opd.objects.create(
        pemda=p["12.75"], name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR"
    )
    bpbj = Opd.objects.create(
        pemda=p["33.75"], name="Bagian Pengadaan Barang dan Jasa", short_name="BPBJ"
    )

    def person(
        email: str, name: str, role: Role, pemda: Pemda | None = None, opd: Opd | None = None
    ) -> User:
        is_root = role == Role.SUPERADMIN
        user = make_user(email, name, is_staff=is_root, is_superuser=is_root)
        RoleAssignment.objects.create(user=user, role=role, pemda=pemda, opd=opd)
        return user

    w = World(
        sumut=p["12"],
        binjai=p["12.75"],
        jateng=p["33"],
        kota_pekalongan=p["33.75"],
        kab_pekalongan=p["33.26"],
        bpkad_binjai=bpkad,
        pupr_binjai=pupr,
        bpbj_pekalongan=bpbj,
        operator_binjai=person(
            "operator@binjai.test", "Rina Siregar", Role.OPERATOR, p["12.75"], bpkad
        ),
        operator_pupr_binjai=person(
            "pupr@binjai.test", "Joko Tarigan", Role.OPERATOR, p["12.75"], pupr
        ),
        admin_binjai=person("admin@binjai.test", "Budi Nasution", Role.ADMIN_PEMDA, p["12.75"]),
        inspektorat_binjai=person("irda@binjai.test", "Sari Lubis", Role.INSPEKTORAT, p["12.75"]),
        operator_pekalongan=person(
            "operator@pekalongan.test", "Dewi Rahayu", Role.OPERATOR, p["33.75"], bpbj
        ),
        admin_pekalongan=person(
            "admin@pekalongan.test", "Agus Santoso", Role.ADMIN_PEMDA, p["33.75"]
        ),
        verifier_sumut=person("verif.sumut@kpk.test", "Hendra Ginting", Role.VERIFIKATOR),
        verifier_jateng=person("verif.jateng@kpk.test", "Wahyu Prasetyo", Role.VERIFIKATOR),
        koordinator=person("korsup@kpk.test", "Maya Kusuma", Role.KOORDINATOR),
        superadmin=person("root@cegah.test", "Admin Sistem", Role.SUPERADMIN),
        nobody=make_user("nobody@cegah.test", "Tanpa Peran"),
    )
    for code in ("12", "12.75"):
        VerifierAssignment.objects.create(verifier=w.verifier_sumut, pemda=p[code])
    for code in ("33", "33.75", "33.26"):
        VerifierAssignment.objects.create(verifier=w.verifier_jateng, pemda=p[code])
    return w


def sign_in(client: Client, user: User) -> Client:
    """Logs in with both factors done, as a person would after the OTP step."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    return lambda user: sign_in(client, user)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Lets the browser fixture save a screenshot when the test body failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
