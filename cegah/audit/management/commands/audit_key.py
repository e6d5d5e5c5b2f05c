from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cegah.audit.keys import audit_key, write_audit_key
from cegah.audit.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = (
        "init: creates the audit chain's key file (AUDIT_KEY_FILE) once; entries from then on "
        "are HMAC-keyed. Keep the file out of database backups. Does nothing if it exists."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["init"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        existing = audit_key()
        if existing is not None:
            self.stdout.write(f"Audit key exists (keyed from entry #{existing.since_seq}).")
            return
        if AuditHead._meta.db_table not in connection.introspection.table_names():
            key = write_audit_key(since_seq=1)  # before the first migrate: a new installation
            self.stdout.write("Audit key created: every entry will be keyed.")
            return
        head = AuditHead.objects.filter(pk=1).first()
        if head is None and AuditEntry.objects.exists():
            raise CommandError("The audit chain has entries but no head row: check it first.")
        key = write_audit_key(since_seq=(head.seq if head else 0) + 1)
        self.stdout.write(f"Audit key created: entries from #{key.since_seq} on are keyed.")
