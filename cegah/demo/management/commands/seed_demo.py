from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.demo import NotADemo, demo_staff_seed, demo_world_seed, ensure_demo
from cegah.accounts.services import totp_current_token
from cegah.coi.demo import coi_demo_seed
from cegah.mcp.demo import mcp_demo_seed
from cegah.spi.demo import spi_demo_seed
from cegah.upg.demo import upg_demo_seed
from cegah.wbs.demo import wbs_demo_seed


# In a reader of several domains, not accounts: it seeds every module.
class Command(BaseCommand):
    help = (
        "Seeds the demo Pemda, OPD, one account per role, the MCP termin and assignments and "
        "a few WBS reports (idempotent); prints the accounts. Only where DEMO is on."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ensure_demo()
            already = set(
                TOTPDevice.objects.filter(name="demo").values_list("user__email", flat=True)
            )
            accounts = demo_world_seed()
            staff = demo_staff_seed()
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc
        mcp_demo_seed()
        reports = wbs_demo_seed()
        upg_demo_seed()
        coi_demo_seed()
        spi_demo_seed()
        if staff:
            self.stdout.write(f"Kota Palembang's staff list: {staff} employees loaded.")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {settings.DEMO_PASSWORD})"))
        for a in accounts:
            device = TOTPDevice.objects.filter(user__email=a.email, confirmed=True).first()
            code = totp_current_token(device=device) if device else "-"
            where = a.opd_short or a.pemda or "nasional"
            self.stdout.write(f"  {a.email:<34} {a.role.label:<22} {where:<12} TOTP now: {code}")
        fresh = TOTPDevice.objects.filter(name="demo").exclude(user__email__in=already)
        if fresh:
            # Random per installation; shown once, for an authenticator app (base32).
            self.stdout.write("TOTP keys made now for an authenticator app (shown only now):")
            for device in fresh.select_related("user"):
                self.stdout.write(f"  {device.user.email:<34} {_base32(device.bin_key)}")
        self.stdout.write("Current TOTP codes at any time: make totp  (manage.py demo_totp)")
        if reports:
            # Receipts exist nowhere else: printed once so the demo's reporter side can be tried.
            self.stdout.write("Demo WBS receipt codes (shown only now):")
            for report, receipt in reports:
                self.stdout.write(f"  {report} {report.pemda}: {receipt}")


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")
