import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.zi.lke_file import LkeInvalid
from cegah.zi.services import lke_import


class Command(BaseCommand):
    help = "Zona Integritas LKE. `import FILE ...` validates each file whole and loads it."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="load LKE files, in version order")
        load.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, files: list[Path], **options: Any) -> None:
        # In version order: lke-2 before lke-10.
        for path in sorted(
            files, key=lambda f: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", f.name)]
        ):
            try:
                result = lke_import(path=path)
            except LkeInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{path.name}: {len(exc.problems)} problem(s); nothing loaded."
                ) from exc
            except DomainError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            self.stdout.write(f"LKE v{result.version.version}: {result.status}")
