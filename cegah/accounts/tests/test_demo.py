import io

import pytest
from django.core.management import call_command

from cegah.accounts.models import RoleAssignment, User, VerifierAssignment
from cegah.audit.models import AuditEntry
from cegah.audit.selectors import chain_problem
from cegah.regions.models import Opd

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions", "demo_on")]


def _snapshot() -> tuple[int, ...]:
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        VerifierAssignment.objects.count(),
        Opd.objects.count(),
        AuditEntry.objects.count(),
    )


def test_seeding_the_demo_twice_changes_nothing_the_second_time(capsys) -> None:
    call_command("seed_demo")
    first = _snapshot()
    printed = capsys.readouterr().out
    assert "operator.binjai@cegah.test" in printed and "TOTP" in printed
    User.objects.filter(email="admin.binjai@cegah.test").update(full_name="Diubah Pengguna")
    call_command("seed_demo")
    assert _snapshot() == first
    # What people changed in the demo is kept, not reset.
    assert User.objects.get(email="admin.binjai@cegah.test").full_name == "Diubah Pengguna"
    assert chain_problem() is None


def test_demo_totp_prints_a_six_digit_code_per_account(capsys) -> None:
    call_command("seed_demo")
    capsys.readouterr()
    call_command("demo_totp", "koordinator@cegah.test")
    line = capsys.readouterr().out.strip()
    email, code = line.split()
    assert email == "koordinator@cegah.test" and len(code) == 6 and code.isdigit()


def _sha_key(email: str) -> str:
    import hashlib

    return hashlib.sha256(f"cegah-demo-totp:{email}".encode()).hexdigest()[:40]


def test_demo_totp_keys_are_random_per_installation_and_printed_once(capsys) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("seed_demo")
    first = capsys.readouterr().out
    keys = dict(TOTPDevice.objects.filter(name="demo").values_list("user__email", "key"))
    assert keys["superadmin@cegah.test"] != _sha_key("superadmin@cegah.test")  # not derivable
    assert "shown only now" in first and first.count("@cegah.test") >= 2 * len(keys)
    call_command("seed_demo")
    assert "TOTP keys made now" not in capsys.readouterr().out  # printed once
    # Another installation gets other keys.
    TOTPDevice.objects.filter(name="demo").delete()
    call_command("seed_demo")
    again = dict(TOTPDevice.objects.filter(name="demo").values_list("user__email", "key"))
    assert again["superadmin@cegah.test"] != keys["superadmin@cegah.test"]


def test_the_demo_shows_gratification_conflicts_and_spi(demo_on, regions) -> None:
    """With the rule files loaded as `make run` loads them, the demo holds Palembang's two
    gratification reports (one decided by KPK), a declaration waiting on the superior, and
    generated SPI marked as example data; seeding again adds nothing."""
    from pathlib import Path

    from django.conf import settings

    from cegah.coi.models import Declaration
    from cegah.coi.services import lists_import
    from cegah.spi.models import Release
    from cegah.upg.models import Report
    from cegah.upg.services import rules_import

    data = Path(settings.BASE_DIR) / "data"
    for path in sorted((data / "upg").glob("aturan-*.yaml")):
        rules_import(path=path)
    for path in sorted((data / "coi").glob("daftar-*.yaml")):
        lists_import(path=path)
    for _run in range(2):
        call_command("seed_demo", stdout=io.StringIO())
    assert sorted(Report.objects.values_list("state", flat=True)) == ["diajukan", "ditetapkan"]
    assert Declaration.objects.get().superior.user.email == "atasan.palembang@cegah.test"  # type: ignore[union-attr]
    assert list(Release.objects.values_list("year", flat=True).order_by("year")) == [2024, 2025]
    assert "Data contoh" in Release.objects.first().source_name  # type: ignore[union-attr]
