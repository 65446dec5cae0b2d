"""The Annual Programme Progress Report and the donor grant statements, on the demo's review
data (both engines): a planner's draft from live figures is marked DRAFT and says so; once the
2026 version is submitted the report of 2025 is the one given to the Committee, unmarked, and
observers may read it; grant statements state each signed grant's agreement against its
expenditure to the cent, and an observer's never name another donor's confidential grant."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rpsee.domain.money import format_amount
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.services import annual_report, expenditure, pipeline, workplans
from rpsee.services.demo import seed_demo_workplans
from rpsee.services.pipeline_seed import seed_demo_pipeline, seed_pipeline_defaults
from rpsee.services.review_seed import seed_demo_review
from tests.committee import submit_read
from tests.unit.pack_fixtures import page_texts

PLANNER = CurrentUser("demo.planner", "P", Role.PLANNER)
OBSERVER = CurrentUser("demo.observer", "O", Role.OBSERVER, donor="EU")


@pytest.fixture
def demo(db: str) -> str:
    seed_pipeline_defaults(db)
    seed_demo_pipeline(db)
    seed_demo_workplans(db)
    seed_demo_review(db)
    return db


def test_the_report_is_a_draft_until_given_then_the_committees(demo: str) -> None:
    draft = " ".join(page_texts(annual_report.build_annual_report(PLANNER, 2025, url=demo)))
    assert "Annual Programme Progress Report 2025" in draft and "DRAFT" in draft
    assert "this document is a draft" in draft
    assert "Results at outcome and output level" in draft and "Delivery" in draft
    with pytest.raises(PermissionDenied, match="No progress report of 2025"):
        annual_report.build_annual_report(OBSERVER, 2025, url=demo)
    plan = next(p for p in workplans.list_workplans(PLANNER, url=demo) if p.year == 2026)
    submit_read(PLANNER, plan.id, url=demo)
    given = " ".join(page_texts(annual_report.build_annual_report(OBSERVER, 2025, url=demo)))
    assert "as given to the Steering Committee" in given and "DRAFT" not in given


def test_grant_statements_reconcile_and_keep_confidences(demo: str) -> None:
    texts = page_texts(annual_report.build_grant_statements(PLANNER, 2025, url=demo))
    spent = expenditure.spent(PLANNER, url=demo)
    for c in pipeline.contributions(PLANNER, url=demo):
        if c.status != "hard":
            continue
        page = next(t for t in texts
                    if f"{c.reference}: agreement and expenditure by year" in t)  # fmt: skip
        total = sum((ln.amount_usd for ln in spent if ln.grant == c.reference), Decimal("0.00"))
        assert format_amount(total) in page, c.reference
    confidential = {c.reference for c in pipeline.contributions(PLANNER, url=demo)
                    if c.confidential and c.donor != "EU"}  # fmt: skip
    assert confidential
    seen = " ".join(page_texts(annual_report.build_grant_statements(OBSERVER, 2025, url=demo)))
    assert not [r for r in confidential if r in seen]


def test_the_terminal_exports_both_and_an_observer_is_refused_the_draft(
        demo: str, tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from rpsee.__main__ import main

    monkeypatch.setenv("DATABASE_URL", demo)
    out = tmp_path / "report.pdf"
    assert main(["export", "progress-report", "--year", "2025", "--out", str(out)]) == 0
    assert "Annual Programme Progress Report 2025" in " ".join(page_texts(out.read_bytes()))
    assert "(terminal)" in capsys.readouterr().out
    assert main(["export", "progress-report", "--year", "2025", "--as", "demo.observer",
                 "--out", str(tmp_path / "no.pdf")]) == 1  # fmt: skip
    assert "No progress report of 2025" in capsys.readouterr().err
    assert not (tmp_path / "no.pdf").exists()
    grants = tmp_path / "grants.pdf"
    assert main(["export", "grant-statements", "--year", "2025", "--out", str(grants)]) == 0
    assert "agreement and expenditure by year" in " ".join(page_texts(grants.read_bytes()))
