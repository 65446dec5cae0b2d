"""The sidebar starts collapsed on the pages shown on a projector, and only there."""

from rpsee.ui.nav import COLLAPSED_SIDEBAR, PAGES, sidebar_state, url_paths


def test_meeting_mode_starts_with_the_sidebar_collapsed() -> None:
    assert sidebar_state("meeting") == "collapsed"
    assert set(url_paths()) >= COLLAPSED_SIDEBAR  # names a real page
    others = [p for p in url_paths() if p != "meeting"]
    assert others and all(sidebar_state(p) == "auto" for p in others)
    assert len(url_paths()) == len(PAGES)
