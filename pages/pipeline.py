"""Donor pipeline: contributions by donor, status and year in the donor's currency and in USD at
dated rates; totals by status and counted three ways. Planners and finance edit contributions;
finance keeps the exchange rates; others read (observers: others' confidential money as one
aggregate)."""

from datetime import date

import streamlit as st

from rpsee import config
from rpsee.domain import pipeline_tables as pt
from rpsee.domain.money import format_usd
from rpsee.domain.pipeline import EARMARK_LABELS, STATUS_LABELS, STATUSES
from rpsee.domain.roles import Permission, PermissionDenied
from rpsee.services import pipeline, planning
from rpsee.services.pipeline import ContributionForm, PipelineRefused
from rpsee.ui import auth, cache, tables
from rpsee.ui.text import md, refused

user = auth.require()
ref = cache.reference(user)
can_edit = user.can(Permission.EDIT_PIPELINE)
can_rate = user.can(Permission.EDIT_EXCHANGE_RATES)
view = pipeline.load(user)
years = list(ref.figures.cycle_years)
donors = {d.code: d.name for d in ref.donors}
programmes = pipeline.global_programmes()
currencies = {c.currency for c in view.contributions}

st.title("Donor pipeline")
if config.mode() == "demo":
    st.caption(":orange[ILLUSTRATIVE demo pipeline: the donors are the "
               "programme document's, the agreements, amounts, earmarks and rates are "
               "assumptions; only the hard totals (USD 8.1M in 2024, 8.3M in 2025) are the "
               "document's.]")  # fmt: skip
if view.redacted:
    st.info(md(view.note))
flash = st.session_state.pop("pipeline_flash", None)
if flash:
    st.success(flash)

hard_2024 = sum((t.usd for t in view.tranches if t.year == 2024 and t.status == "hard"),
                pt.ZERO)  # fmt: skip
envelope_2024 = planning.settings(user).envelopes.get(2024)
if envelope_2024 is not None:
    st.caption(f"2024: hard pipeline {format_usd(hard_2024)} for the calendar year (Global "
               f"Programme segments included) · envelope {format_usd(envelope_2024)} for "
               "July–December only. The two do not compare one to one: the pipeline also pays "
               "January–June (the previous cycle) and Global Programme work.")  # fmt: skip

# The edit tab only for the roles that edit (read-only roles see no editing tabs).
TABS = [t for t, show in {"Contributions": True, "Totals": True, "Add or change": can_edit,
                          "Exchange rates": True}.items() if show]  # fmt: skip
tabs = dict(zip(TABS, st.tabs(TABS, key="pipeline_tab", on_change="rerun"), strict=True))


def _contributions() -> None:
    tables.show(pt.contributions_usd(view.contributions, view.tranches, years, view.rates,
                                     view.defaults.probability, ref, programmes, donors,
                                     pipeline.global_programme_serves()),
                label_px=150)  # fmt: skip
    with st.expander("In the donor's currency"):
        tables.show(pt.contributions_currency(view.contributions, years, donors), label_px=130)
    notes = [(donors.get(c.donor, c.donor), c.reference, c.notes)
             for c in view.contributions if c.notes]  # fmt: skip
    if notes:
        with st.expander("Notes"):
            for donor, reference, note in notes:
                st.markdown(f"- **{md(donor)}**, {md(reference)}: {md(note)}")


def _totals() -> None:
    # Short row labels (explained below the table): six years and the cycle fit at 1280 px.
    tables.show(pt.totals_by_status(view.tranches, years, view.rates, currencies), label_px=110)
    tables.show(pt.counted_three_ways(view.tranches, years, view.rates, currencies),
                label_px=110)  # fmt: skip
    d = view.defaults
    st.caption("Default probability by status: " + ", ".join(
        f"{STATUS_LABELS[s]} {d.probability[s]}%" for s in STATUSES)
        + f". Default programme support cost rate {d.support_rate}%"
        + "".join(f"; {donors.get(k, k)} {v}%" for k, v in d.support_rate_by_donor.items())
        + ".")  # fmt: skip


def _edit() -> None:
    own = [c for c in view.contributions if c.id is not None]
    labels = {None: "New contribution"} | {
        c.id: f"{donors.get(c.donor, c.donor)}: {c.reference}" for c in own}  # fmt: skip
    chosen = st.selectbox("Contribution", list(labels), format_func=lambda k: labels[k],
                          key="pipeline_pick")  # fmt: skip
    c = next((x for x in own if x.id == chosen), None)
    k = f"pl_{chosen}_{c.version if c else 0}"
    codes = list(donors)
    kinds = list(EARMARK_LABELS)
    rate_codes = sorted(view.rates)
    with st.form(f"{k}_form"):
        a, b, s = st.columns(3)
        donor = a.selectbox("Donor", codes, format_func=lambda x: donors[x], key=f"{k}_donor",
                            index=codes.index(c.donor) if c else 0)  # fmt: skip
        currency = b.selectbox("Currency", rate_codes, key=f"{k}_cur",
                               index=rate_codes.index(c.currency) if c and
                               c.currency in rate_codes else 0)  # fmt: skip
        status = s.selectbox("Status", STATUSES, format_func=lambda x: STATUS_LABELS[x],
                             index=STATUSES.index(c.status) if c else 0,
                             key=f"{k}_status")  # fmt: skip
        reference = st.text_input("Title or agreement reference", c.reference if c else "",
                                  key=f"{k}_ref")  # fmt: skip
        cols = st.columns(len(years))
        amounts = {y: col.text_input(f"{y}", str(c.tranches[y]) if c and
                                     y in c.tranches else "", key=f"{k}_{y}")
                   for y, col in zip(years, cols, strict=True)}  # fmt: skip
        e1, e2, p1, p2 = st.columns(4)
        kind = e1.selectbox("Earmark", kinds, format_func=lambda x: EARMARK_LABELS[x],
                            index=kinds.index(c.earmark.kind) if c else 0,
                            key=f"{k}_ek")  # fmt: skip
        code = e2.text_input("Earmark code (area, output, jurisdiction or GP)",
                             (c.earmark.code or "") if c else "", key=f"{k}_ec")  # fmt: skip
        probability = p1.text_input("Probability % (blank: status default)",
                                    "" if not c or c.probability is None else
                                    str(c.probability), key=f"{k}_p")  # fmt: skip
        support = p2.text_input("Support-cost rate % (blank: donor default)",
                                str(c.support_rate) if c else "", key=f"{k}_s")  # fmt: skip
        confidential = st.checkbox("Confidential (observers of other donors see only an "
                                   "aggregate)", c.confidential if c else False,
                                   key=f"{k}_conf")  # fmt: skip
        notes = st.text_area("Notes", c.notes if c else "", key=f"{k}_notes")
        st.caption("Amounts in the contribution's currency, a point for decimals (46500.00). "
                   "Global Programme codes: " + ", ".join(programmes) + ".")  # fmt: skip
        save = st.form_submit_button("Save contribution", type="primary")
    if save:
        form = ContributionForm(donor, reference, currency, status, amounts, kind, code,
                                probability, support, confidential, notes,
                                c.id if c else None, c.version if c else None)  # fmt: skip
        try:
            pipeline.save_contribution(user, form, ref)
        except PipelineRefused as exc:
            st.error(refused(exc.problems))
        except PermissionDenied as exc:
            st.error(md(str(exc)))
        else:
            st.session_state["pipeline_flash"] = "Contribution saved."
            st.rerun()
    if c is not None and st.button("Delete this contribution", key=f"{k}_delete"):
        try:
            pipeline.delete_contribution(user, c.id, c.version or 0)
        except PipelineRefused as exc:
            st.error(refused(exc.problems))
        else:
            st.session_state["pipeline_flash"] = f"Deleted: {c.reference}."
            st.session_state.pop("pipeline_pick", None)
            st.rerun()


def _rates() -> None:
    history = pipeline.exchange_rates(user)
    in_use = {(r.currency, r.as_of) for r in view.rates.values()}
    st.dataframe(
        [{"Currency": r.currency, "As of": f"{r.as_of:%Y-%m-%d}",
          "USD per unit": str(r.usd_per_unit),
          "In use": "yes" if (r.currency, r.as_of) in in_use else ""}
         for r in sorted(history, key=lambda r: (r.currency, r.as_of))],
        hide_index=True, width="content",
        column_config={"USD per unit": st.column_config.TextColumn(alignment="right")})  # fmt: skip
    st.caption("Every USD figure uses, for each currency, the latest rate on or before today.")
    if not can_rate:
        return
    with st.form("pipeline_rate_form"):
        a, b, c = st.columns(3)
        currency = a.text_input("Currency (three letters)", key="rate_cur")
        as_of = b.date_input("As of", date.today(), key="rate_date")
        value = c.text_input("USD per unit (e.g. 1.0705)", key="rate_value")
        save = st.form_submit_button("Save rate", type="primary")
    if save:
        try:
            pipeline.save_rate(user, currency, as_of, value)
        except PipelineRefused as exc:
            st.error(refused(exc.problems))
        else:
            st.session_state["pipeline_flash"] = f"Rate saved: {currency.upper()} {value}."
            st.rerun()


for name, draw in (("Contributions", _contributions), ("Totals", _totals),
                   ("Add or change", _edit), ("Exchange rates", _rates)):
    if name in tabs:
        with tabs[name]:
            draw()
