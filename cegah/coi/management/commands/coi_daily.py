from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cegah.coi.tasks import coi_daily, daily_run


class Command(BaseCommand):
    help = (
        "Conflict of interest's daily work: decisions past their deadline go to the superior's "
        "superior and the Inspektorat. --schedule queues it every morning."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, schedule: bool, **options: Any) -> None:
        if schedule:
            from django_tasks_db.models import DBTaskResult

            if not DBTaskResult.objects.filter(
                status="READY", task_path__endswith=".coi_daily"
            ).exists():
                coi_daily.enqueue()
            self.stdout.write("Conflict-of-interest daily work scheduled.")
            return
        done = daily_run()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
