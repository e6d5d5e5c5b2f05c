from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cegah.audit import services as audit
from cegah.mcp.models import YEAR, PemdaScore
from cegah.mcp.services.scores import scores_recompute


class Command(BaseCommand):
    help = "MCP scores. `recompute --year Y` recomputes the year's working snapshot from answers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help="recompute all Pemda for a year")
        recompute.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, action: str, year: int, **options: Any) -> None:
        snapshot = scores_recompute(year=year)
        count = PemdaScore.objects.filter(snapshot=snapshot, termin=YEAR).count()
        # From the server's shell there is no signed-in person: the entry says where it came from.
        audit.record(
            actor=None,
            action="mcp.scores.recompute",
            obj=snapshot,
            data={"year": year, "via": "manage.py mcp_scores", "sha256": snapshot.content_hash},
        )
        self.stdout.write(f"MCP {year}: {count} Pemda scored, sha256 {snapshot.content_hash}")
