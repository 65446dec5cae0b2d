"""Every page, every tab, every role: each table whose last row is a Total row (label convention
in rpsee/domain/tables.py) shows a Total equal to the sum of its other rows, to the cent."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pandas as pd
import pytest

from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.tables import SUBTOTAL_PREFIX, is_total_label
from rpsee.services import workplans
from rpsee.ui.nav import PAGES
from rpsee.ui.tables import NO_TOTAL
from tests.app.conftest import DEMO

CENT = Decimal("0.01")
ITERATED_SELECTS = ("Year",)  # selectors (of years) whose every option is opened too
# Figures shown as text: "EUR 5,000,000.00", a rate "1.0705" (and "1" among rates).
TEXT_FIGURE = re.compile(r"(?:[A-Z]{3} )?-?\d{1,3}(?:,\d{3})*(?:\.\d+)?")
DECIMALS = re.compile(r"\.\d{2,}$")  # at least one with decimals (not years, not codes "1.1")


def _cents(value: object) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT)


def _amount(value: object) -> Decimal | None:
    """A cell as an amount: numbers, or text amounts as the workplan grid shows them."""
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        return None if text in ("", "–") else Decimal(text).quantize(CENT)
    return None if value is None or pd.isna(value) else _cents(value)


def check_line_under(line: pd.DataFrame, table: pd.DataFrame, where: str) -> bool:
    """A one-row Total drawn under the table it sums (the workplan grid's totals line)."""
    shared = [c for c in line.columns[1:]
              if c in table.columns and str(line[c].iloc[0]).strip()]  # not its blank Title
    if not shared:
        return False
    if "Status" in table.columns:  # cancelled lines count in no total
        table = table[table["Status"] != "cancelled"]
    for col in shared:
        expected = sum((a for a in map(_amount, table[col]) if a is not None), Decimal(0))
        assert _amount(line[col].iloc[0]) == expected, f"{where} · {col}: Total line != sum"
    return True


def _percent_columns(proto) -> set[str]:  # noqa: ANN001
    """Columns a Total leaves blank on purpose: percents, and money columns whose help says
    the table does not total them."""
    config = json.loads(proto.columns or "{}")
    return {name for name, c in config.items()
            if "%%" in str(c.get("type_config", {}).get("format", ""))
            or NO_TOTAL in str(c.get("help") or "")}  # fmt: skip


def check_table(frame: pd.DataFrame, percent: set[str], where: str) -> bool:
    """True if the table has a Total row (then checked); assertion errors name the cell."""
    if frame.empty or not is_total_label(str(frame.iloc[-1, 0])):
        return False
    labels = [str(v) for v in frame.iloc[:, 0]]
    for label in labels:
        assert label not in ("None", "nan", "<NA>"), f"{where}: a row without a label"
    parts = [i for i, label in enumerate(labels[:-1]) if not label.startswith(SUBTOTAL_PREFIX)]
    subtotals = [i for i, label in enumerate(labels) if label.startswith(SUBTOTAL_PREFIX)]
    numeric = [c for c in frame.columns[1:] if pd.api.types.is_numeric_dtype(frame[c])]
    assert numeric, f"{where}: a Total row over amounts shown as text (cannot add up)"
    for col in numeric:
        values = frame[col]
        total = values.iloc[-1]
        if pd.isna(total):
            assert col in percent or values.iloc[parts].isna().all(), (
                f"{where}: column {col!r} has figures but a blank Total")
            continue
        expected = sum((_cents(values.iloc[i]) for i in parts if pd.notna(values.iloc[i])),
                       Decimal(0))  # fmt: skip
        assert _cents(total) == expected, f"{where} · {col}: Total {total} != sum {expected}"
        for s in subtotals:  # a subtotal sums the rows above it
            above = sum((_cents(v) for v in values.iloc[:s] if pd.notna(v)), Decimal(0))
            assert pd.isna(values.iloc[s]) or _cents(values.iloc[s]) == above, (
                f"{where} · {col}: {labels[s]} {values.iloc[s]} != {above}")
    return True


def check_text_figures_right_aligned(frame: pd.DataFrame, proto, where: str) -> None:  # noqa: ANN001
    """A column of figures shown as text (amounts with their currency, exchange rates) is
    right-aligned too."""
    config = json.loads(proto.columns or "{}")
    for col in frame.columns:
        shown = [v.strip() for v in frame[col] if isinstance(v, str) and v.strip() not in
                 ("", "–")]  # fmt: skip
        if (shown and all(TEXT_FIGURE.fullmatch(v) for v in shown)
                and any(DECIMALS.search(v) for v in shown)):
            assert config.get(str(col), {}).get("alignment") == "right", (
                f"{where} · {col}: figures aligned left")


def check_page(at, where: str) -> int:  # noqa: ANN001
    assert not at.exception, (where, at.exception)
    checked = 0
    above = None
    for d in at.dataframe:
        frame, previous, above = d.value, above, d.value
        check_text_figures_right_aligned(frame, d.proto, where)
        for col in frame.columns:  # blanks are missing values or "–", never the text None/nan
            shown = {v for v in frame[col] if isinstance(v, str)}
            assert not shown & {"None", "nan", "NaN", "<NA>"}, f"{where} · {col}"
        if len(frame) == 1 and is_total_label(str(frame.iloc[0, 0])):
            assert previous is not None, f"{where}: a Total line without its table"
            checked += check_line_under(frame, previous, where)
        elif check_table(frame, _percent_columns(d.proto), where):
            checked += 1
            assert set_apart(d.proto, len(frame) - 1), f"{where}: a Total row drawn as a part"
    return checked


def set_apart(proto, row: int) -> bool:  # noqa: ANN001
    """True if the row is drawn bold (tables.show styles Total and subtotal rows so)."""
    styles = proto.arrow_data.styler.styles if proto.arrow_data.HasField("styler") else ""
    return any(f"_row{row}_col0" in rule and "font-weight: bold" in rule
               for rule in styles.split("}"))  # fmt: skip


def _tab_key(at) -> str | None:  # noqa: ANN001
    """The session key of the page's tab widget (its value is one of the tab labels)."""
    labels = {t.label for t in at.tabs}
    return next((k for k, v in at.session_state.items()
                 if isinstance(v, str) and v in labels), None)  # fmt: skip


def _views(at, page: str):  # noqa: ANN001, ANN202
    """Run the page in each tab and, in each tab, with each option of its year selectors."""
    key = _tab_key(at)
    tabs = [t.label for t in at.tabs] if key else [None]
    for tab in tabs:
        if key:
            at.session_state[key] = tab
            at.run()
        yield f"{page} · {tab}"
        for select in [s for s in at.selectbox if s.label in ITERATED_SELECTS]:
            for option in list(select.options):  # labels such as "2027 workplan, version 1…"
                at.session_state[select.key] = int(option[:4])
                at.run()
                yield f"{page} · {tab} · {select.label} {option}"


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_total_row_adds_up(app_for, app_db: str, role: str) -> None:  # noqa: ANN001
    assert role in DEMO, f"no demo login for the role {role}: add one to tests/app/conftest.py"
    user = CurrentUser("x", "X", Role(role))
    if role == "observer":  # observers read versions given to the Committee: the demo's 2026
        observer = CurrentUser(DEMO[role], "O", Role.OBSERVER, "AUT")
        assert [(p.year, p.status) for p in workplans.list_workplans(observer, url=app_db)] == [
            (2026, "approved")]  # not the 2027 draft in preparation
    at = app_for(role).run()
    found: dict[str, int] = {}
    for spec in PAGES:
        if not user.can(spec.permission):
            continue
        at.switch_page(spec.path).run()
        for where in _views(at, spec.path):
            found[where] = check_page(at, where)
    pages_with_totals = {w.split(" · ")[0] for w, n in found.items() if n}
    expected = {"pages/overview.py", "pages/allocation.py", "pages/staffing.py",
                "pages/workplan.py"}  # fmt: skip
    assert expected <= pages_with_totals, (role, found)
    assert found["pages/workplan.py · Totals"] == 6, found  # area, office, place, cat, q, output
    assert found["pages/workplan.py · Activities"] == 1, found  # the grid's totals line


def test_the_check_catches_what_the_pages_used_to_show() -> None:
    # Allocation "By year" before: Allocated total 11,000,000 over rows summing to 10,780,000.
    old = pd.DataFrame({"": ["1. Drugs", "2. Organized Crime", "Total"],
                        "Allocated": [1_430_000.0, 9_350_000.0, 11_000_000.0]})  # fmt: skip
    with pytest.raises(AssertionError, match="Total 11000000.0 != sum 10780000.00"):
        check_table(old, set(), "old")
    as_text = old.assign(Allocated=["USD 1,430,000.00", "USD 9,350,000.00", "USD 11,000,000.00"])
    with pytest.raises(AssertionError, match="amounts shown as text"):
        check_table(as_text, set(), "old")
    fixed = pd.DataFrame({"": ["1. Drugs", "2. Organized Crime", "Subtotal: targets",
                               "Unallocated", "Total"],
                          "Allocated": [1_430_000.0, 9_350_000.0, 10_780_000.0, 220_000.0,
                                        11_000_000.0]})  # fmt: skip
    assert check_table(fixed, set(), "new")
