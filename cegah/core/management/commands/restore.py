from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cegah.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores a backup written by `backup` into an empty installation (a new database, "
        "before migrate; empty file storage), then checks every file's SHA-256, every table's "
        "row count and the audit chain. Put the key files back first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", type=Path, metavar="DIR")

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        try:
            result = backup_restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result.tables} tables and {result.files} files; all match the manifest."
        )
        call_command("verify_audit", stdout=self.stdout)
