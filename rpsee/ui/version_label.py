"""Year selectors that open on the year being implemented and name the workplan version shown,
e.g. "2027 workplan, version 2, draft, used here"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st

from rpsee.domain.workplan import Workplan, implementation_year


def version_label(plan: Workplan | None, year: int | None = None, here: bool = False) -> str:
    """A version named in full; `here`: the page uses it (else "in use" marks the default)."""
    if plan is None:
        return f"{year}: no workplan yet"
    name = plan.label + (" shared for consultation" if plan.shared and plan.editable else "")
    if here:
        return f"{name}, used here"
    return f"{name}, in use" if plan.in_use else name


def default_year(years: Sequence[int], today: date | None = None) -> int:
    """The year being implemented (today's, clamped to the cycle)."""
    return implementation_year(today or date.today(), years)


def year_select(
    label: str,
    years: Sequence[int],
    key: str,
    in_use: Mapping[int, Workplan] | None = None,
    where: Any = st,
) -> int:
    """A year selector opening on the year being implemented; with `in_use` (year -> version
    in use) each year says which workplan version the page shows."""
    years = list(years)
    names = (lambda y: version_label(in_use.get(y), y, here=True)) if in_use is not None else str
    return where.selectbox(label, years, index=years.index(default_year(years)),
                           format_func=names, key=key)  # fmt: skip


def default_version(plans: Sequence[Workplan], years: Sequence[int],
                    preparing: bool = False) -> Workplan:  # fmt: skip
    """The version a workplan selector opens on: with `preparing` (a planner) the newest draft
    of the year being implemented or a later one (the plan in preparation), if any; else the
    one in use for the year being implemented, else for the nearest earlier year that has one,
    else the first."""
    year = default_year(years)
    drafts = [p for p in plans if p.editable and p.year >= year]
    if preparing and drafts:
        return max(drafts, key=lambda p: (p.year, p.version_no))
    used = [p for p in plans if p.in_use and p.year <= year]
    return max(used, key=lambda p: p.year) if used else plans[0]
