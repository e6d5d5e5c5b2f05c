from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cegah.upg.tasks import daily_run, upg_daily


class Command(BaseCommand):
    help = (
        "Gratification control's daily work: close returned reports not completed in time, "
        "remind reporters and the UPG before each deadline. --schedule queues it every morning."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, schedule: bool, **options: Any) -> None:
        if schedule:
            from django_tasks_db.models import DBTaskResult

            if not DBTaskResult.objects.filter(
                status="READY", task_path__endswith=".upg_daily"
            ).exists():
                upg_daily.enqueue()
            self.stdout.write("UPG daily work scheduled.")
            return
        done = daily_run()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()))
