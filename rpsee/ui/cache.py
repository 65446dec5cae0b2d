"""Per-process caches of what pages read on every run, keyed by the data version (the newest
audit entry), so any write anywhere makes them stale at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import streamlit as st

from rpsee.domain.reference import ProgrammeReference
from rpsee.domain.roles import CurrentUser, Permission, require
from rpsee.domain.staffing import StaffCosting
from rpsee.domain.workplan_totals import grand_total
from rpsee.services import delivery, planning, programme, staffing, workplans


@st.cache_data(max_entries=8, show_spinner=False)
def _reference(data_version: int, url_key: str) -> ProgrammeReference:
    from rpsee.domain.roles import SYSTEM

    return programme.reference(SYSTEM)


def reference(user: CurrentUser) -> ProgrammeReference:
    """The programme reference for a user allowed to read it (checked on every call)."""
    from rpsee import config

    require(user, Permission.VIEW_PROGRAMME)
    return _reference(programme.data_version(), config.database_url())


@dataclass(frozen=True)
class PlanningView:
    """Everything the allocation page shows, computed once per data version."""

    settings: planning.EnvelopeSettings
    staff: staffing.Staffing
    costing: StaffCosting
    comparisons: dict[int, planning.YearComparison]
    lines_by_year: dict[int, tuple[int, Decimal]]  # year -> (workplan lines, activity budget)


@st.cache_data(max_entries=8, show_spinner=False)
def _planning_view(data_version: int, url_key: str, role: str) -> PlanningView:
    from rpsee.domain.roles import Role

    reader = CurrentUser("cache", "cache", Role(role))
    ref = programme.reference(reader)
    settings = planning.settings(reader)
    staff = staffing.load(reader)
    costing = staffing.costing(staff.plans, staff.rates, ref)
    by_year = workplans.lines_in_use(reader)
    comparisons = {y: planning.compare_year(y, settings, by_year.get(y, []), costing, ref)
                   for y in ref.figures.cycle_years}  # fmt: skip
    lines = {y: (len(v), grand_total(v)) for y, v in by_year.items()}
    return PlanningView(settings, staff, costing, comparisons, lines)


def planning_view(user: CurrentUser) -> PlanningView:
    from rpsee import config

    require(user, Permission.VIEW_PROGRAMME)
    return _planning_view(programme.data_version(), config.database_url(), user.role.value)


@st.cache_data(max_entries=16, show_spinner=False)
def _delivery(data_version: int, url_key: str, role: str, donor: str | None, year: int,
              today: date) -> delivery.DeliveryView:  # fmt: skip
    from rpsee.domain.roles import Role

    return delivery.delivery(CurrentUser("cache", "cache", Role(role), donor), year, today)


def delivery_view(user: CurrentUser, year: int) -> delivery.DeliveryView:
    """The Delivery page's figures of `year` as this role (and observer's donor) reads them,
    computed once per data version and day."""
    from rpsee import config

    require(user, Permission.VIEW_PROGRAMME)
    return _delivery(programme.data_version(), config.database_url(), user.role.value,
                     user.donor, year, date.today())  # fmt: skip
