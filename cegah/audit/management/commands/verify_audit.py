import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cegah.audit.models import AuditEntry, AuditHead
from cegah.audit.selectors import chain_problem, head_extends


class Command(BaseCommand):
    help = (
        "Checks the audit chain and reports the first tampered, reordered or missing entry. "
        "--export-head FILE writes the head's number and hash, to keep elsewhere daily; "
        "--against FILE checks the chain still holds that head (nothing cut from its end)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--export-head", type=Path, metavar="FILE")
        parser.add_argument("--against", type=Path, metavar="FILE")

    def handle(
        self, *args: Any, export_head: Path | None, against: Path | None, **options: Any
    ) -> None:
        problem = chain_problem()
        if problem is not None:
            raise CommandError(f"#{problem.seq}: {problem.message}")
        if against is not None:
            try:
                kept = json.loads(against.read_text(encoding="utf-8"))
                seq, digest = int(kept["seq"]), str(kept["hash"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{against} is not a head written by --export-head.") from exc
            if not head_extends(seq=seq, hash=digest):
                raise CommandError(
                    f"#{kept['seq']}: the chain no longer holds the head exported on "
                    f"{kept.get('exported_at', '?')}: entries were cut from its end."
                )
        count = AuditEntry.objects.count()
        if export_head is not None:
            head = AuditHead.objects.filter(pk=1).first()
            seq, digest = (head.seq, head.hash) if head else (0, "0" * 64)
            export_head.write_text(
                json.dumps({"seq": seq, "hash": digest, "exported_at": timezone.now().isoformat()})
                + "\n",
                encoding="utf-8",
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} entries."))
