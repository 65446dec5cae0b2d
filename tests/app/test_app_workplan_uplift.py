"""Copy forward: the uplift is typed text read by the one percent parser, refused by name."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from rpsee.services import workplans
from tests.app.test_app_workplan_copy import PLANNER, _copy_tab


def _typed(at, plan_id: int, uplift: str):  # noqa: ANN001, ANN202
    at.text_input(key=f"wp_copy_uplift_{plan_id}").set_value(uplift).run()
    assert not at.exception, at.exception
    return at


def test_an_unreadable_uplift_is_refused_naming_the_field(app_for, app_db) -> None:  # noqa: ANN001
    before = workplans.list_workplans(PLANNER, url=app_db)
    for typed, fragment in (("1e3", "scientific notation"), ("3,5", "comma for decimals"),
                            ("150", "out of range"), ("2.555", "more than 2 decimals")):
        at = _typed(_copy_tab(app_for, before[0].id), before[0].id, typed)
        messages = [e.value.replace("\\", "") for e in at.error]
        assert any(m.startswith(f"Uplift (%): '{typed}'") and fragment in m
                   for m in messages), messages  # fmt: skip
        assert not [b for b in at.button if b.label.startswith("Create the")]
    assert workplans.list_workplans(PLANNER, url=app_db) == before


def test_a_typed_uplift_is_applied_exactly(app_for, app_db) -> None:  # noqa: ANN001
    plan = workplans.list_workplans(PLANNER, url=app_db)[0]
    at = _typed(_copy_tab(app_for, plan.id), plan.id, "2.5")
    at.checkbox(key=f"wp_copy_ok_{plan.id}_2027").check().run()
    next(b for b in at.button if b.label.startswith("Create the")).click().run()
    assert not at.exception, at.exception
    new = next(p for p in workplans.list_workplans(PLANNER, url=app_db)
               if (p.year, p.version_no) == (2027, 2))  # fmt: skip
    source = workplans.activities(PLANNER, plan.id, url=app_db)
    copied = {a.line_id: a for a in workplans.activities(PLANNER, new.id, url=app_db)}
    checked = 0
    for a in source:
        twin = copied.get(a.lineage)
        for cat, amount in a.budget.items() if twin else ():
            want = (amount * Decimal("1.025")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert twin.budget[cat] == want
            checked += 1
    assert checked > 50
