"""Tables people upload, read the way Indonesian offices make them.

A CSV saved by a spreadsheet in Indonesian settings is separated by semicolons (the comma marks
decimals there), one saved elsewhere by commas; either may start with a byte-order mark, and
an older Excel on Windows writes Windows-1252 rather than UTF-8. An Excel workbook (.xlsx) is
read from its first sheet. Rows keep the line number the person sees in their program, so every
problem can be named by line and column; an importer collects all of them before loading
anything (docs/conventions/inputs.md).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core.errors import DomainError

DELIMITERS = (";", ",", "\t")
MAX_ROWS = 200_000


def column_letter(index: int) -> str:
    """A (0) … Z, AA …: how a spreadsheet names the column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_key(text: str) -> str:
    """ "Kode Pemda " → "kode_pemda": how a column is looked up, whatever its case and spaces."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


@dataclass(frozen=True)
class Column:
    index: int
    title: str  # as written in the file's first row

    @property
    def key(self) -> str:
        return header_key(self.title)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Problem:
    line: int
    column: Column | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("Baris %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return _("Baris %(line)d, kolom %(letter)s (%(title)s): %(message)s") % {
            "line": self.line,
            "letter": self.column.letter,
            "title": self.column.title,
            "message": self.message,
        }


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]

    def cell(self, column: Column) -> str:
        return self.cells[column.index] if column.index < len(self.cells) else ""


class Titled:
    """Looking columns up by title; `columns` is the file's first row."""

    columns: list[Column]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def repeated_columns(self) -> list[Problem]:
        """A title given twice names nothing for sure: each repeat is a problem on line 1."""
        first: dict[str, Column] = {}
        problems = []
        for column in self.columns:
            if column.key and column.key in first:
                problems.append(
                    Problem(
                        1,
                        column,
                        _("judul kolom sama dengan kolom %(letter)s.")
                        % {"letter": first[column.key].letter},
                    )
                )
            first.setdefault(column.key, column)
        return problems

    def present(self, key: str) -> Column:
        """A column the caller has checked is there."""
        found = self.column(key)
        if found is None:
            raise KeyError(key)
        return found


@dataclass
class Table(Titled):
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


@dataclass
class StreamedTable(Titled):
    """A table read from its file again each time `rows` is walked, one row in memory at a
    time: an importer that checks a whole file and then loads it walks it twice instead of
    holding every row (the staff list of a large Pemda). Walking raises TableNotReadable past
    MAX_ROWS."""

    columns: list[Column]
    content: bytes
    filename: str

    @property
    def rows(self) -> Iterator[Row]:
        raw = _raw_rows(self.content, filename=self.filename)
        next(raw)  # the titles
        for count, (line, cells) in enumerate(raw, start=1):
            if count > MAX_ROWS:
                raise TableNotReadable(
                    _("Berkas ini memuat lebih dari %(max)d baris.") % {"max": MAX_ROWS}
                )
            yield Row(line, tuple(cells))


class TableNotReadable(DomainError):
    """The file is no table this reader knows (the message says which files are)."""


BOM = b"\xef\xbb\xbf"


def _encoding(content: bytes) -> str:
    """UTF-8 when the whole file decodes as such, else Excel's "CSV" on Windows (cp1252, in
    which every byte decodes, so names with é survive). Checked in slices: the file is never
    held twice."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1 << 16):
            decoder.decode(view[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    encoding = _encoding(content)
    head = content[len(BOM) : 1 << 16] if content.startswith(BOM) else content[: 1 << 16]
    first = next(
        (line for line in head.decode(encoding, "replace").splitlines() if line.strip()), ""
    )
    stream = io.BytesIO(content)  # shares the bytes; nothing is copied
    # The byte-order mark goes first: a Windows-1252 file saved with one would otherwise
    # begin with "ï»¿" and its first column be unknown.
    if content.startswith(BOM):
        stream.seek(len(BOM))
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=_delimiter(first))
    try:
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise TableNotReadable(
            _("Baris %(line)d tidak terbaca sebagai CSV: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    finally:
        text.detach()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps 95.5 as a binary double, and a formula's 80.1 as 80.10000000000001:
        # fifteen significant digits are what Excel itself shows.
        return f"{Decimal(f'{value:.15g}').normalize():f}"
    return str(value).strip()


MAX_COLUMNS = 200


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only imports that need it pay for it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # any broken workbook is the person's file, not ours
        raise TableNotReadable(_("Berkas Excel ini tidak dapat dibaca.")) from exc
    try:
        try:
            sheet = workbook.worksheets[0]
            # Rows are streamed: a sheet may declare a million rows (or columns) it does not
            # have, and must not be padded out in memory.
            rows = enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1)
        except Exception as exc:  # a chart sheet: not a table
            raise TableNotReadable(_("Berkas Excel ini tidak dapat dibaca.")) from exc
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged part
                raise TableNotReadable(_("Berkas Excel ini tidak dapat dibaca.")) from exc
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _raw_rows(content: bytes, *, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-empty row of the file with its line number, the titles first; the titles
    without the empty cells after them. TableNotReadable when it is no CSV or .xlsx, or empty."""
    name = filename.lower()
    if name.endswith(".xls"):
        raise TableNotReadable(
            _("Berkas .xls (Excel lama) tidak dibaca. Simpan sebagai .xlsx atau CSV.")
        )
    if content.startswith(b"PK") or name.endswith(".xlsx"):
        raw = _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")) or not name:
        raw = _csv_rows(content)
    else:
        raise TableNotReadable(_("Unggah berkas CSV atau Excel (.xlsx)."))
    rows = ((line, cells) for line, cells in raw if any(cells))
    titles = next(rows, None)
    if titles is None:
        raise TableNotReadable(_("Berkas ini kosong."))
    line, cells = titles
    while cells and not cells[-1]:
        cells.pop()
    yield line, cells
    yield from rows


def stream_table(content: bytes, *, filename: str) -> StreamedTable:
    """The file's titles, read now (TableNotReadable as read_table), and its rows walked from
    the file each time they are asked for."""
    titles = next(_raw_rows(content, filename=filename))[1]
    return StreamedTable(
        columns=[Column(i, t) for i, t in enumerate(titles)], content=content, filename=filename
    )


def read_table(content: bytes, *, filename: str) -> Table:
    """The file's first row as columns and every non-empty row after it, numbered as the
    person's program numbers them. TableNotReadable when it is no CSV or .xlsx."""
    streamed = stream_table(content, filename=filename)
    return Table(columns=streamed.columns, rows=list(streamed.rows))


_PLAIN_NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def cell_decimal(text: str) -> Decimal:
    """A figure in a file: "95,5" or "95.5" (whichever mark the office's settings wrote), "95".
    Grouped thousands are not figures these files hold; ValueError with the reason otherwise."""
    raw = text.strip().replace("\u00a0", "")
    if not _PLAIN_NUMBER.match(raw):
        raise ValueError(
            _("“%(text)s” bukan angka (tulis seperti 95,5 atau 95.5).") % {"text": text}
        )
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
        raise ValueError(text) from exc


# --- Cells every importer of published figures reads the same way --------------------------------


def whole_cell(text: str) -> int | None:
    """A whole number of up to four digits ("2024", "12", "12.0" as Excel writes it), or None."""
    text = text.strip().removesuffix(".0")
    return int(text) if re.fullmatch(r"\d{1,4}", text) else None


def missing_columns(table: Table, keys: tuple[str, ...]) -> list[Problem]:
    return [
        Problem(
            1,
            None,
            _("kolom “%(key)s” tidak ada. Baris pertama harus memuat %(keys)s.")
            % {"key": key, "keys": ", ".join(keys)},
        )
        for key in keys
        if table.column(key) is None
    ]


def year_cell(row: Row, column: Column, problems: list[Problem], *, first: int) -> int | None:
    """A year from `first` to this one, or a problem."""
    text = row.cell(column)
    if not text:
        problems.append(Problem(row.line, column, _("tahun kosong.")))
        return None
    year = whole_cell(text)
    last = timezone.localdate().year
    if year is None or not first <= year <= last:
        problems.append(
            Problem(
                row.line,
                column,
                _("“%(text)s” bukan tahun antara %(first)d dan %(last)d.")
                % {"text": text, "first": first, "last": last},
            )
        )
        return None
    return year


def score_cell(
    row: Row, column: Column, problems: list[Problem], *, required: bool
) -> Decimal | None:
    """A score from 0 to 100 with at most two decimals ("95,5" or "95.5"), or a problem."""
    text = row.cell(column)
    if not text:
        if required:
            problems.append(Problem(row.line, column, _("nilai kosong.")))
        return None
    try:
        value = cell_decimal(text)
    except ValueError as exc:
        problems.append(Problem(row.line, column, str(exc)))
        return None
    if not Decimal(0) <= value <= Decimal(100):
        problems.append(
            Problem(row.line, column, _("%(text)s di luar rentang 0 sampai 100.") % {"text": text})
        )
        return None
    if value != value.quantize(Decimal("0.01")):
        problems.append(
            Problem(row.line, column, _("%(text)s: paling banyak dua desimal.") % {"text": text})
        )
        return None
    return value
