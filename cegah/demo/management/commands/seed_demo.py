from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.demo import demo_world_seed
from cegah.accounts.services import totp_current_token
from cegah.mcp.demo import mcp_demo_seed
from cegah.wbs.demo import wbs_demo_seed


# In core, not accounts: it seeds every module, and accounts must not depend on them.
class Command(BaseCommand):
    help = (
        "Seeds the demo Pemda, OPD, one account per role, the MCP termin and assignments and "
        "a few WBS reports "
        "(idempotent); prints the accounts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_world_seed()
        mcp_demo_seed()
        reports = wbs_demo_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password: {settings.DEMO_PASSWORD})"))
        for a in accounts:
            device = TOTPDevice.objects.filter(user__email=a.email, confirmed=True).first()
            code = totp_current_token(device=device) if device else "-"
            where = a.opd_short or a.pemda or "nasional"
            self.stdout.write(f"  {a.email:<34} {a.role.label:<22} {where:<12} TOTP now: {code}")
        self.stdout.write("Current TOTP codes at any time: make totp  (manage.py demo_totp)")
        if reports:
            # Receipts exist nowhere else: printed once so the demo's reporter side can be tried.
            self.stdout.write("Demo WBS receipt codes (shown only now):")
            for report, receipt in reports:
                self.stdout.write(f"  {report} {report.pemda}: {receipt}")
