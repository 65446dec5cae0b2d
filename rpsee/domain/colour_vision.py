"""Colour-vision deficiency simulation and colour difference, to check that chart colours stay
apart for readers with protanopia, deuteranopia or tritanopia.

Simulation: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation
of Color Vision Deficiency", IEEE TVCG 15(6), the matrices for severity 1.0 (complete
dichromacy), applied to linear RGB (sRGB with its transfer function removed). Difference: CIE
1976 ΔE*ab in CIELAB (D65 white), where about 2.3 is a just-noticeable difference and over 20
reads as clearly different colours at a glance."""

from __future__ import annotations

import math
from collections.abc import Sequence

Vector = tuple[float, float, float]
Matrix = tuple[Vector, Vector, Vector]

NORMAL = "normal"
MACHADO_2009: dict[str, Matrix] = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip
VISIONS = (NORMAL, *MACHADO_2009)

# linear sRGB -> CIE XYZ (D65), IEC 61966-2-1
_TO_XYZ: Matrix = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722),
                   (0.0193, 0.1192, 0.9505))  # fmt: skip
_WHITE: Vector = (0.95047, 1.0, 1.08883)


def _mul(m: Matrix, v: Vector) -> Vector:
    return (sum(m[0][i] * v[i] for i in range(3)), sum(m[1][i] * v[i] for i in range(3)),
            sum(m[2][i] * v[i] for i in range(3)))  # fmt: skip


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def linear_rgb(hex_colour: str) -> Vector:
    """`#rrggbb` as linear RGB, each 0..1."""
    r, g, b = (_linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return (r, g, b)


def simulate(hex_colour: str, vision: str) -> Vector:
    """The colour as a reader with `vision` sees it, in linear RGB (clipped to the gamut)."""
    rgb = linear_rgb(hex_colour)
    if vision == NORMAL:
        return rgb
    seen = _mul(MACHADO_2009[vision], rgb)
    return (min(max(seen[0], 0.0), 1.0), min(max(seen[1], 0.0), 1.0),
            min(max(seen[2], 0.0), 1.0))  # fmt: skip


def lab(rgb: Vector) -> Vector:
    """Linear RGB -> CIELAB (D65)."""

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    x, y, z = (c / w for c, w in zip(_mul(_TO_XYZ, rgb), _WHITE, strict=True))
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a: str, b: str, vision: str = NORMAL) -> float:
    """CIE76 ΔE*ab between two `#rrggbb` colours as a reader with `vision` sees them."""
    return math.dist(lab(simulate(a, vision)), lab(simulate(b, vision)))


def closest_pair(colours: Sequence[str], vision: str = NORMAL) -> tuple[float, str, str]:
    """The smallest ΔE among all pairs of `colours` under `vision`, and that pair."""
    best = (math.inf, "", "")
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            best = min(best, (delta_e(a, b, vision), a, b))
    return best
