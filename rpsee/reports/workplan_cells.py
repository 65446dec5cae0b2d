"""One cell of an uploaded workplan sheet as the value its column reads, or the reason it is
refused: what Excel shows is what is read (a number in a text column as its format shows it),
and a cell whose look says something the value does not (`€`, `0%`, a date) is refused."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from rpsee.domain.text_rules import shown

TEXT_KEYS = frozenset({"code", "title", "description", "output_code", "jurisdictions",
                       "lead_office", "position_id", "funding_source", "priority",
                       "indicators", "status", "notes", "sdg_targets", "marker_note",
                       "inclusion"})  # fmt: skip
_FIXED = re.compile(r"^(#,##)?0(?:\.(0+))?$")  # 0, 0.00, #,##0, #,##0.00
_DOLLAR = frozenset({"$", "USD", "US$"})
MAX_GENERAL_DIGITS = 15  # what Excel keeps of a number; a longer float is not what it shows


class CellRefused(ValueError):
    """The cell cannot be read as its column's value; the message follows the quoted value."""


def _plain_format(number_format: object) -> str:
    return str(number_format or "General").strip()


def _literals(fmt: str) -> tuple[list[str], str]:
    """The literal texts a number format prints (quoted, escaped, `[$€-x]` currency parts) and
    the format's remaining code with them, padding (`_x`) and fills (`*x`) taken out."""
    texts: list[str] = []
    code: list[str] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) if end < 0 else end
            texts.append(fmt[i + 1:end])
            i = end + 1
        elif c == "\\" and i + 1 < len(fmt):
            texts.append(fmt[i + 1])
            i += 2
        elif c in "_*" and i + 1 < len(fmt):
            i += 2
        elif c == "[":
            end = fmt.find("]", i)
            end = len(fmt) if end < 0 else end
            part = fmt[i + 1:end]
            if part.startswith("$"):
                texts.append(part[1:].split("-")[0])
            i = end + 1
        else:
            code.append(c)
            i += 1
    return texts, "".join(code)


def amount_format_problem(number_format: object) -> str | None:
    """Why an amount cell's look contradicts `USD` (None if it does not): another currency, or
    a percentage."""
    texts, code = _literals(_plain_format(number_format))
    for text in texts:
        word = text.strip()
        if word and word.upper() not in _DOLLAR and any(
                unicodedata.category(c) == "Sc" or c.isalpha() for c in word):  # fmt: skip
            return (f"is shown with {shown(word)} (cell format {shown(number_format)}): "
                    "amounts are in US dollars; convert it to USD and format the cell as a "
                    "plain number")  # fmt: skip
    if "%" in code or any("%" in t for t in texts):
        return (f"is shown as a percentage (cell format {shown(number_format)}): type the "
                "amount in USD and format the cell as a plain number")  # fmt: skip
    foreign = [c for c in code if unicodedata.category(c) == "Sc" and c != "$"]
    if foreign:
        return (f"is shown in {foreign[0]} (cell format {shown(number_format)}): amounts are in "
                "US dollars; convert it to USD and format the cell as a plain number")
    return None


def _general(value: int | float) -> str | None:
    """A number as Excel's General format shows it, or None when Excel would round it."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 10**MAX_GENERAL_DIGITS:
        return str(int(value))
    text = repr(value)
    digits = len(text.replace("-", "").replace(".", "").lstrip("0"))
    if "e" in text or "inf" in text or "nan" in text or digits > MAX_GENERAL_DIGITS:
        return None
    return text


def number_as_text(value: int | float, number_format: object) -> str:
    """A number cell in a text column as the text Excel shows (`1.10` in a `0.00` cell), or
    CellRefused when the format is one this reader cannot show exactly, or hides digits."""
    fmt = _plain_format(number_format)
    if fmt in ("General", "@"):
        text = _general(value)
        if text is None:
            raise CellRefused(f"is a number Excel rounds for display ({value!r}): type it as "
                              "text (format the cell as Text first)")  # fmt: skip
        return text
    fixed = _FIXED.match(fmt)
    if not fixed:
        raise CellRefused(f"is a number shown with the format {shown(fmt)}: this column holds "
                          "text; format the cell as Text and type it again")  # fmt: skip
    places = len(fixed[2] or "")
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = f"{exact:,.{places}f}" if fixed[1] else f"{exact:.{places}f}"
    if Decimal(text.replace(",", "")) != exact:
        raise CellRefused(f"shows {text} but holds {_general(value) or repr(value)}: type the "
                          "text you mean (format the cell as Text first)")  # fmt: skip
    return text


def text_value(value: Any, number_format: object) -> Any:  # noqa: ANN401
    """A cell of a text column (Title, Code, Output...) as its text."""
    if isinstance(value, (datetime, date, time, timedelta)):
        raise CellRefused("is a date or time, not text: format the cell as Text and type the "
                          "text again (Excel turned it into a date)")  # fmt: skip
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_as_text(value, number_format)
    return value


def amount_value(value: Any, number_format: object) -> Any:  # noqa: ANN401
    """A cell of a budget column: a number whose format says USD (or nothing), else refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem = amount_format_problem(number_format)
        if problem:
            raise CellRefused(problem)
    return value


def cell_value(key: str, value: Any, number_format: object) -> Any:  # noqa: ANN401
    """The value the column `key` reads from a cell (months and markers are read by the rules
    of a line, which check the year and refuse fractions)."""
    if key in TEXT_KEYS:
        return text_value(value, number_format)
    if key.startswith("budget_"):
        return amount_value(value, number_format)
    if key in ("gem", "dac_gender", "dac_disability") and isinstance(
            value, (datetime, date, time, timedelta)):  # fmt: skip
        raise CellRefused("is a date, not a marker: use " + (
            "0, 1, 2 or 3" if key == "gem" else "0, 1 or 2 (or leave it blank)"))
    return value
