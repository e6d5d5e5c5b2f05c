from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cegah.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Writes a backup into DIR: the database, every stored file and a manifest of their "
        "SHA-256 and of every table's row count. The WBS and audit key files are not in it: "
        "back them up apart."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("into", type=Path, metavar="DIR")

    def handle(self, *args: Any, into: Path, **options: Any) -> None:
        try:
            result = backup_write(into=into)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written to {result.folder}: {result.tables} tables, {result.files} files."
        )
        self.stdout.write("Not in it: WBS_KEY_FILE and AUDIT_KEY_FILE. Keep them apart.")
