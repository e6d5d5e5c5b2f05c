"""Scores a filled LKE offline, as the platform does: an auditor re-scores from a CSV."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cegah.core.errors import DomainError
from cegah.core.tables import read_table
from cegah.zi.answer_file import read_answers
from cegah.zi.models import LkeVersion
from cegah.zi.scoring import score


class Command(BaseCommand):
    help = (
        "Scores a filled LKE: a CSV or Excel with columns kode,jawaban (one row per question, "
        "and per Hasil item: IPAK and IPKP indices, capaian kinerja). Prints the breakdown and "
        "both verdicts as JSON. Every problem is reported by line; nothing is scored then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lke", type=int, required=True, help="the LKE version")
        parser.add_argument("--held", action="append", default=[], help="a predicate held (WBK)")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, lke: int, held: list[str], file: Path, **options: Any) -> None:
        version = LkeVersion.objects.filter(version=lke).first()
        if version is None:
            raise CommandError(f"LKE version {lke} is not loaded (manage.py zi_lke import).")
        try:
            table = read_table(file.read_bytes(), filename=file.name)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except DomainError as exc:
            raise CommandError(f"{file.name}: {' '.join(exc.messages)}") from exc
        answers, problems = read_answers(version.structure, table)
        if problems:
            for problem in problems:
                self.stderr.write(f"{file.name}: {problem}")
            raise CommandError(f"{len(problems)} problem(s); nothing was scored.")
        breakdown = score(version.structure, answers, held=held)
        self.stdout.write(json.dumps({"lke": lke, **breakdown.as_dict()}, indent=2))
