"""The chart palette stays distinct for readers with the common colour-vision deficiencies,
checked by simulating them (Machado et al. 2009) and measuring CIELAB differences."""

import itertools

import pytest

from rpsee.domain import chart_specs as cs
from rpsee.domain import colour_vision as cv

DEFICIENCIES = tuple(cv.MACHADO_2009)
MIN_NORMAL = 25.0  # ΔE*ab between any two series colours in normal vision
MIN_DEFICIENT = 15.0  # ... as a dichromat sees them (over 6 just-noticeable differences)
# The palette before this check: two of its colours became one for a protanope.
OLD_PALETTE = ["#1f4e79", "#2e86c1", "#48a9a6", "#e0a100", "#c0392b", "#7d3c98", "#27ae60",
               "#d35400", "#5d6d7e", "#a04000", "#117a65", "#884ea0", "#b7950b", "#95a5a6"]


@pytest.mark.parametrize("vision", DEFICIENCIES)
def test_greys_stay_grey(vision: str) -> None:
    """Each matrix keeps white and greys as they are (its rows add up to 1)."""
    for grey in ("#ffffff", "#808080", "#000000"):
        seen, plain = cv.simulate(grey, vision), cv.simulate(grey, cv.NORMAL)
        assert seen == pytest.approx(plain, abs=1e-5)


def test_the_simulation_merges_the_known_confusions() -> None:
    """Red and green, far apart in normal vision, come close for protanopes and deuteranopes
    but not for tritanopes; tritanopes lose blue against green instead."""
    red, green = "#d62728", "#2ca02c"
    normal = cv.delta_e(red, green)
    assert cv.delta_e(red, green, "protanopia") < normal / 3
    assert cv.delta_e(red, green, "deuteranopia") < normal / 3
    assert cv.delta_e(red, green, "tritanopia") > normal / 2
    blue, teal = "#1f77b4", "#17a589"
    assert cv.delta_e(blue, teal, "tritanopia") < cv.delta_e(blue, teal) / 2


@pytest.mark.parametrize("vision", cv.VISIONS)
def test_palette_colours_stay_apart(vision: str) -> None:
    floor = MIN_NORMAL if vision == cv.NORMAL else MIN_DEFICIENT
    distance, a, b = cv.closest_pair(cs.PALETTE, vision)
    assert distance >= floor, f"{a} and {b} are {distance:.1f} apart under {vision}"


def test_the_old_palette_fails_the_check() -> None:
    """The check tells a bad palette: the one used before loses a pair under protanopia."""
    assert cv.closest_pair(OLD_PALETTE, "protanopia")[0] < MIN_DEFICIENT


def test_series_beyond_the_palette_differ_by_pattern() -> None:
    count = len(cs.PALETTE) * len(cs.PATTERNS)
    styles = [cs.series_style(i) for i in range(count)]
    assert len(set(styles)) == count
    assert styles[0] == (cs.PALETTE[0], "") and styles[len(cs.PALETTE)][1] != ""


def test_by_donor_gives_sixteen_donors_sixteen_looks() -> None:
    money = {(f"D{i:02d}", 2026): (100 - i) * 100 for i in range(16)}
    spec = cs.by_donor(money, [2026])
    looks = {(s.colour, s.pattern) for s in spec.series}
    assert len(looks) == 16
    for s1, s2 in itertools.combinations(spec.series, 2):
        if s1.colour == s2.colour:
            assert s1.pattern != s2.pattern


def test_by_donor_leaves_out_donors_with_nothing_counted() -> None:
    spec = cs.by_donor({("A", 2026): 100, ("B", 2026): 0, ("B", 2027): 0}, [2026, 2027])
    assert [s.name for s in spec.series] == ["A"]
