from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.coi.lists_file import ListsInvalid
from cegah.coi.services import lists_import
from cegah.core.errors import DomainError


class Command(BaseCommand):
    help = "Conflict-of-interest lists (sources, kinds of matter, the superior's days): import FILE ..."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import").add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, files: list[Path], **options: Any) -> None:
        for path in sorted(files):
            try:
                lists, status = lists_import(path=path)
            except ListsInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{path.name}: {len(exc.problems)} problem(s); nothing loaded."
                ) from exc
            except DomainError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            self.stdout.write(f"{path.name}: v{lists.version} {status}")
