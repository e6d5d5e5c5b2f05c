from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.regions.services import DEFAULT_SOURCE, regions_load


class Command(BaseCommand):
    help = "Loads the 38 provinces and 546 Pemda from data/regions (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        try:
            result = regions_load(source=source)
        except DomainError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        total = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} Pemda ({result.counts}): {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )
