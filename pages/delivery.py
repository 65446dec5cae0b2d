"""Implementation review, money: expenditure from the ERP against the year's budget, by area,
output, office, cost category and donor grant; results and money side by side; finance
imports the extracts here."""

from datetime import date

import pandas as pd
import streamlit as st

from rpsee.domain.money import format_usd
from rpsee.domain.review.expenditure import EXTRACT_COLUMNS, PERIOD_FORMS, WbsMapping
from rpsee.domain.roles import Permission, PermissionDenied
from rpsee.domain.tables import percent_of
from rpsee.services import StoreError, annual_report, delivery, expenditure
from rpsee.services.expenditure import ExpenditureRefused
from rpsee.ui import auth, cache, charts_review, review_downloads, tables
from rpsee.ui.text import md, refused

user = auth.require()
ref = cache.reference(user)
finance = user.can(Permission.IMPORT_EXPENDITURE)
live = user.can(Permission.VIEW_LIVE_PROGRESS)

st.title("Delivery against budget")
st.caption("Delivery = expenditure (imported from the ERP) as a percentage of the budget: the "
           "year's approved workplan, direct costs. Against funds available: the same "
           "expenditure as a percentage of the year's hard (signed) contributions.")  # fmt: skip
if flash := st.session_state.pop("delivery_flash", None):
    st.success(flash)

years = delivery.years(user) or [date.today().year]
past = [y for y in years if y <= date.today().year] or years
year = st.columns([1, 2])[0].selectbox("Year", years, index=years.index(past[-1]),
                                       key="delivery_year")  # fmt: skip
view = cache.delivery_view(user, year)
rate = percent_of(view.spent_total, view.budget_total)  # as the tables compute it
rate = f"{rate}%" if rate is not None else "–"
st.markdown(f"Spent **{format_usd(view.spent_total)}** · Budget "
            f"**{format_usd(view.budget_total)}** · Delivery **{rate}**")  # fmt: skip
st.caption(md(view.basis_note))
if not view.imported:  # zero spent because nothing was imported, not because nothing was spent
    st.info(f"No expenditure of {year} imported yet: spending reads zero until finance imports "
            "the year's ERP extract (Import tab).")  # fmt: skip
if view.note:
    st.info(md(view.note))
if view.warnings:
    with st.expander(f"{len(view.warnings)} warning(s) to look at", expanded=True, icon="⚠️"):
        for w in view.warnings:
            st.markdown(f"- {md(w)}")

names = ["Summary", "By area", "By output", "By office", "By cost category", "By donor grant",
         "Results and money", "Grant statements"] + (["Import", "Imports"] if finance else
                                 ["Imports"] if live else [])  # fmt: skip
tabs = dict(zip(names, st.tabs(names, key="delivery_tab", on_change="rerun"), strict=True))


def _summary() -> None:
    tables.show(view.tables["year"], key="delivery_year_table")
    st.plotly_chart(charts_review.burn(view.burn, year), width="stretch",
                    config={"displayModeBar": False})  # fmt: skip
    st.caption("Spent: cumulative expenditure at the end of each month. Linear path: the "
               "budget spread evenly over the months"
               + (" from July (the cycle's first month)." if view.first_month == 7 else "."))


def _preview_rows(found) -> None:  # noqa: ANN001
    problems = pd.DataFrame([(p.row, p.column, p.message) for p in found.problems],
                            columns=["Row", "Column", "Problem"])  # fmt: skip
    st.error(f"{len(found.problems):,} row(s) cannot be applied (nothing was applied):")
    st.dataframe(problems, hide_index=True, width="stretch", key="delivery_problems")


def _map_form(wbs: str) -> None:
    with st.form(f"delivery_map_{wbs}"):
        st.markdown(f"Map WBS element **{md(wbs)}**")
        a, b, c = st.columns(3)
        output = a.selectbox("Output", [o.code for o in ref.outputs])
        office = b.selectbox("Office", list(ref.office_names()),
                             format_func=lambda o: ref.office_names()[o])  # fmt: skip
        where = c.selectbox("Jurisdiction", [j.code for j in ref.jurisdictions],
                            format_func=lambda j: ref.jurisdiction_names().get(j, j))
        if st.form_submit_button("Save the mapping"):
            try:
                expenditure.map_wbs(user, WbsMapping(wbs, output, office, where))
            except (ExpenditureRefused, PermissionDenied, StoreError) as exc:
                st.error(refused([exc]))
            else:
                st.session_state["delivery_flash"] = f"{wbs} mapped to output {output}."
                st.rerun()


def _import() -> None:
    st.caption(f"An extract with the columns {', '.join(EXTRACT_COLUMNS)} (CSV in UTF-8 or "
               f"Excel); posting periods as {PERIOD_FORMS}. Nothing is applied before you "
               "confirm; importing a month again replaces it.")  # fmt: skip
    file = st.file_uploader("ERP extract", type=["csv", "xlsx"], key="delivery_upload")
    if file is None:
        return
    data = file.getvalue()
    try:
        found = expenditure.preview(user, data, file.name)
    except (ExpenditureRefused, PermissionDenied, StoreError) as exc:
        st.error(refused([exc]))
        return
    months = [f"{y}-{m:02d}" for y, m in found.periods]
    total = found.total_usd
    st.markdown(f"**{found.rows_read:,}** row(s) read · **{len(found.lines):,}** readable · "
                f"months {md(', '.join(months) or '–')} · USD **{format_usd(total)}**")
    for wbs in found.unmapped_wbs:
        _map_form(wbs)
    if found.problems:
        _preview_rows(found)
        return
    st.warning(f"Applying replaces everything imported before for {len(months)} month(s): "
               f"{', '.join(months)}.")  # fmt: skip
    if st.button("Apply the extract", type="primary", key="delivery_apply"):
        try:
            done = expenditure.apply(user, data, file.name, found.sha256)
        except (ExpenditureRefused, PermissionDenied, StoreError) as exc:
            st.error(refused([exc]))
        else:
            st.session_state["delivery_flash"] = f"Applied: {done.summary}."
            st.rerun()


def _statements() -> None:
    st.caption("One page per signed donor grant: the agreement by year against what was "
               "spent on it, the year's spending by cost category, and the outputs it paid "
               "for with their indicators' status.")  # fmt: skip
    review_downloads.offer(f"grant statements {year}", "delivery_grants",
                           lambda: annual_report.build_grant_statements(user, year),
                           f"RPSEE_grants_{year}.pdf")  # fmt: skip


def _imports() -> None:
    done = expenditure.imports(user)
    if not done:
        st.caption("No extract applied yet.")
        return
    st.dataframe(pd.DataFrame([{
        "File": r.filename, "Lines": r.rows, "Months": f"{r.periods[0]} to {r.periods[-1]}"
        if r.periods else "–", "USD": format_usd(r.total_usd, cents=True).removeprefix("USD "),
        "By": r.imported_by, "At (UTC)": f"{r.imported_at:%Y-%m-%d %H:%M}",
        "SHA-256": r.sha256[:16] + "…"} for r in done]), hide_index=True, width="stretch",
        key="delivery_imports", column_config={"USD": st.column_config.TextColumn(
            "USD", alignment="right", help="The extract's lines in USD, to the cent")})  # fmt: skip


draw = {"Summary": _summary, "Import": _import, "Imports": _imports,
        "Grant statements": _statements,
        "Results and money": lambda: tables.show(view.results, key="delivery_results")}
for label, key in (("By area", "area"), ("By output", "output"), ("By office", "office"),
                   ("By cost category", "category"), ("By donor grant", "grant")):
    draw[label] = lambda key=key: tables.show(view.tables[key], key=f"delivery_{key}")
for name, tab in tabs.items():
    if tab.open:
        with tab:
            draw[name]()
