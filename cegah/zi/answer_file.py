"""A filled LKE as a table (`kode,jawaban`), read for offline scoring: every problem by line and
column, and nothing scored while there is one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from cegah.core.tables import Problem, Table
from cegah.zi.scoring import AnswerInvalid, hasil_score, question_value, questions_of


def read_answers(
    structure: Mapping[str, Any], table: Table
) -> tuple[dict[str, str], list[Problem]]:
    """The answers by code, and the problems: a missing column, an unknown or repeated code,
    an answer outside its question's type, a question or Hasil item left without an answer."""
    problems = [
        Problem(
            1, None, _("kolom “%(key)s” tidak ada. Baris pertama: kode,jawaban.") % {"key": key}
        )
        for key in ("kode", "jawaban")
        if table.column(key) is None
    ]
    if problems:
        return {}, problems
    code_col, answer_col = table.present("kode"), table.present("jawaban")
    questions = questions_of(structure)
    hasil = {h["code"]: h for h in structure["hasil"]}
    answers: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in table.rows:
        code, text = row.cell(code_col).strip(), row.cell(answer_col).strip()
        if code not in questions and code not in hasil:
            problems.append(
                Problem(
                    row.line, code_col, _("kode “%(code)s” tidak ada di LKE ini.") % {"code": code}
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    row.line,
                    code_col,
                    _("%(code)s sudah dijawab di baris %(line)d.")
                    % {"code": code, "line": seen[code]},
                )
            )
            continue
        seen[code] = row.line
        if not text:
            problems.append(Problem(row.line, answer_col, _("jawaban kosong.")))
            continue
        try:
            if code in questions:
                question_value(questions[code], structure["choices"], text)
            else:
                hasil_score(hasil[code], structure["survey"], text)
        except AnswerInvalid as exc:
            problems.append(Problem(row.line, answer_col, str(exc)))
            continue
        answers[code] = text
    missing = [c for c in [*questions, *hasil] if c not in seen]
    if missing:
        problems.append(
            Problem(
                len(table.rows) + 2,
                None,
                _("tidak ada jawaban untuk: %(codes)s.") % {"codes": ", ".join(missing)},
            )
        )
    return answers, problems
