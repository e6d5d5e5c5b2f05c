"""Reading a Pemda's code from a table people made (published MCP results, SPI scores)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from cegah.core.tables import Column, Problem, Row
from cegah.regions.models import Pemda


def pemda_cell(
    row: Row, column: Column, pemdas: dict[str, Pemda], problems: list[Problem]
) -> Pemda | None:
    """The Pemda of Kemendagri's code in the cell, or a problem."""
    code = row.cell(column)
    found = pemdas.get(code)
    if found is None and re.fullmatch(r"\d{2}\.\d", code):
        # A spreadsheet that took 33.10 for a number shows it as 33.1.
        found = pemdas.get(code + "0")
    if found is None:
        problems.append(
            Problem(
                row.line,
                column,
                _("kode Pemda “%(code)s” tidak dikenal (kode Kemendagri, mis. 33.26).")
                % {"code": code}
                if code
                else _("kode Pemda kosong."),
            )
        )
    return found
