from typing import Any

from django.core.management.base import BaseCommand

from cegah.accounts.demo import demo_accounts_disable


class Command(BaseCommand):
    help = (
        "Demo accounts (published password) lose their password, second factor and roles and "
        "can no longer sign in. For an installation that was started as a demo and goes live."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        disabled = demo_accounts_disable()
        self.stdout.write(f"{len(disabled)} demo account(s) disabled.")
