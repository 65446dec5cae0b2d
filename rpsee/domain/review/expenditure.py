"""Expenditure as finance gets it from Umoja (the UN's ERP): an extract read row by row into
expenditure lines in USD, each mapped through its WBS element to an output, an office and a
jurisdiction; every row that cannot be read or mapped named by row and column, nothing guessed.

Rules (what the preview page states):

- Columns: `EXTRACT_COLUMNS`, named as the extract names them (case and surrounding spaces
  ignored); other columns are ignored. Every one of them is required in every row.
- Grant: a donor agreement of the pipeline (its `reference`), exactly.
- WBS element: one of the mapping's; an unmapped one is refused and listed in `unmapped_wbs`,
  so the preview can offer to map it and read again.
- Cost category: one of the UN harmonised categories, by our code (`TRAVEL`) or by its name
  (`Travel`, `Staff and other personnel costs`, or the UNDG spelling `Equipment, Vehicles, and
  Furniture, incl. Depreciation`), case, spaces and punctuation ignored.
- Posting period: `YYYY-MM` (`2025-03`), `MM/YYYY` or `M/YYYY` (`03/2025`, `3/2025`), or a date
  cell (Excel turns a typed `03/2025` into 1 Mar 2025: its year and month are taken). Anything
  else is refused (`2025/03`, `03.2025`, `Mar 2025`, `003/2025`, SAP's special periods 13-16),
  and so is a period outside the programme cycle.
- Amount: read exactly by `money.parse_amount` (a point for decimals, at most two; thousands by
  commas or spaces); a negative amount is a reversal, accepted and kept negative.
- Currency: three letters with an exchange rate (USD is always 1).
- USD: amount x the rate's USD per unit, rounded once per line to the cent, halves away from
  zero (Decimal ROUND_HALF_UP, as `pipeline.to_usd`), so a reversal converts to exactly minus
  its original. Totals are sums of the rounded lines.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rpsee.domain.money import AmountError, is_blank, parse_amount, quoted
from rpsee.domain.pipeline import ExchangeRate, to_usd
from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.tables import Column, Kind, Row, Table
from rpsee.domain.workplan_rules import RowError

GRANT, WBS, FUND, CATEGORY = "Grant", "WBS element", "Fund", "Cost category"
CURRENCY, PERIOD, AMOUNT = "Currency", "Posting period", "Amount"
EXTRACT_COLUMNS = (GRANT, WBS, FUND, CATEGORY, CURRENCY, PERIOD, AMOUNT)
REGIONAL = "REG"  # a WBS element of regional work maps to this jurisdiction code
PERIOD_FORMS = "YYYY-MM (2025-03) or MM/YYYY (03/2025)"
# The UNDG harmonised category names where they are spelled otherwise than in data/ (extracts
# use the UNDG spelling): the same category, so the same code.
CATEGORY_SPELLINGS = {"EQUIPMENT": "Equipment, Vehicles, and Furniture, incl. Depreciation"}
HEADER_ROW = 1  # the spreadsheet's row of the column names; data starts on row 2

_ISO_PERIOD = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_SLASH_PERIOD = re.compile(r"^(\d{1,2})/(\d{4})$", re.ASCII)
_CURRENCY = re.compile(r"^[A-Z]{3}$", re.ASCII)
_PLAIN_AMOUNT = re.compile(r"^-?[0-9]{1,9}\.[0-9]{2}$", re.ASCII)
_FUND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$", re.ASCII)
_CURRENCY_MARK = re.compile(r"[$€£¥₺]|[A-Za-z]{2,}")  # a lone `e` is scientific notation
_SIGNS = re.compile(r"^\s*[-+\u2212]\s*[-+\u2212]")
ZERO = Decimal("0.00")
_USD = ExchangeRate("USD", Decimal(1), date(2024, 1, 1))


@dataclass(frozen=True)
class WbsMapping:
    """Where the money of a WBS element goes: an output, an office and a jurisdiction code
    (`REG` for regional work)."""

    wbs: str
    output_code: str
    office_code: str
    jurisdiction: str


def wbs_mappings(entries: Mapping[str, Mapping[str, str]]) -> dict[str, WbsMapping]:
    """A mapping as `data/demo/expenditure.yaml` writes it: WBS element -> {output, office,
    jurisdiction}."""
    return {str(wbs): WbsMapping(str(wbs), str(e["output"]), str(e["office"]),
                                 str(e["jurisdiction"])) for wbs, e in entries.items()}  # fmt: skip


def check_mapping(m: WbsMapping, ref: ProgrammeReference) -> list[str]:
    """Problems of one WBS element's mapping, each naming the field (empty when it may be
    saved): an output, an office and a jurisdiction of the programme (or REG)."""
    problems = []
    if not m.wbs.strip():
        problems.append("WBS element: is empty")
    if ref.output(m.output_code) is None:
        problems.append(f"Output: {m.output_code!r} is not an output of the programme")
    if ref.office(m.office_code) is None:
        problems.append(f"Office: {m.office_code!r} is not an office of the programme")
    if m.jurisdiction not in {j.code for j in ref.jurisdictions} | {REGIONAL}:
        problems.append(f"Jurisdiction: {m.jurisdiction!r} is not a jurisdiction code (or "
                        f"{REGIONAL} for regional work)")  # fmt: skip
    return problems


@dataclass(frozen=True, slots=True)
class ExpenditureLine:
    """One row of an extract, read and mapped: `amount` in `currency`, `amount_usd` converted
    (negative for a reversal); `row` is the spreadsheet row it came from."""

    row: int
    grant: str
    wbs: str
    fund: str
    category: str  # a cost category code (STAFF, TRAVEL, ...)
    currency: str
    year: int
    month: int
    amount: Decimal
    amount_usd: Decimal
    output_code: str
    office_code: str
    jurisdiction: str

    @property
    def period(self) -> tuple[int, int]:
        return (self.year, self.month)


@dataclass(frozen=True)
class ExtractProblem:
    """A refused cell: `row` as the user sees it in the spreadsheet (the header is row 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:  # as every other row error reads: `Row 5, Amount: ...`
        return str(RowError(f"Row {self.row}", self.column, self.message))


@dataclass(frozen=True)
class ExtractPreview:
    """What an extract would import: its lines, the problems that stop it, the WBS elements to
    map, the posting periods it covers (those it replaces), the file's hash and the number of
    data rows read (blank rows not counted)."""

    lines: tuple[ExpenditureLine, ...]
    problems: tuple[ExtractProblem, ...]
    unmapped_wbs: tuple[str, ...]
    periods: tuple[tuple[int, int], ...]
    sha256: str
    rows_read: int

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_usd(self) -> Decimal:
        return sum((line.amount_usd for line in self.lines), Decimal("0.00"))

    @property
    def reversals(self) -> tuple[ExpenditureLine, ...]:
        """The lines with a negative amount (accepted, shown as such in the preview)."""
        return tuple(line for line in self.lines if line.amount < 0)


class _Refused(Exception):
    """Internal: a cell's message."""


def _key(text: str) -> str:
    """A name compared loosely: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def category_codes(ref: ProgrammeReference) -> dict[str, str]:
    """Every accepted spelling (loose key of a code, of a harmonised name as `data/` gives it,
    or of the UNDG spelling in CATEGORY_SPELLINGS) -> its code."""
    found: dict[str, str] = {}
    for c in ref.cost_categories:
        found[_key(c.code)] = c.code
        found[_key(c.name)] = c.code
    for code, name in CATEGORY_SPELLINGS.items():
        if code in found.values():
            found[_key(name)] = code
    return found


def _text(value: object) -> str:
    """A text cell as written; an integral number (a numeric grant or fund id) without `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def fund(value: object) -> str:
    """A fund code as the ERP writes it (letters, digits, `.`, `_`, `-`; up to 20)."""
    text = _text(value)
    if not _FUND.match(text):
        raise _Refused(f"{quoted(text[:40])} is not a fund code: letters and digits, up to 20 "
                       "(e.g. 32EUA)")  # fmt: skip
    return text


def parse_period(value: object) -> tuple[int, int]:
    """(year, month) of a Posting period cell in one of the accepted forms (module docstring);
    raises ValueError with what to type."""
    if isinstance(value, date):  # a datetime is a date too
        return value.year, value.month
    text = _text(value)
    match = _ISO_PERIOD.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
    elif match := _SLASH_PERIOD.match(text):
        year, month = int(match[2]), int(match[1])
    else:
        raise ValueError(f"{quoted(value)} is not a posting period: type {PERIOD_FORMS}")
    if not 1 <= month <= 12:
        raise ValueError(f"{quoted(value)} has no month {month}: a month is 1 to 12 (special "
                         "periods 13-16 are not imported)")  # fmt: skip
    return year, month


def in_cycle(period: tuple[int, int], cycle: tuple[date, date]) -> bool:
    """Whether a month falls within the cycle's first and last month (both included)."""
    start, end = cycle
    return (start.year, start.month) <= period <= (end.year, end.month)


def twice_named(header: Iterable[object]) -> list[str]:
    """Columns of an extract whose names read alike (`Amount`, `amount `): which one counts
    would be a guess."""
    seen: dict[str, list[str]] = {}
    for k in header:
        seen.setdefault(_key(str(k)), []).append(str(k))
    return [" and ".join(repr(n) for n in names) for names in seen.values() if len(names) > 1]


def _columns(rows: Sequence[Mapping[str, object]]) -> tuple[dict[str, str], list[str]]:
    """The extract's own name of each required column, and the required columns missing."""
    names = {_key(str(k)): str(k) for k in (rows[0] if rows else {})}
    found = {c: names[_key(c)] for c in EXTRACT_COLUMNS if _key(c) in names}
    return found, [c for c in EXTRACT_COLUMNS if c not in found]


class _Reader:
    """Reads the cells of one extract, with the answers for values already seen cached (an
    extract repeats the same few grants, periods and currencies thousands of times)."""

    def __init__(self, grants: Collection[str], mapping: Mapping[str, WbsMapping],
                 rates: Mapping[str, ExchangeRate], cycle: tuple[date, date],
                 ref: ProgrammeReference) -> None:  # fmt: skip
        self.grants, self.mapping, self.cycle = set(grants), mapping, cycle
        self.rates = {"USD": _USD, **rates}
        self.categories = category_codes(ref)
        self.seen_periods: set[tuple[int, int]] = set()
        self.unmapped: dict[str, None] = {}
        self.readers = {GRANT: self.grant, WBS: self.wbs, FUND: fund, CATEGORY: self.category,
                        CURRENCY: self.currency, PERIOD: self.period}  # fmt: skip
        self.cache: dict[str, dict[tuple[type, object], object]] = {c: {} for c in self.readers}

    def grant(self, value: object) -> str:
        text = _text(value)
        if text not in self.grants:
            raise _Refused(f"{quoted(text)} is not a donor agreement of the pipeline: type its "
                           "reference as the Pipeline page shows it")  # fmt: skip
        return text

    def wbs(self, value: object) -> WbsMapping:
        text = _text(value)
        found = self.mapping.get(text)
        if found is None:
            self.unmapped.setdefault(text)
            raise _Refused(f"{quoted(text)} is not mapped to an output, office and jurisdiction: "
                           "map it in the preview, then read the file again")  # fmt: skip
        return found

    def category(self, value: object) -> str:
        code = self.categories.get(_key(_text(value)))
        if code is None:
            raise _Refused(f"{quoted(value)} is not a UN harmonised cost category: use its "
                           "name (e.g. Travel) or code (e.g. TRAVEL)")  # fmt: skip
        return code

    def currency(self, value: object) -> ExchangeRate:
        text = _text(value).upper()
        rate = self.rates.get(text)
        if rate is None:
            what = "has no exchange rate: finance adds it on the Pipeline page"
            if not _CURRENCY.match(text):
                what = "is not a currency code: type three letters, e.g. EUR"
            raise _Refused(f"{quoted(value)} {what}")
        return rate

    def period(self, value: object) -> tuple[int, int]:
        try:
            found = parse_period(value)
        except ValueError as exc:
            raise _Refused(str(exc)) from None
        if not in_cycle(found, self.cycle):
            raise _Refused(f"{found[1]:02d}/{found[0]} is outside the programme cycle "
                           f"({self.cycle[0]:%m/%Y} to {self.cycle[1]:%m/%Y})")  # fmt: skip
        self.seen_periods.add(found)
        return found

    def cell(self, column: str, value: object) -> object:
        """What a (non-amount) cell reads as; raises _Refused. Each value is read once per
        extract (by type and value: 1 and 1.0 and True stay apart)."""
        cache = self.cache[column]
        key = (type(value), value)
        found = cache.get(key)
        if found is None:
            try:
                found = self.readers[column](value)
            except _Refused as refusal:
                found = refusal
            cache[key] = found
        if isinstance(found, _Refused):
            raise _Refused(str(found))  # a new one: re-raising one would grow its traceback
        return found


def _blank(value: object) -> bool:
    """`money.is_blank`, with the common cells (None, text) answered first."""
    if value is None:
        return True
    if type(value) is str:
        return not value.strip()
    return is_blank(value)


def _row_is_blank(raw: Mapping[str, object]) -> bool:
    return all(_blank(v) for v in raw.values())


def read_amount(value: object, row: int) -> Decimal:
    """`money.parse_amount` (negative allowed), with the extract's common form (`-1234.56`: up
    to nine digits, a point, two decimals) read directly: parse_amount reads it the same."""
    if type(value) is str and _PLAIN_AMOUNT.match(value):
        number = Decimal(value)
        return number if number else ZERO
    if isinstance(value, str) and _CURRENCY_MARK.search(value):
        raise AmountError(AMOUNT, f"Row {row}", f"{quoted(value)} carries a currency or a word: "
                          "type the amount alone (its currency is the Currency column)")
    if isinstance(value, str) and _SIGNS.match(value):
        raise AmountError(AMOUNT, f"Row {row}", f"{quoted(value)} has two signs: type one "
                          "(-100.00 for a reversal)")
    return parse_amount(value, field=AMOUNT, row=f"Row {row}", allow_negative=True)


def read_extract(
    rows: Sequence[Mapping[str, object]], *, sha256: str, grants: Collection[str],
    mapping: Mapping[str, WbsMapping], rates: Mapping[str, ExchangeRate],
    cycle: tuple[date, date], ref: ProgrammeReference,
) -> ExtractPreview:  # fmt: skip
    """Read an extract's rows (dicts keyed by the header, in file order: `rows[0]` is spreadsheet
    row 2) into a preview; nothing is refused silently. Blank rows are skipped (not counted)."""
    columns, missing = _columns(rows)
    alike = twice_named(rows[0]) if rows else []
    if alike:
        problems = tuple(ExtractProblem(HEADER_ROW, "(header)", f"columns {a} read as one: "
                                        "rename or remove one of them") for a in alike)
        return ExtractPreview((), problems, (), (), sha256, 0)
    if not rows:
        problem = ExtractProblem(HEADER_ROW, "(file)", "has no data rows under the header")
        return ExtractPreview((), (problem,), (), (), sha256, 0)
    if missing:
        problems = tuple(ExtractProblem(HEADER_ROW, c, "this column is missing: the extract "
                                        f"needs {', '.join(EXTRACT_COLUMNS)}")
                         for c in missing)  # fmt: skip
        return ExtractPreview((), problems, (), (), sha256, 0)
    reader = _Reader(grants, mapping, rates, cycle, ref)
    lines: list[ExpenditureLine] = []
    problems: list[ExtractProblem] = []
    read = 0
    for index, raw in enumerate(rows):
        if _row_is_blank(raw):
            continue
        read += 1
        n = index + HEADER_ROW + 1
        line, refused = _read_row(n, raw, columns, reader)
        if line is not None:
            lines.append(line)
        problems += refused
    return ExtractPreview(tuple(lines), tuple(problems), tuple(reader.unmapped),
                          tuple(sorted(reader.seen_periods)), sha256, read)  # fmt: skip


def _read_row(n: int, raw: Mapping[str, object], columns: Mapping[str, str], reader: _Reader
              ) -> tuple[ExpenditureLine | None, list[ExtractProblem]]:  # fmt: skip
    """One data row: its line, or the problems of each refused cell."""
    problems: list[ExtractProblem] = []
    values: dict[str, object] = {}
    for column in EXTRACT_COLUMNS:
        cell = raw.get(columns[column])
        if _blank(cell):
            problems.append(ExtractProblem(n, column, "is empty: every row needs a value here"))
            continue
        try:
            if column == AMOUNT:
                values[column] = read_amount(cell, n)
            else:
                values[column] = reader.cell(column, cell)
        except _Refused as refusal:
            problems.append(ExtractProblem(n, column, str(refusal)))
        except AmountError as exc:
            problems.append(ExtractProblem(n, column, exc.reason))
    if problems:
        return None, problems
    where: WbsMapping = values[WBS]  # type: ignore[assignment]
    rate: ExchangeRate = values[CURRENCY]  # type: ignore[assignment]
    amount: Decimal = values[AMOUNT]  # type: ignore[assignment]
    year, month = values[PERIOD]  # type: ignore[misc]
    usd = to_usd(amount, rate.currency, reader.rates)
    line = ExpenditureLine(n, str(values[GRANT]), where.wbs, str(values[FUND]),
                           str(values[CATEGORY]), rate.currency, year, month, amount, usd,
                           where.output_code, where.office_code, where.jurisdiction)  # fmt: skip
    return line, []


def replace_periods(existing: Sequence[ExpenditureLine],
                    incoming: ExtractPreview) -> list[ExpenditureLine]:  # fmt: skip
    """The lines after importing `incoming`: every existing line of a period the extract covers
    is dropped and the extract's lines take their place; other periods are untouched. Importing
    the same extract twice gives the same lines (no double counting). Refuses a preview with
    problems."""
    if not incoming.ok:
        raise ValueError("Only an extract without problems can be imported.")
    replaced = set(incoming.periods)
    return [line for line in existing if line.period not in replaced] + list(incoming.lines)


def replacement_table(existing: Sequence[ExpenditureLine], incoming: ExtractPreview) -> Table:
    """What confirming the import does, period by period (the preview shows it before the
    button): the lines and USD kept now, those the file brings, and the change. Total row: the
    sums (of the periods the file covers only)."""
    now: dict[tuple[int, int], list[ExpenditureLine]] = {p: [] for p in incoming.periods}
    for line in existing:
        if line.period in now:
            now[line.period].append(line)
    new: dict[tuple[int, int], list[ExpenditureLine]] = {p: [] for p in incoming.periods}
    for line in incoming.lines:
        new.setdefault(line.period, []).append(line)
    columns = (Column("Posting period", Kind.TEXT), Column("Lines now", Kind.COUNT),
               Column("USD now"), Column("Lines in the file", Kind.COUNT),
               Column("USD in the file"), Column("Change (USD)"))  # fmt: skip
    rows = []
    for (year, month), old in sorted(now.items()):
        before = sum((x.amount_usd for x in old), ZERO)
        after = sum((x.amount_usd for x in new[(year, month)]), ZERO)
        rows.append(Row((f"{year}-{month:02d}", len(old), before, len(new[(year, month)]),
                         after, after - before)))  # fmt: skip
    return Table("What the import replaces, by posting period", columns, tuple(rows),
                 notes=("Every line of a period in the file replaces all the lines of that "
                        "period now kept: importing the same file again changes nothing.",))
