"""An uploaded expenditure extract (CSV or Excel) as rows keyed by its header, with the file's
SHA-256: the raw cells only; `rpsee.domain.review.expenditure.read_extract` reads and checks
them. A file that is not a readable extract at all raises ValueError with a message to show.

CSV: UTF-8, with or without a byte-order mark (any other encoding is refused, never guessed);
the separator is the header line's: a comma, else a semicolon or a tab. Excel (.xlsx): values
only (a formula's cached value), read-only; the sheet named like the extract (`Expenditure`,
`Extract`, `Umoja extract`: see SHEET_NAMES) or else the first one.

Rows keep their place: a blank row inside the data stays (as a row of blanks, which the reader
skips) so that `rows[i]` is spreadsheet row i + 2; trailing blank rows are dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import PurePath

MAX_BYTES = 60 * 2**20  # an extract of 100,000 rows is about 10 MB as CSV, 5 MB as .xlsx
MAX_EXPANDED = 600 * 2**20  # an .xlsx's parts together, as declared (a decompression bomb)
MAX_ROWS = 1_000_000
SHEET_NAMES = ("expenditure", "extract", "umojaextract", "expenditureextract")
SEPARATORS = (",", ";", "\t")
NOT_XLSX = "The file is not an Excel workbook (.xlsx)"
SAVE_AS = "save it again from Excel as 'CSV UTF-8 (Comma delimited)' or as .xlsx"

Rows = list[dict[str, object]]


class ExtractFileError(ValueError):
    """The file is not a readable extract; the message says why and what to do."""


def read_rows(data: bytes, filename: str) -> tuple[Rows, str]:
    """The rows of an uploaded .csv or .xlsx extract (dicts keyed by the header's names) and
    the SHA-256 of the bytes (hex). Raises ExtractFileError (a ValueError) saying what is
    wrong with the file."""
    if not data:
        raise ExtractFileError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ExtractFileError(f"The file is {len(data) / 2**20:.1f} MB: an extract is at most "
                               f"{MAX_BYTES // 2**20} MB; split it by posting period.")  # fmt: skip
    digest = hashlib.sha256(data).hexdigest()
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(data), digest
    if suffix == ".xlsx":
        return _xlsx_rows(data), digest
    raise ExtractFileError(f"'{PurePath(filename).name}' is neither a .csv nor an .xlsx "
                           "file: export the extract from Umoja as CSV or Excel.")  # fmt: skip


def _header(cells: Sequence[object]) -> list[str]:
    """The column names; refuses a header row that is empty or names a column twice."""
    names = ["" if c is None else str(c).strip() for c in cells]
    if not any(names):
        raise ExtractFileError("Row 1 is empty: the first row must name the columns (Grant, WBS "
                         "element, Fund, ...).")  # fmt: skip
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        raise ExtractFileError(f"Row 1 names the column(s) {', '.join(twice)} twice: keep "
                               "one of each.")  # fmt: skip
    return names


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _as_dicts(header: list[str], body: Iterable[Sequence[object]]) -> Rows:
    """Each row as {column name: cell}, unnamed columns dropped, trailing blank rows dropped."""
    named = [(i, h) for i, h in enumerate(header) if h]
    width = len(header)
    rows: Rows = []
    last = 0  # rows up to the last non-blank one
    for cells in body:
        if len(rows) >= MAX_ROWS:
            raise ExtractFileError(f"More than {MAX_ROWS:,} rows: split the extract by "
                                   "posting period.")  # fmt: skip
        extra = [c for c in cells[width:] if not _blank(c)]
        if extra:  # an unquoted comma in a cell (1,234.56) shifts every cell after it
            raise ExtractFileError(
                f"Row {len(rows) + 2} has {len(cells)} cells but the header names {width} "
                f"columns (extra: {', '.join(repr(str(c))[:40] for c in extra[:3])}): a value "
                "holding the separator must be quoted, or nothing was read.")
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        row = {h: (None if cells[i] == "" else cells[i]) for i, h in named}
        rows.append(row)
        if not all(_blank(v) for v in row.values()):
            last = len(rows)
    del rows[last:]
    return rows


def _csv_rows(data: bytes) -> Rows:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractFileError(f"The CSV file is not UTF-8 (byte 0x{data[exc.start]:02x} on line "
                         f"{line} cannot be read): {SAVE_AS}.") from None  # fmt: skip
    if "\x00" in text:
        raise ExtractFileError(f"The CSV file holds NUL characters (is it a spreadsheet saved "
                               f"under a .csv name?): {SAVE_AS}.")  # fmt: skip
    first = text.split("\n", 1)[0]
    separator = next((s for s in SEPARATORS if s in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header = _header(next(reader, []))
        return _as_dicts(header, reader)
    except csv.Error as exc:
        raise ExtractFileError(f"The CSV file is malformed near line {reader.line_num} ({exc}): "
                         f"{SAVE_AS}.") from None  # fmt: skip


def _check_zip(data: bytes) -> None:
    """Refuse a file that is not a zip, is cut short, or would expand beyond MAX_EXPANDED."""
    if not data.startswith(b"PK\x03\x04"):
        raise ExtractFileError(f"{NOT_XLSX}: {SAVE_AS}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(m.file_size for m in zf.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ExtractFileError(f"{NOT_XLSX}: it is damaged or cut short; {SAVE_AS}.") from None
    if expanded > MAX_EXPANDED:
        raise ExtractFileError(f"The workbook would expand to {expanded / 2**20:,.0f} MB: it "
                               "was not opened (split the extract by posting period)."
                               )  # fmt: skip


def _sheet_key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _xlsx_rows(data: bytes) -> Rows:
    from openpyxl import load_workbook  # imported when an .xlsx comes, not at start-up

    _check_zip(data)
    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        names = book.sheetnames
        chosen = next((n for n in names if _sheet_key(n) in SHEET_NAMES), names[0])
        sheet = book[chosen]
        sheet.reset_dimensions()  # read every row, whatever size the file declares
        values = sheet.iter_rows(values_only=True)
        header = _header(next(values, ()))
        return _as_dicts(header, values)
    except ExtractFileError:
        raise
    except Exception as exc:  # noqa: BLE001  any parser failure: a damaged file, said plainly
        raise ExtractFileError(f"{NOT_XLSX} that could be read ({type(exc).__name__}): "
                               f"{SAVE_AS}.") from None  # fmt: skip
    finally:
        if book is not None:
            book.close()
