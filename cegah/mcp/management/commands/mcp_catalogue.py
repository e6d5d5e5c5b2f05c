from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.mcp.catalogue_file import CatalogueInvalid
from cegah.mcp.services import catalogue_import


class Command(BaseCommand):
    help = "Manages MCP catalogues. `import FILE...` validates and loads catalogue YAML files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        importer = sub.add_parser("import", help="validate and load catalogue files")
        importer.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, files: list[Path], **options: Any) -> None:
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: file not found")
            try:
                result = catalogue_import(path=path)
            except CatalogueInvalid as exc:
                raise CommandError(
                    f"{path.name}: nothing loaded, {len(exc.problems)} problem(s):\n{exc}"
                ) from exc
            except DomainError as exc:
                raise CommandError(f"{path.name}: " + " ".join(exc.messages)) from exc
            self.stdout.write(f"{path.name}: {result.catalogue} {result.status}")
