"""Implementation review, results: indicator progress against the logframe, values entered
per period with their source, output ratings, and the reports given to the Committee."""

from datetime import date

import pandas as pd
import streamlit as st

from rpsee.domain.review.progress import SEXES, Status, status_label
from rpsee.domain.review.report import RATINGS, Rating, ratings_table, report_diff, report_table
from rpsee.domain.roles import Permission, PermissionDenied
from rpsee.services import StoreError, annual_report, progress
from rpsee.services.progress import ActualForm, Evidence, ProgressRefused
from rpsee.ui import auth, cache, review_downloads, tables
from rpsee.ui.text import md, refused

user = auth.require()
ref = cache.reference(user)
live = user.can(Permission.VIEW_LIVE_PROGRESS)
can_enter = user.can(Permission.ENTER_PROGRESS)
first_year = int(ref.figures.cycle_start[:4])
years = [y for y in ref.figures.cycle_years if y <= date.today().year]

st.title("Indicator progress")
st.caption("Results against the programme's logframe: values are entered per period (and "
           "jurisdiction, and sex where the logframe asks), each with its source; a status per "
           "indicator follows the rule stated under the table, shown as a symbol and a word.")
if flash := st.session_state.pop("progress_flash", None):
    st.success(flash)

c1, c2 = st.columns([1, 1])
opening = len(years) - 1  # the year under way; who reads only the reports given, the last one
given = [r.year for r in progress.reports(user) if r.year in years] if not live else []
if given:
    opening = years.index(max(given))
year = c1.selectbox("Year reviewed", years, index=opening, key="progress_year",
                    help="Ratings are per year; the figures count every period ended by the "
                         "date on the right")  # fmt: skip
as_of = c2.date_input("Figures as of", value=min(date.today(), date(year, 12, 31)),
                      min_value=date(first_year, 7, 1), max_value=date.today(),
                      key=f"progress_as_of_{year}", format="YYYY-MM-DD")  # fmt: skip


def _refusal(exc: Exception) -> None:
    st.error(refused([exc]))


def _progress_tab() -> None:
    report = progress.live_report(user, year, as_of)
    tables.show(report_table(report, ref), key="progress_table")
    tables.show(ratings_table(report, ref), key="progress_ratings")


def _indicator_label(code: str) -> str:
    spec = specs[code]
    return f"{code} · {spec.unit}"


def _enter_tab() -> None:
    st.markdown("**Enter a value**")
    code = st.selectbox("Indicator", list(specs), format_func=_indicator_label,
                        key="progress_enter_code")  # fmt: skip
    spec = specs[code]
    st.caption(f"{md(spec.text)} — reported {spec.interval.value.replace('_', ' ')}; "
               + ("values add up over the periods" if spec.cumulative else
                  "the latest period's value counts") + ".")  # fmt: skip
    with st.form("progress_enter", clear_on_submit=False):
        a, b = st.columns(2)
        start = a.date_input("Period from", value=date(year, 1, 1) if year > first_year
                             else date(first_year, 7, 1), format="YYYY-MM-DD",
                             key="progress_from")  # fmt: skip
        end = b.date_input("Period to", value=min(date(year, 12, 31), date.today()),
                           format="YYYY-MM-DD", key="progress_to")  # fmt: skip
        names = {j.code: j.name for j in ref.jurisdictions if j.code != "REG"}
        where = a.selectbox("Jurisdiction", [None, *names], key="progress_where",
                            format_func=lambda c: names.get(c) or "Regional (several or all)"
                            if c else "Regional (several or all)")  # fmt: skip
        sex = b.selectbox("Sex", [None, *SEXES], format_func=lambda s: s or "Not disaggregated",
                          help="Only where the logframe asks for it")  # fmt: skip
        value = a.text_input("Value", key="progress_value",
                             help="A whole count (1,250), a percentage (42.5) or, for a "
                                  "milestone, 1 (met)")  # fmt: skip
        source = st.text_area("Source", max_chars=2000, key="progress_source",
                              help="Name the evidence: a report, a note or a link")
        file = st.file_uploader("Evidence file (optional)", key="progress_evidence")
        if st.form_submit_button("Save value", type="primary"):
            form = ActualForm(code, start, end, where, sex, value, source,
                              Evidence(file.name, file.getvalue()) if file else None)
            try:
                saved = progress.enter_actual(user, form)
            except (ProgressRefused, PermissionDenied, StoreError) as exc:
                _refusal(exc)
            else:
                st.session_state["progress_flash"] = (f"Saved: {saved.indicator_code}, "
                                                      f"{saved.value} for {saved.period_start} "
                                                      f"to {saved.period_end}.")  # fmt: skip
                st.rerun()


def _history_tab() -> None:
    entries = progress.actuals(user)
    if not entries:
        st.caption("No value entered yet.")
        return
    replaced = {a.replaces: a for a in entries if a.replaces}
    frame = pd.DataFrame([{
        "Entry": a.id, "Indicator": a.indicator_code, "From": a.period_start, "To": a.period_end,
        "Jurisdiction": a.jurisdiction or "Regional", "Sex": a.sex or "–", "Value": str(a.value),
        "Source": a.source, "Entered by": a.entered_by,
        "At (UTC)": f"{a.entered_at:%Y-%m-%d %H:%M}",
        "Corrects": a.replaces or "", "Corrected by": replaced[a.id].id if a.id in replaced
        else ""} for a in entries])  # fmt: skip
    st.dataframe(frame, hide_index=True, width="stretch", key="progress_history")
    if not can_enter:
        return
    current = [a for a in entries if a.id not in replaced]
    st.markdown("**Correct an entry** (the entry corrected stays in the history)")
    pick = st.selectbox("Entry", current, format_func=lambda a: (
        f"{a.id}: {a.indicator_code} {a.period_start}–{a.period_end} "
        f"{a.jurisdiction or 'regional'} {a.sex or ''} = {a.value}"), key="progress_fix")
    with st.form("progress_correct"):
        value = st.text_input("Corrected value", value=str(pick.value))
        source = st.text_area("Source of the correction", value=pick.source, max_chars=2000)
        if st.form_submit_button("Save the correction"):
            form = ActualForm(pick.indicator_code, pick.period_start, pick.period_end,
                              pick.jurisdiction, pick.sex, value, source)  # fmt: skip
            try:
                progress.correct_actual(user, pick.id, form)
            except (ProgressRefused, PermissionDenied, StoreError) as exc:
                _refusal(exc)
            else:
                st.session_state["progress_flash"] = f"Entry {pick.id} corrected."
                st.rerun()


def _ratings_tab() -> None:
    rated = {r.output_code: (r, v) for r, v in progress.ratings(user, year)}
    code = st.selectbox("Output", [o.code for o in ref.outputs],
                        format_func=lambda c: ref.output_label(c, 80), key="progress_rate_o")
    old, version = rated.get(code, (None, None))
    with st.form(f"progress_rate_{code}_{year}"):
        rating = st.radio("Rating", RATINGS, horizontal=True,
                          index=RATINGS.index(old.rating) if old else len(RATINGS) - 1)
        narrative = st.text_area("Narrative (what happened, challenges, unexpected results)",
                                 value=old.narrative if old else "", max_chars=1500)  # fmt: skip
        if st.form_submit_button(f"Save the {year} rating", type="primary"):
            try:
                progress.rate_output(user, year, Rating(code, rating, narrative), version)
            except (ProgressRefused, PermissionDenied, StoreError) as exc:
                _refusal(exc)
            else:
                st.session_state["progress_flash"] = f"Output {code}: rating saved."
                st.rerun()


def _annual_report() -> None:
    st.markdown(f"**Annual Programme Progress Report {year}**")
    st.caption("Results at outcome and output level, challenges, unexpected results and "
               "delivery, from the report given to the Committee (or, before one is given, the "
               "live figures, marked DRAFT).")  # fmt: skip
    review_downloads.offer(f"progress report {year}", "progress_appr",
                           lambda: annual_report.build_annual_report(user, year),
                           f"RPSEE_progress_report_{year}.pdf")  # fmt: skip


def _reports_tab() -> None:
    _annual_report()
    given = progress.reports(user, year)
    if not given:
        st.caption(f"No progress report of {year} was given to the Committee yet: one is frozen "
                   f"when the {year + 1} workplan is submitted.")  # fmt: skip
        return
    pick = st.selectbox("Report", given[::-1], key="progress_report_pick", format_func=lambda r: (
        f"No. {r.number}, as of {r.as_of:%d %b %Y}, frozen {r.frozen_at:%Y-%m-%d %H:%M} UTC "
        f"by {r.frozen_by}"))  # fmt: skip
    st.caption(f"Frozen with the workplan version it was submitted with; SHA-256 "
               f"{pick.content_hash[:16]}…")  # fmt: skip
    tables.show(report_table(pick.report, ref), key="progress_frozen")
    tables.show(ratings_table(pick.report, ref), key="progress_frozen_ratings")
    if live:
        diff = report_diff(pick.report, progress.live_report(user, year, pick.as_of))
        with st.expander(f"What changed since (entries and corrections made later): "
                         f"{len(diff.rows)} change(s)"):  # fmt: skip
            tables.show(diff, title=False, key="progress_diff")


try:
    specs = progress.specs(ref)
    if live:
        names = ["Progress", "Reports given to the Committee", "Entries"]
        names += ["Enter a value", "Rate outputs"] if can_enter else []
        tabs = dict(zip(names, st.tabs(names, key="progress_tab", on_change="rerun"),
                        strict=True))  # fmt: skip
        draw = {"Progress": _progress_tab, "Reports given to the Committee": _reports_tab,
                "Entries": _history_tab, "Enter a value": _enter_tab,
                "Rate outputs": _ratings_tab}  # fmt: skip
        for name, tab in tabs.items():
            if tab.open:
                with tab:
                    draw[name]()
    else:
        st.caption("You read the progress reports given to the Steering Committee.")
        _reports_tab()
except PermissionDenied as exc:
    st.error(str(exc))
st.caption("Status symbols: " + " · ".join(status_label(s) for s in Status))
