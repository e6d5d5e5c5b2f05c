from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cegah.public.warm import public_pages_warm


class Command(BaseCommand):
    help = (
        "Makes the public pages of the latest publication (of --year) ready in the shared "
        "cache, as the task worker does after each publication: run after a deploy, whose new "
        "release starts with none of its pages made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int)

    def handle(self, *args: Any, year: int | None, **options: Any) -> None:
        done = public_pages_warm(year=year)
        self.stdout.write(f"{done['made']} page(s) made ready, {done['failed']} failed")
