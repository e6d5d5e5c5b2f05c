from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cegah.accounts.demo import NotADemo, ensure_demo
from cegah.mcp.demo_scores import national_scores_seed
from cegah.mcp.score_selectors import national_summary


class Command(BaseCommand):
    help = "Demo only: generates and publishes national MCP scores for 2023-2025 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ensure_demo()  # generated scores exist only in a demo, which says so on every page
        except NotADemo as exc:
            raise CommandError(str(exc)) from exc
        for snapshot in national_scores_seed():
            summary = national_summary(snapshot=snapshot)
            self.stdout.write(f"MCP {snapshot.year} published: national average {summary.average}")
