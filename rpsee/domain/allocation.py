"""Exact splitting of amounts: shares that always add up to the whole, to the cent."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rpsee.domain.money import from_cents, to_cents


def split_cents(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split `total` cents in proportion to `weights` (largest remainder): parts sum to total."""
    if not weights:
        return []
    weight_sum = sum(Decimal(w) for w in weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    exact = [Decimal(total) * Decimal(w) / weight_sum for w in weights]
    parts = [int(e) for e in exact]  # truncates toward zero
    remainder = total - sum(parts)
    step = 1 if remainder >= 0 else -1
    order = sorted(range(len(exact)), key=lambda i: (-(abs(exact[i] - parts[i])), i))
    for i in order[: abs(remainder)]:
        parts[i] += step
    return parts


def split_amount(amount: Decimal, weights: Sequence[int | Decimal]) -> list[Decimal]:
    return [from_cents(c) for c in split_cents(to_cents(amount), weights)]
