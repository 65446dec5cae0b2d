"""A progress report: frozen as canonical JSON and read back equal (the hash stable), by-sex
figures and milestone jurisdictions printed beside the actual, and a later report's changes
listed field by field."""

from __future__ import annotations

from datetime import date

from rpsee.domain.review.report import (
    ProgressReport,
    Rating,
    ReportRow,
    content_hash,
    from_json,
    report_diff,
    report_table,
    to_json,
)
from rpsee.store.data_files import load_reference

REF = load_reference()
ROW = ReportRow("1.1", "1.1.a", "facilitators trained", "text", "0", "250 by 31 Dec 2026", "140",
                "on_track", (), (("female", "89"), ("male", "51")))
MILESTONE = ReportRow("2.1", "2.1.a", "jurisdictions", "text", "1", "2 by 31 Dec 2026", "2",
                      "on_track", ("ALB", "BIH"))
REPORT = ProgressReport(2025, date(2025, 12, 31), "rule", (ROW, MILESTONE),
                        (Rating("1.1", "On track", "Held <b> & done"),))


def test_a_frozen_report_reads_back_equal_with_a_stable_hash() -> None:
    body = to_json(REPORT)
    assert from_json(body) == REPORT
    assert content_hash(to_json(from_json(body))) == content_hash(body)


def test_an_older_body_without_the_by_sex_split_still_reads() -> None:
    body = to_json(REPORT).replace(',"by_sex":[["female","89"],["male","51"]]', "")
    assert '"by_sex":[["female"' not in body
    assert from_json(body).rows[0].by_sex == ()


def test_the_actual_says_the_split_and_the_jurisdictions() -> None:
    table = report_table(REPORT, REF)
    actual = [r.cells[5] for r in table.rows]
    assert actual == ["140 (female 89, male 51)", "2 (Albania, Bosnia and Herzegovina)"]
    assert [r.cells[2] for r in table.rows] == ["▲ on track", "▲ on track"]


def test_the_diff_lists_each_field_that_changed() -> None:
    later = ProgressReport(2025, date(2026, 1, 15), "rule",
                           (ROW.__class__(**{**ROW.__dict__, "actual": "150",
                                             "status": "achieved"}), MILESTONE),
                           (Rating("1.1", "Off track", "Late"),))  # fmt: skip
    rows = [r.cells for r in report_diff(REPORT, later).rows]
    assert ("1.1.a", "Actual", "140", "150") in rows
    assert ("1.1.a", "Status", "▲ on track", "✔ achieved") in rows
    assert ("Output 1.1", "Rating", "On track: Held <b> & done", "Off track: Late") in rows
    assert not [r for r in rows if r[0] == "2.1.a"]
