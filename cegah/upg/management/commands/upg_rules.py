import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.upg.rules_file import RulesInvalid
from cegah.upg.services import rules_import


class Command(BaseCommand):
    help = (
        "Gratification rules (exemptions, limits, deadlines by date). `import FILE ...` validates "
        "each file whole and loads it; `check FILE ...` only validates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("import", "check"):
            p = sub.add_parser(name)
            p.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, files: list[Path], **options: Any) -> None:
        from cegah.upg.rules_file import parse_rules

        for path in sorted(
            files, key=lambda f: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", f.name)]
        ):
            try:
                if action == "check":
                    rules = parse_rules(path)
                    self.stdout.write(f"{path.name}: v{rules.version} valid")
                    continue
                result = rules_import(path=path)
            except RulesInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{path.name}: {len(exc.problems)} problem(s); nothing loaded."
                ) from exc
            except DomainError as exc:
                raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
            self.stdout.write(f"{path.name}: v{result.rules.version} {result.status}")
