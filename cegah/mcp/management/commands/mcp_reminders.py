from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cegah.mcp.services.reminders import reminders_send
from cegah.mcp.tasks import deadline_reminders


class Command(BaseCommand):
    help = (
        "Deadline reminders for MCP operators and for the Admin Pemda of recommendations still "
        "followed up. `--now` sends what is due now; `--schedule` "
        "queues the daily background task unless one is already queued."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true")
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args: Any, now: bool, schedule: bool, **options: Any) -> None:
        if now:
            self.stdout.write(f"{reminders_send(now=timezone.now())} reminder(s) sent")
        if schedule:
            queued = DBTaskResult.objects.filter(
                status="READY", task_path__endswith=".deadline_reminders"
            ).exists()
            if queued:
                self.stdout.write("reminders already scheduled")
            else:
                deadline_reminders.enqueue()
                self.stdout.write("reminders scheduled")
