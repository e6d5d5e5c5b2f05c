import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.accounts.staff_services import StaffListRefused, staff_import
from cegah.core.errors import DomainError
from cegah.core.tables import stream_table
from cegah.regions.models import Pemda

VIA = "manage.py staff_import"


class Command(BaseCommand):
    help = (
        "A Pemda's staff list from its HR office (CSV or Excel: nip, nama, email, opd or unit "
        "kerja, jabatan, nip atasan): every problem by line and column and nothing loaded while "
        "there is one; --dry-run says what loading would change. Invitations go out through "
        "the task worker (manage.py db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--pemda", required=True, help="Kemendagri code, e.g. 16.71")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, file: Path, pemda: str, dry_run: bool, **options: Any) -> None:
        found = Pemda.objects.filter(code=pemda).first()
        if found is None:
            raise CommandError(f"--pemda {pemda}: no Pemda has this code.")
        try:
            content = file.read_bytes()
            table = stream_table(content, filename=file.name)
            record, plan = staff_import(
                actor=None,
                pemda=found,
                table=table,
                file_name=file.name,
                file_sha256=hashlib.sha256(content).hexdigest(),
                dry_run=dry_run,
                via=VIA,
            )
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except StaffListRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was loaded.") from exc
        except DomainError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}") from exc
        counts = plan.counts
        self.stdout.write(
            f"{found}: {counts['rows']} employees: {counts['created']} new, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['returning']} returning, {counts['leaving']} leaving; "
            f"{counts['invitations']} invitation(s) to send."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was loaded.")
        else:
            self.stdout.write(f"Loaded (import {record.pk}).")
