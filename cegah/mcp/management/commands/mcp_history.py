from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.core.inputs import DateNotUnderstood, parse_date_text
from cegah.core.tables import Table, read_table
from cegah.mcp.history import AwardsPlan, ResultsPlan, read_awards, read_results
from cegah.mcp.services.history import history_awards_import, history_import

VIA = "manage.py mcp_history"


class Command(BaseCommand):
    help = (
        "KPK's published MCP results and awards. `import FILE --sumber S` loads results "
        "(tahun, kode_pemda, nilai, area columns, peringkat); `awards FILE` loads awards as "
        "announced. CSV (comma or semicolon) or Excel. --dry-run shows what would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        results = sub.add_parser("import", help="load published results")
        results.add_argument("file", type=Path)
        results.add_argument("--sumber", required=True, help="source name, e.g. jaga.id")
        results.add_argument("--alamat", default="", help="the source's web address")
        results.add_argument("--diumumkan", default="", help="announcement day, e.g. 20-03-2024")
        results.add_argument("--acara", default="", help="the event it was announced at")
        results.add_argument("--alasan", default="", help="why, when the year is published")
        results.add_argument("--dry-run", action="store_true")
        awards = sub.add_parser("awards", help="load awards as announced")
        awards.add_argument("file", type=Path)
        awards.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, action: str, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            table = read_table(file.read_bytes(), filename=file.name)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        try:
            if action == "import":
                self._results(table, file, dry_run, options)
            else:
                self._awards(table, file, dry_run)
        except DomainError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _said(self, file: Path, plan: ResultsPlan | AwardsPlan, dry_run: bool) -> bool:
        """Prints the problems or what would change; whether to load."""
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(f"{len(plan.problems)} problem(s); nothing was loaded.")
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was loaded.")
        return not dry_run

    def _results(self, table: Table, file: Path, dry_run: bool, options: dict[str, Any]) -> None:
        try:
            announced = parse_date_text(options["diumumkan"])
        except DateNotUnderstood as exc:
            raise CommandError(f"--diumumkan: “{exc}” is no day (write 20-03-2024).") from exc
        plan = read_results(table)
        if not self._said(file, plan, dry_run):
            return
        snapshots = history_import(
            actor=None,
            plan=plan,
            source_name=options["sumber"],
            source_url=options["alamat"],
            announced_on=announced,
            announced_event=options["acara"],
            reason=options["alasan"],
            via=VIA,
        )
        for s in snapshots:
            self.stdout.write(f"MCP {s.year} version {s.version} published.")

    def _awards(self, table: Table, file: Path, dry_run: bool) -> None:
        plan = read_awards(table)
        if not self._said(file, plan, dry_run):
            return
        for year, count in history_awards_import(actor=None, plan=plan, via=VIA).items():
            self.stdout.write(f"MCP {year}: {count} award(s) loaded.")
