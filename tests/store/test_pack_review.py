"""The approval pack's implementation review: the progress report frozen with the version (what
the Committee saw, whatever was entered later) and the Delivery page's own tables, equal to the
cent; a draft prints the live figures and says so; observers read the aggregate of protected
grants there as on the page."""

from __future__ import annotations

from datetime import date

from rpsee.domain.pack_content import review_section
from rpsee.domain.roles import CurrentUser, Role
from rpsee.domain.tables import Table
from rpsee.services import delivery, pack, progress, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.progress import ActualForm
from tests.committee import submit_read
from tests.store.test_store_expenditure import FINANCE, _map_the_rest
from tests.store.test_store_expenditure import mapped as mapped  # noqa: F401  (fixture)

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
OBSERVER = CurrentUser("demo.observer", "O", Role.OBSERVER, donor="EU")


def _tables(section) -> list[Table]:  # noqa: ANN001
    return [b for b in section.blocks if isinstance(b, Table)]


def _setup(url: str) -> int:
    from rpsee.services import expenditure
    from tests.store.test_store_expenditure import EXTRACT, NAME

    seed_demo_workplans(url)
    _map_the_rest(url)
    found = expenditure.preview(FINANCE, EXTRACT, NAME, url=url)
    expenditure.apply(FINANCE, EXTRACT, NAME, found.sha256, url=url)
    progress.enter_actual(PLANNER, ActualForm("1.2.a", date(2025, 1, 1), date(2025, 12, 31),
                                              "ALB", None, "2", "Report"), url=url)  # fmt: skip
    return next(p for p in workplans.list_workplans(PLANNER, url=url) if p.year == 2026).id


def test_the_pack_prints_the_frozen_report_and_the_pages_delivery(mapped: str) -> None:  # noqa: F811
    plan_id = _setup(mapped)
    draft = review_section(pack._inputs(PLANNER, plan_id, url=mapped))
    assert "this version was not submitted" in draft.blocks[0].text
    submit_read(PLANNER, plan_id, url=mapped)
    progress.correct_actual(PLANNER, progress.actuals(PLANNER, url=mapped)[0].id, ActualForm(
        "1.2.a", date(2025, 1, 1), date(2025, 12, 31), "ALB", None, "3", "Later"), url=mapped)
    section = review_section(pack._inputs(PLANNER, plan_id, url=mapped))
    assert section.title == "Implementation review 2025: results and delivery"
    assert "frozen when this version was submitted" in section.blocks[0].text
    printed = _tables(section)
    row = next(r for r in printed[0].rows if r.cells[1].startswith("1.2.a"))
    assert row.cells[5] == "2"  # as given, not the later correction
    page = delivery.delivery(PLANNER, 2025, url=mapped)
    assert printed[2:5] == [page.tables[k] for k in ("year", "area", "grant")]
    assert printed[5] == page.results
    assert page.tables["area"].total_row().cells[2] == page.spent_total


def test_observers_read_the_aggregate_in_the_pack_as_on_the_page(mapped: str) -> None:  # noqa: F811
    plan_id = _setup(mapped)
    submit_read(PLANNER, plan_id, url=mapped)
    section = review_section(pack._inputs(OBSERVER, plan_id, url=mapped))
    grants = _tables(section)[4]
    assert grants == delivery.delivery(OBSERVER, 2025, url=mapped).tables["grant"]
    assert "Other contributions (confidential)" in [r.cells[0] for r in grants.rows]

