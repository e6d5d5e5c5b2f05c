from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cegah.wbs.tasks import daily_run, wbs_daily


class Command(BaseCommand):
    help = (
        "WBS daily work: close reports whose reporter did not answer, purge reports past "
        "retention, send handlers their digest. --schedule queues it for every morning instead."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, schedule: bool, **options: Any) -> None:
        if schedule:
            from django_tasks_db.models import DBTaskResult

            if not DBTaskResult.objects.filter(
                status="READY", task_path__endswith=".wbs_daily"
            ).exists():
                wbs_daily.enqueue()
            self.stdout.write("WBS daily work scheduled.")
            return
        done = daily_run()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
