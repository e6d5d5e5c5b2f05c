from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cegah.audit.models import AuditEntry
from cegah.audit.selectors import chain_problem


class Command(BaseCommand):
    help = "Checks the audit chain and reports the first tampered, reordered or missing entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = chain_problem()
        if problem is not None:
            raise CommandError(f"#{problem.seq}: {problem.message}")
        count = AuditEntry.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} entries."))
