from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.core.inputs import DateNotUnderstood, parse_date_text
from cegah.core.tables import read_table
from cegah.spi.reference_file import ReferenceInvalid
from cegah.spi.results import read_scores
from cegah.spi.services import Source, reference_import, scores_import


class Command(BaseCommand):
    help = (
        "KPK's published SPI. `import FILE --sumber S` loads a year's scores (tahun, kode_pemda, "
        "nilai, element columns, responden_*); CSV (comma or semicolon) or Excel; --dry-run "
        "shows what would change. `reference FILE ...` loads data/spi/ (elements, categories, "
        "national index)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scores = sub.add_parser("import")
        scores.add_argument("file", type=Path)
        scores.add_argument("--sumber", default="", help="source, e.g. jaga.id")
        scores.add_argument("--alamat", default="")
        scores.add_argument("--terbit", default="", help="publication day, e.g. 20-11-2025")
        scores.add_argument("--alasan", default="", help="why, when the year is loaded again")
        scores.add_argument("--dry-run", action="store_true")
        ref = sub.add_parser("reference")
        ref.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "reference":
            for path in sorted(options["files"]):
                try:
                    ref, status = reference_import(path=path)
                except ReferenceInvalid as exc:
                    self.stderr.write("\n".join(str(p) for p in exc.problems))
                    raise CommandError(f"{path.name}: nothing loaded.") from exc
                except DomainError as exc:
                    raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from exc
                self.stdout.write(f"{path.name}: v{ref.version} {status}")
            return
        file: Path = options["file"]
        try:
            plan = read_scores(read_table(file.read_bytes(), filename=file.name))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(f"{len(plan.problems)} problem(s); nothing was loaded.")
        for line in plan.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was loaded.")
            return
        try:
            published = parse_date_text(options["terbit"]) if options["terbit"] else None
        except DateNotUnderstood as exc:
            raise CommandError(f"--terbit: {exc}") from exc
        try:
            loaded = scores_import(
                actor=None,
                plan=plan,
                source=Source(options["sumber"], options["alamat"], published, options["alasan"]),
                via="manage.py spi",
            )
        except DomainError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for release in loaded:
            self.stdout.write(f"SPI {release.year}: version {release.version} loaded.")
