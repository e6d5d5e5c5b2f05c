from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from cegah.wbs import crypto
from cegah.wbs.models import Report
from cegah.wbs.services import keys_rotate


class Command(BaseCommand):
    help = "WBS encryption keys: init (create the key file), rotate (new master key), status."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["init", "rotate", "status"])
        parser.add_argument(
            "--keep-old",
            action="store_true",
            help="rotate: keep the old keys in the file (to read a backup made before rotating)",
        )

    def handle(self, *args: Any, action: str, keep_old: bool, **options: Any) -> None:
        path = Path(settings.WBS_KEY_FILE)
        if action == "init":
            if path.exists():
                crypto.keyring()  # refuses a damaged file loudly
                self.stdout.write(f"{path} exists; nothing changed.")
                return
            crypto.write_keyring(crypto.new_ring())
            self.stdout.write(
                self.style.SUCCESS(f"Created {path}. Back it up apart from the data.")
            )
            return
        if not path.exists():
            raise CommandError(f"{path} is missing; run `manage.py wbs_keys init` first.")
        if action == "rotate":
            new_id, resealed = keys_rotate(keep_old=keep_old)
            self.stdout.write(
                self.style.SUCCESS(f"Key {new_id} is current; {resealed} report keys re-sealed.")
            )
            return
        ring = crypto.keyring()
        used = dict(Report.objects.values_list("key_id").annotate(n=Count("pk")))
        for key_id, _key in ring.keys:
            mark = " (current)" if key_id == ring.current_id else ""
            self.stdout.write(f"{key_id}{mark}: {used.pop(key_id, 0)} reports")
        for key_id, count in used.items():
            self.stdout.write(self.style.ERROR(f"{key_id}: {count} reports, KEY MISSING"))
