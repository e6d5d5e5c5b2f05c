from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from cegah.accounts.demo import DEMO_ACCOUNTS, NotADemo, ensure_demo
from cegah.accounts.services import totp_current_token


class Command(BaseCommand):
    help = "Prints the current TOTP code of each demo account (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", nargs="?", help="only this account")

    def handle(self, *args: Any, email: str | None = None, **options: Any) -> None:
        try:
            ensure_demo()
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc
        emails = [email] if email else [a.email for a in DEMO_ACCOUNTS]
        devices = TOTPDevice.objects.filter(
            user__email__in=emails, confirmed=True, name="demo"
        ).select_related("user")
        for device in devices:
            self.stdout.write(f"{device.user.email:<34} {totp_current_token(device=device)}")
