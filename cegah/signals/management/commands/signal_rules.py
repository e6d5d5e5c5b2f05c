from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.signals.rules import RulesInvalid
from cegah.signals.services import rules_import


class Command(BaseCommand):
    help = "The Koordinator's signal rules and thresholds: import FILE ..."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import").add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, files: list[Path], **options: Any) -> None:
        for path in sorted(files):
            try:
                rules, status = rules_import(path=path)
            except RulesInvalid as exc:
                self.stderr.write("\n".join(str(p) for p in exc.problems))
                raise CommandError(f"{path.name}: nothing loaded.") from exc
            except DomainError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            self.stdout.write(f"{path.name}: v{rules.version} {status}")
