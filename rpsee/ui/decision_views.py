"""The decision brief on the Steering Committee page, read before recording the decision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rpsee.domain.decision_brief import DecisionBrief
from rpsee.domain.roles import person_label
from rpsee.domain.workflow import POSITIONS
from rpsee.ui.text import md


def brief(b: DecisionBrief) -> None:
    """Positions by jurisdiction, then each objection and each open thread in full."""
    st.markdown("**Decision brief**: " + md(b.summary))
    rows = [(j.name, person_label(p.member_name, "psc_member"), POSITIONS[p.position],
             p.remarks) for j in b.jurisdictions for p in j.positions]  # fmt: skip
    rows += [(j.name, "—", "No position recorded", "") for j in b.jurisdictions
             if not j.positions]  # fmt: skip
    st.dataframe(pd.DataFrame(rows, columns=["Jurisdiction", "Member", "Position", "Comments"]),
                 hide_index=True, width="stretch")  # fmt: skip
    names = {j.code: j.name for j in b.jurisdictions}
    for p in b.objections:
        st.error(f"{md(person_label(p.member_name, 'psc_member'))} objects for "
                 f"{md(names.get(p.jurisdiction, p.jurisdiction))}: {md(p.remarks)}")
    for t in b.open_threads:
        c = t.comment
        st.warning(f"Open thread · {md(c.target_label)} · {md(c.author_name)}: {md(c.text)} "
                   f"({len(t.replies)} repl{'y' if len(t.replies) == 1 else 'ies'})")
