"""Markers: what the checks need from the monitoring settings, and the shares of budget and
delivery by marker code (see rpsee/domain/markers)."""

from __future__ import annotations

from rpsee.domain.reference import ProgrammeReference
from rpsee.services import progress


def sex_disaggregated_outputs(ref: ProgrammeReference) -> frozenset[str]:
    """The outputs with at least one indicator disaggregated by sex (data/monitoring.yaml):
    pure reading of settings, no user data."""
    return frozenset(s.output_code for s in progress.specs(ref).values() if s.by_sex)
