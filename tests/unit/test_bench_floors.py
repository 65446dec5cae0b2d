"""The ratios of bench figures to their floors measured in the same run (bench/floors.py)."""

from __future__ import annotations

import pytest

from bench import floors, run
from bench.meeting_load import _percentile


def test_ratios_pair_each_figure_with_its_floor() -> None:
    got = floors.ratios({"first_page_browser_s": 3.0, "bare_first_page_browser_s": 1.5,
                         "page_open_browser_ms_median_users_10x": 150.0,
                         "bare_page_open_browser_ms": 100.0,
                         "meeting_control_browser_ms_median": 250.0,
                         "bare_control_browser_ms": 125.0,
                         "pack_pdf_s_1x": 0.5, "libreoffice_pdf_s_1x": 5.0,
                         "pack_pdf_s_10x": 1.0})  # fmt: skip
    assert got == pytest.approx({"first_page_browser_ratio": 2.0,
                                 "page_open_browser_ratio_users_10x": 1.5,
                                 "meeting_control_browser_ratio": 2.0,
                                 "pack_pdf_ratio_1x": 0.1})  # fmt: skip
    # no floor measured (pack_pdf_s_10x without LibreOffice's 10x): no ratio


def test_ratio_aims_are_shown() -> None:
    assert run._aim("first_page_browser_ratio") == "< 1.57"
    assert run._aim("page_open_browser_ratio_users_10x") == "< 8.5"
    assert run._aim("meeting_load_p95_ms_30") == "< 1000"
    assert run._aim("meeting_load_errors_30_replicas") == "0"


def test_p95_is_the_nearest_rank() -> None:
    assert _percentile([i / 100 for i in range(1, 101)], 95) == 0.95
    assert _percentile([0.2], 95) == 0.2


def test_a_full_run_keeps_the_figures_of_separate_commands_only() -> None:
    previous = {"meeting_soak_rss_growth_pct": 9.3, "meeting_load_client_checked_changes": 8.0,
                "meeting_load_p95_ms_30": 600.0, "retired_figure_s": 1.0}
    figures = {"meeting_load_p95_ms_30": 190.0}
    got = run.carried_over(previous, figures)
    # the soak and the check come from their own commands: kept; a figure this run measures is
    # this run's; a figure no command measures any more is dropped
    assert got == {"meeting_load_p95_ms_30": 190.0, "meeting_soak_rss_growth_pct": 9.3,
                   "meeting_load_client_checked_changes": 8.0}
    assert run.carried_over(previous, {"meeting_soak_rss_growth_pct": 4.0})[
        "meeting_soak_rss_growth_pct"] == 4.0
