"""Exact splitting of amounts: shares that always add up to the whole, to the cent. The one
splitter (`split_cents`, largest remainders, ties to the first in the order given) is used
wherever a whole is split: money over months, jurisdictions, areas, positions, tranches, and
the percentage shares a table shows (`percent_shares`, adding up to exactly 100.00)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rpsee.domain.money import from_cents, to_cents


def _integer_weights(weights: Sequence[int | Decimal]) -> list[int]:
    """The same proportions as whole numbers (Decimal weights scaled exactly, never rounded)."""
    if all(isinstance(w, int) for w in weights):
        return [int(w) for w in weights]
    parts = [Decimal(w).as_tuple() for w in weights]  # exact for int, Decimal and float
    if any(not isinstance(p.exponent, int) for p in parts):
        raise ValueError("weights must be finite numbers")
    shift = max(0, *(-p.exponent for p in parts))
    return [(-1 if p.sign else 1) * int("".join(map(str, p.digits))) * 10 ** (p.exponent + shift)
            for p in parts]  # fmt: skip


def split_cents(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split `total` cents in proportion to `weights` (largest remainder, ties to the first):
    the parts always add up to `total`; for total >= 0 no part is negative and a zero weight
    gets nothing. Exact in integers for any weights (no Decimal precision limit)."""
    if not weights:
        return []
    whole = _integer_weights(weights)
    if any(w < 0 for w in whole):
        raise ValueError("weights must not be negative")
    weight_sum = sum(whole)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    if total < 0:
        return [-p for p in split_cents(-total, weights)]
    shares = [divmod(total * w, weight_sum) for w in whole]
    parts = [q for q, _r in shares]
    left = total - sum(parts)  # 0 <= left < len(weights)
    order = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def split_amount(amount: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    return [from_cents(c) for c in split_cents(to_cents(amount), weights)]


def percent_shares(amounts: Sequence[Decimal | int]) -> list[Decimal | None]:
    """Each amount's share of their sum in percent with two decimals, by largest remainders,
    so the shares shown add up to exactly 100.00 (1, 1, 1 -> 33.34, 33.33, 33.33; ties to the
    first). None for all when the sum is zero; with a negative amount (not a split of a whole)
    each share is rounded on its own."""
    if not amounts:
        return []
    whole = sum((Decimal(a) for a in amounts), Decimal(0))
    if not whole:
        return [None] * len(amounts)
    if any(Decimal(a) < 0 for a in amounts):
        return [(Decimal(a) * 100 / whole).quantize(Decimal("0.01")) for a in amounts]
    return [Decimal(p) / 100 for p in split_cents(10_000, [Decimal(a) for a in amounts])]
