from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cegah.core.numbers import NumberKind, format_number
from cegah.wbs.selectors import losses_possibly_misread


class Command(BaseCommand):
    help = (
        "Lists WBS reports whose estimated loss looks misread by the number field before the "
        "shared input ('50.000' kept as Rp50): the reference and the amount only. Changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = losses_possibly_misread()
        for report, loss in found:
            self.stdout.write(
                f"{report}\t{report.pemda.code}\t{format_number(loss, kind=NumberKind.RUPIAH)}\t"
                f"likely {format_number(loss * 1000, kind=NumberKind.RUPIAH)}"
            )
        self.stdout.write(f"{len(found)} report(s) to check.")
