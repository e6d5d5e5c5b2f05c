from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cegah.core.numbers import format_number
from cegah.mcp.misread import answers_possibly_misread


class Command(BaseCommand):
    help = (
        "Lists MCP answers stored before the shared number input that look misread ('527.500' "
        "kept as 527,5): a fraction where the question counts whole things. Changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = answers_possibly_misread()
        for item in found:
            a = item.answer
            self.stdout.write(
                f"{a.pemda.code}\t{a.pemda.name}\t{a.period}\t{a.sub_indicator.code}\t"
                f"{item.field}\t{format_number(item.stored)}\t"
                f"likely {format_number(item.likely)}\t{a.get_state_display()}"
            )
        self.stdout.write(f"{len(found)} answer(s) to check.")
