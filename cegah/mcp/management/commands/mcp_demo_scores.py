from typing import Any

from django.core.management.base import BaseCommand

from cegah.mcp.demo_scores import national_scores_seed
from cegah.mcp.score_selectors import national_summary


class Command(BaseCommand):
    help = "Demo only: generates and publishes national MCP scores for 2023-2025 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for snapshot in national_scores_seed():
            summary = national_summary(snapshot=snapshot)
            self.stdout.write(f"MCP {snapshot.year} published: national average {summary.average}")
