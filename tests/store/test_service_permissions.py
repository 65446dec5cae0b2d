"""Every public service function x every role: allowed, or PermissionDenied, from ONE table.

The functions are found by introspection, so a new service function fails
`test_every_service_function_is_in_the_table` until it gets a row here: `Checked` (who may
call it, and how to call it) or `Exempt` (why no caller is checked: login, start-up, pure
computation). Runs on SQLite: the checks are in Python, the same on every engine.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

import rpsee.services
from rpsee.domain.review.expenditure import WbsMapping
from rpsee.domain.review.report import Rating
from rpsee.domain.roles import CurrentUser, PermissionDenied, Role
from rpsee.domain.scenario import Scenario
from rpsee.domain.sso import RoleClaim
from rpsee.domain.workflow import Meeting
from rpsee.reports import workplan_excel
from rpsee.services import (
    accounts,
    annual_report,
    audit_log,
    backup,
    consultation,
    delivery,
    demo_accounts,
    expenditure,
    export_inputs,
    finance_exports,
    iati,
    markers,
    pack,
    pipeline,
    planning,
    positions,
    programme,
    progress,
    scenario_sharing,
    scenarios,
    sso,
    staffing,
    workflow,
    workplan_import,
    workplans,
)
from rpsee.services.workplans import WorkplanEdit
from rpsee.store.uow import UnitOfWork
from tests.committee import submit_read
from tests.unit.test_domain_workplan import act

P, S, F, A = Role.PLANNER, Role.PSC_MEMBER, Role.FINANCE, Role.ADMIN
OBS = Role.OBSERVER
EVERYONE = frozenset(Role)
DRAFT_READERS = EVERYONE - {OBS}
LIVE = EVERYONE - {OBS}  # live progress and delivery records (observers: what was given)
KNOWN = "Known-password-2026"
OTHER = "Changed-password-2027"
TARGET = "target.user"
PERMISSION_TEST = "Permission test"


def _actual_form(value: str, day: int) -> progress.ActualForm:
    return progress.ActualForm("1.2.a", date(2025, 1, day), date(2025, 1, day), "ALB", None,
                               value, PERMISSION_TEST)  # fmt: skip


def _entered(c: SimpleNamespace) -> int:
    """The entries these tests made (the demo's own values left out)."""
    return sum(a.source == PERMISSION_TEST for a in progress.actuals(c.system_planner, url=c.url))


def _enter_actual(u: CurrentUser | None, c: SimpleNamespace) -> None:
    progress.enter_actual(u, _actual_form("1", 1 + _entered(c)), date(2026, 1, 1), url=c.url)


def _correct_actual(u: CurrentUser | None, c: SimpleNamespace) -> None:
    day = 20 + _entered(c) % 10
    first = progress.enter_actual(c.system_planner, _actual_form("1", day), date(2026, 1, 1),
                                  url=c.url)  # fmt: skip
    progress.correct_actual(u, first.id, _actual_form("2", day), date(2026, 1, 1), url=c.url)


def _version(c: SimpleNamespace, output: str) -> int | None:
    return dict((r.output_code, v) for r, v in progress.ratings(c.system_planner, 2026,
                                                               url=c.url)).get(output)


def _rate_output(u: CurrentUser | None, c: SimpleNamespace) -> None:
    found = dict((r.output_code, v) for r, v in progress.ratings(c.system_planner, 2025,
                                                                url=c.url))  # fmt: skip
    progress.rate_output(u, 2025, Rating("1.1", "On track", "Permission test"), found.get("1.1"),
                         url=c.url)  # fmt: skip


def _one_line_extract() -> bytes:
    grant = "EU IPA regional action on organized crime and illicit financial flows (demo)"
    return ("Grant,WBS element,Fund,Cost category,Currency,Posting period,Amount\n"
            f"{grant},PERM-1.1,32EUA,Travel,USD,2025-03,10.00\n").encode()  # fmt: skip


def _apply_extract(u: CurrentUser | None, c: SimpleNamespace) -> None:
    expenditure.map_wbs(c.system_finance, WbsMapping("PERM-1.1", "1.1", "IST", "TUR"), url=c.url)
    found = expenditure.preview(c.system_finance, _one_line_extract(), "perm.csv", url=c.url)
    assert found.ok, found.problems
    expenditure.apply(u, _one_line_extract(), "perm.csv", found.sha256, url=c.url)


@dataclass(frozen=True)
class Checked:
    """Roles allowed to call; `call(user, ctx)` makes a valid call (None: anonymous)."""

    allowed: frozenset[Role]
    call: Callable[[CurrentUser | None, SimpleNamespace], object]


@dataclass(frozen=True)
class Exempt:
    """Not a call on behalf of a logged-in user; `reason` says why no caller is checked."""

    reason: str


LOGIN = "login: runs before anyone is logged in (it is how a user becomes one)"
STARTUP = "start-up / terminal: runs as the system before any page, never from a page"
PURE = "pure computation on data the caller already read through a checked service"
HELPER = "a check run inside a checked service's unit of work (takes the unit of work, no user)"


def _change_own(u: CurrentUser | None, c: SimpleNamespace) -> None:
    accounts.change_own_password(u, KNOWN, OTHER, url=c.url)
    accounts.change_own_password(u, OTHER, KNOWN, url=c.url)  # back, for the next role


def _save_rates(u: CurrentUser | None, c: SimpleNamespace) -> None:
    data = staffing.load(c.system_finance, url=c.url)
    lines = [(r.grade, r.duty_station, r.annual) for r in data.rate_lines]
    staffing.save_rates(u, lines, data.rates.escalation_percent, {}, c.ref, url=c.url)


def _preview_rates(u: CurrentUser | None, c: SimpleNamespace) -> None:
    data = staffing.load(c.system_finance, url=c.url)
    lines = [(r.grade, r.duty_station, r.annual) for r in data.rate_lines]
    staffing.preview_rates(u, data, lines, data.rates.escalation_percent, {}, c.ref)


def _close_and_reopen(u: CurrentUser | None, c: SimpleNamespace) -> None:
    """Closes through December 2024 and reopens every month (the others find nothing closed)."""
    staffing.close_period(u, "2024-12", c.ref, url=c.url)
    staffing.reopen_period(u, None, "Permission check", c.ref, url=c.url)


def _reopen(u: CurrentUser | None, c: SimpleNamespace) -> None:
    """Finance closes through December 2024 (if nothing is closed), the caller reopens all."""
    if staffing.load(c.system_finance, url=c.url).closed_through is None:
        staffing.close_period(c.system_finance, "2024-12", c.ref, url=c.url)
    staffing.reopen_period(u, None, "Permission check", c.ref, url=c.url)


def _restore_own_backup(u: CurrentUser | None, c: SimpleNamespace) -> None:
    path = c.scratch / "restore.rpsee-backup"
    if not path.exists():
        backup.backup(c.system_admin, path, url=c.url)
    backup.restore(u, path, force=True, url=c.url)  # the same rows back: the others see no change


def _apply_upload(u: CurrentUser | None, c: SimpleNamespace) -> None:
    lines = workplans.activities(c.system_planner, c.draft.id, url=c.url)
    changed = [replace(lines[0], title=lines[0].title + " (checked)"), *lines[1:]]
    workbook = workplan_excel.build(c.draft, changed, c.ref)  # a file that changes one title
    previewed = workplan_import.preview(c.system_planner, c.draft, lines, workbook, c.ref)
    workplan_import.apply(u, c.draft, previewed, c.ref, url=c.url)


def _pipeline_form(c: SimpleNamespace) -> pipeline.ContributionForm:
    return pipeline.ContributionForm(donor="SWE", reference="Permission check", currency="SEK",
                                     status="soft", tranches={2026: "1000"})  # fmt: skip


def _delete_contribution(u: CurrentUser | None, c: SimpleNamespace) -> None:
    new_id = pipeline.save_contribution(c.system_planner, _pipeline_form(c), c.ref, url=c.url)
    pipeline.delete_contribution(u, new_id, 1, url=c.url)


def _saved_scenario(c: SimpleNamespace) -> Scenario:  # noqa: ARG001
    return Scenario("Permission check", probability_cutoff=Decimal(50))


def _save_scenario(u: CurrentUser | None, c: SimpleNamespace) -> None:
    s = replace(_saved_scenario(c), name=f"Check {u.role if u else 'anonymous'}")
    scenarios.save_scenario(u, s, url=c.url)


def _delete_scenario(u: CurrentUser | None, c: SimpleNamespace) -> None:
    s = replace(_saved_scenario(c), name=f"Delete {u.role if u else 'anonymous'}")
    new_id = scenarios.save_scenario(c.system_planner, s, url=c.url)
    scenarios.delete_scenario(u, new_id, 1, url=c.url)


def _frozen_one(u: CurrentUser | None, c: SimpleNamespace) -> None:
    """The baseline frozen (observers read its edition: a frozen baseline is shared)."""
    first = [f for f in scenarios.frozen_scenarios(c.system_planner, url=c.url)
             if f.name == "Frozen baseline"]  # fmt: skip
    if not first:
        scenarios.freeze(c.system_planner, Scenario("Frozen baseline"), draws=200, url=c.url)
        first = scenarios.frozen_scenarios(c.system_planner, url=c.url)
    scenarios.frozen_scenario(u, first[0].id, url=c.url)


def _share(u: CurrentUser | None, c: SimpleNamespace) -> None:
    s = replace(_saved_scenario(c), name=f"Share {u.role if u else 'anonymous'}")
    new_id = scenarios.save_scenario(c.system_planner, s, url=c.url)
    scenario_sharing.set_shared(u, new_id, 1, True, url=c.url)


def _save_targets(u: CurrentUser | None, c: SimpleNamespace) -> None:
    targets = planning.settings(c.system_planner, url=c.url).targets
    rows = [(t.key, t.mode, t.value) for t in targets if t.year == 2026 and t.dimension == "area"]
    planning.save_targets(u, 2026, "area", rows, c.ref, url=c.url)


def _save_envelope(u: CurrentUser | None, c: SimpleNamespace) -> None:
    s = planning.settings(c.system_planner, url=c.url)
    planning.save_envelope(u, dict(s.envelopes), s.basis, s.rate_percent, c.ref, url=c.url)


def _draft_with_a_line(c: SimpleNamespace, year: int):  # noqa: ANN202
    """A new draft of `year` with one line (an empty one may not be submitted)."""
    draft = workplans.start_draft(c.system_planner, year, c.ref, confirmed=True, url=c.url)
    line = act("", "2.3", {"TRAVEL": "1000.00"}, months=(9, 9))
    workplans.save(c.system_planner, draft.id, WorkplanEdit(added=[line]), c.ref, url=c.url)
    return draft


def _submit(u: CurrentUser | None, c: SimpleNamespace) -> None:
    submit_read(u, _draft_with_a_line(c, 2025).id, url=c.url)


def _pending_2024(c: SimpleNamespace) -> int:
    """A 2024 version before the Committee (one left by a refused call, or a new one)."""
    plans = workplans.list_workplans(c.system_planner, url=c.url)
    pending = [p for p in plans if p.year == 2024 and p.status == "submitted"]
    if pending:
        return pending[0].id
    return submit_read(c.system_planner, _draft_with_a_line(c, 2024).id, "other", url=c.url).id


def _amend(u: CurrentUser | None, c: SimpleNamespace) -> None:
    plans = workplans.list_workplans(c.system_planner, url=c.url)
    approved = [p.id for p in plans if p.year == 2024 and p.status == "approved"]
    if not approved:
        approved = [workflow.record_decision(c.system_planner, _pending_2024(c), "approved",
                                             url=c.url).id]  # fmt: skip
    workflow.start_amendment(u, approved[0], "other", c.ref, url=c.url)


def _comment_to_resolve(u: CurrentUser | None, c: SimpleNamespace) -> None:
    author = u if u is not None and u.role in (P, S) else c.system_planner
    made = workflow.comment(author, c.submitted.id, "plan", "", "Resolve me", c.ref, url=c.url)
    workflow.resolve(u, made.id, url=c.url)


def _reply(u: CurrentUser | None, c: SimpleNamespace) -> None:
    made = workflow.comment(c.system_planner, c.submitted.id, "plan", "", "A", c.ref, url=c.url)
    workflow.reply(u, made.id, "B", url=c.url)


def _meeting(u: CurrentUser | None, prefix: str) -> Meeting:
    return Meeting(f"{prefix}-{u.role.value if u else 'anonymous'}", date(2026, 5, 1),
                   "Vienna", "Members")  # fmt: skip


def _approve(u: CurrentUser | None, c: SimpleNamespace) -> None:
    """A first single sign-on (an account awaiting approval), then its approval."""
    _approve.count = getattr(_approve, "count", 0) + 1
    claims = {"iss": "https://idp.example", "sub": f"perm-{_approve.count}", "iat": 1_900_000_000,
              "name": "Signed In", "preferred_username": f"sso.perm{_approve.count}"}  # fmt: skip
    made = sso.sign_in(claims, RoleClaim(), url=c.url)
    sso.approve(u, made.username, "planner", url=c.url)


def _delete_meeting(u: CurrentUser | None, c: SimpleNamespace) -> None:
    made = workflow.save_meeting(c.system_planner, _meeting(u, "DEL"), url=c.url)
    workflow.delete_meeting(u, made.id, url=c.url)


TABLE: dict[str, Checked | Exempt] = {
    # accounts
    "accounts.add_user": Checked(frozenset({A}), lambda u, c: accounts.add_user(
        u, "new.user", "New user", "planner", KNOWN, url=c.url)),
    "accounts.list_users": Checked(frozenset({A}), lambda u, c: accounts.list_users(u, url=c.url)),
    "accounts.set_active": Checked(frozenset({A}), lambda u, c: accounts.set_active(
        u, TARGET, True, url=c.url)),
    "accounts.set_role": Checked(frozenset({A}), lambda u, c: accounts.set_role(
        u, TARGET, "finance", url=c.url)),
    "accounts.set_jurisdictions": Checked(frozenset({A}), lambda u, c: accounts.set_jurisdictions(
        u, "who.psc_member", ["ALB"], url=c.url)),
    "accounts.unlock": Checked(frozenset({A}), lambda u, c: accounts.unlock(u, TARGET, url=c.url)),
    "accounts.reset_password": Checked(frozenset({A}), lambda u, c: accounts.reset_password(
        u, TARGET, OTHER, url=c.url)),
    "accounts.change_own_password": Checked(EVERYONE, _change_own),
    "accounts.end_sessions": Checked(frozenset({A}), lambda u, c: accounts.end_sessions(
        u, TARGET, url=c.url)),
    "accounts.end_sessions (own)": Checked(EVERYONE, lambda u, c: accounts.end_sessions(
        u, url=c.url)),
    "accounts.login_credentials": Exempt(LOGIN),
    "accounts.record_failed_login": Exempt(LOGIN),
    "accounts.record_login": Exempt(LOGIN),
    "accounts.session_user": Exempt(LOGIN),
    "accounts.check_session": Exempt(LOGIN),
    "accounts.add_user_from_terminal": Exempt(STARTUP),
    "accounts.checked_donor": Exempt(HELPER),
    "accounts.checked_jurisdictions": Exempt(HELPER),
    "accounts.summary": Exempt(PURE),
    "sso.sign_in": Exempt(LOGIN),
    "sso.record_refusal": Exempt(LOGIN),
    "sso.approve": Checked(frozenset({A}), _approve),
    "sso.local_accounts": Exempt(STARTUP),
    # audit trail
    "audit_log.actors": Checked(frozenset({F, A}), lambda u, c: audit_log.actors(u, url=c.url)),
    "audit_log.rows": Checked(frozenset({F, A}), lambda u, c: audit_log.rows(
        u, limit=5, url=c.url)),
    "audit_log.recent_entries": Checked(frozenset({F, A}), lambda u, c: audit_log.recent_entries(
        u, limit=5, url=c.url)),
    # backup and restore (operators: the whole database, password hashes included)
    "backup.backup": Checked(frozenset({A}), lambda u, c: backup.backup(
        u, c.scratch / f"backup-{u.role if u else 0}.rpsee-backup", url=c.url)),
    "backup.restore": Checked(frozenset({A}), _restore_own_backup),
    # start-up and demo data
    "bootstrap.prepare": Exempt(STARTUP),
    "bootstrap.prepare_once": Exempt(STARTUP),
    "bootstrap.prepare_accounts": Exempt(STARTUP),
    "bootstrap.prepare_data": Exempt(STARTUP),
    "bootstrap.accounts_once": Exempt(STARTUP),
    "bootstrap.production_problems": Exempt(STARTUP),
    "bootstrap.reference_fingerprint": Exempt(STARTUP),
    "bootstrap.seed_reference": Exempt(STARTUP),
    "prepare_process.start": Exempt(STARTUP),
    "prepare_process.running": Exempt(STARTUP),
    "prepare_process.drop": Exempt(STARTUP),
    "prepare_process.main": Exempt(STARTUP),
    "demo.demo_rows": Exempt(STARTUP),
    "demo.seed_demo_workplans": Exempt(STARTUP),
    "demo_accounts.ensure_demo_users": Exempt(STARTUP),
    "demo_accounts.with_demo_password": Exempt(STARTUP),
    "demo_accounts.demo_account_problems": Exempt(STARTUP),
    "demo_accounts.purge": Checked(frozenset({A}), lambda u, c: demo_accounts.purge(u, url=c.url)),
    "planning_seed.seed_demo_targets": Exempt(STARTUP),
    "planning_seed.seed_planning": Exempt(STARTUP),
    "review_seed.seed_demo_review": Exempt(STARTUP),
    "meeting_seed.seed_demo_meeting": Exempt(STARTUP),
    "markers.sex_disaggregated_outputs": Exempt(PURE),
    "iati.settings": Exempt(PURE),
    "passwords.hash_password": Exempt(PURE),
    "passwords.verify_password": Exempt(PURE),
    "expenditure_files.read_rows": Exempt("pure reading of uploaded bytes into cells; the "
                                          "import service that calls it checks the caller"),
    # indicator progress: planners enter and rate; roles that read live figures read them;
    # everyone reads the reports given to the Committee (observers: only those)
    "progress.specs": Exempt(PURE),
    "progress.rule": Exempt(PURE),
    "progress.freeze": Exempt("runs inside the submission's unit of work, which checked the "
                              "caller (workflow.submit)"),
    "progress.actuals": Checked(LIVE, lambda u, c: progress.actuals(u, url=c.url)),
    "progress.evidence": Checked(LIVE, lambda u, c: progress.evidence(u, 1, url=c.url)),
    "progress.enter_actual": Checked(frozenset({P}), _enter_actual),
    "progress.correct_actual": Checked(frozenset({P}), _correct_actual),
    "progress.progress": Checked(LIVE, lambda u, c: progress.progress(
        u, date(2026, 1, 1), url=c.url)),
    "progress.ratings": Checked(LIVE, lambda u, c: progress.ratings(u, 2025, url=c.url)),
    "progress.rate_output": Checked(frozenset({P}), _rate_output),
    "progress.rate_outputs": Checked(frozenset({P}), lambda u, c: progress.rate_outputs(
        u, 2026, [(Rating("5.5", "On track", "Permission test"), _version(c, "5.5"))],
        url=c.url)),
    "progress.enter_actuals": Checked(frozenset({P}), lambda u, c: progress.enter_actuals(
        u, [], date(2026, 1, 1), url=c.url)),
    "progress.live_report": Checked(LIVE, lambda u, c: progress.live_report(
        u, 2025, date(2026, 1, 1), url=c.url)),
    "progress.reports": Checked(EVERYONE, lambda u, c: progress.reports(u, url=c.url)),
    "progress.report_of": Checked(EVERYONE, lambda u, c: progress.report_of(
        u, c.submitted.id, url=c.url)),
    # expenditure: finance maps and imports; roles that read live figures read the mapping
    # and the imports; everyone reads what was spent (observers: protected grants aggregated)
    "expenditure.wbs_mapping": Checked(LIVE, lambda u, c: expenditure.wbs_mapping(u, url=c.url)),
    "expenditure.map_wbs": Checked(frozenset({F}), lambda u, c: expenditure.map_wbs(
        u, WbsMapping("PERM-1.1", "1.1", "IST", "TUR"), url=c.url)),
    # the annual progress report: observers only once a report of the year was given to the
    # Committee (none in this database for 2025); grant statements: everyone (observers
    # without others' confidential grants)
    # 2024: no report of it was given to the Committee (the demo's 2025 one was: observers read it)
    "annual_report.build_annual_report": Checked(LIVE, lambda u, c: (
        annual_report.build_annual_report(u, 2024, url=c.url))),
    "annual_report.build_grant_statements": Checked(EVERYONE, lambda u, c: (
        annual_report.build_grant_statements(u, 2025, url=c.url))),
    "expenditure.map_many": Checked(frozenset({F}), lambda u, c: expenditure.map_many(
        u, [WbsMapping("PERM-1.2", "1.2", "IST", "TUR")], url=c.url)),
    "expenditure.preview": Checked(frozenset({F}), lambda u, c: expenditure.preview(
        u, _one_line_extract(), "perm.csv", url=c.url)),
    "expenditure.apply": Checked(frozenset({F}), _apply_extract),
    "expenditure.imports": Checked(LIVE, lambda u, c: expenditure.imports(u, url=c.url)),
    "expenditure.spent_years": Checked(EVERYONE, lambda u, c: expenditure.spent_years(
        u, url=c.url)),
    "expenditure.spent": Checked(EVERYONE, lambda u, c: expenditure.spent(u, url=c.url)),
    # delivery against budget: everyone who reads the programme (observers: what was given)
    "delivery.delivery": Checked(EVERYONE, lambda u, c: delivery.delivery(
        u, 2025, date(2026, 1, 15), url=c.url)),
    "delivery.years": Checked(EVERYONE, lambda u, c: delivery.years(u, url=c.url)),
    "pipeline.protected_grants": Checked(EVERYONE, lambda u, c: pipeline.protected_grants(
        u, url=c.url)),
    # donor pipeline: everyone reads (observers redacted); planners and finance edit
    # contributions; finance keeps the exchange rates
    "pipeline.load": Checked(EVERYONE, lambda u, c: pipeline.load(u, url=c.url)),
    "pipeline.contributions": Checked(EVERYONE, lambda u, c: pipeline.contributions(
        u, url=c.url)),
    "pipeline.contribution": Checked(EVERYONE, lambda u, c: pipeline.contribution(
        u, 1, url=c.url)),
    "pipeline.exchange_rates": Checked(EVERYONE, lambda u, c: pipeline.exchange_rates(
        u, url=c.url)),
    "pipeline.save_contribution": Checked(frozenset({P, F}), lambda u, c: (
        pipeline.save_contribution(u, _pipeline_form(c), c.ref, url=c.url))),
    "pipeline.delete_contribution": Checked(frozenset({P, F}), _delete_contribution),
    "pipeline.save_rate": Checked(frozenset({F}), lambda u, c: pipeline.save_rate(
        u, "EUR", "2026-11-30", "1.1", url=c.url)),
    "pipeline.parse_form": Exempt(PURE),
    "observer_view.base_for": Exempt(PURE),
    "observer_view.redacted": Exempt(PURE),
    "observer_view.scenario_inputs": Exempt(PURE),
    "observer_view.share_problems": Exempt(PURE),
    "observer_view.view_of": Exempt(PURE),
    "pipeline_seed.seed_pipeline_defaults": Exempt(STARTUP),
    "pipeline_seed.seed_demo_pipeline": Exempt(STARTUP),
    "pipeline_seed.demo_rates": Exempt(STARTUP),
    "pipeline_seed.demo_contributions": Exempt(STARTUP),
    # scenarios: planners and finance save and delete, planners freeze; PSC members and
    # observers read (observers masked, and only the baseline and saved scenarios);
    # administrators none
    "scenarios.choices": Checked(frozenset({P, F, S, OBS}), lambda u, c: scenarios.choices(
        u, url=c.url)),
    "scenarios.evaluate": Checked(frozenset({P, F, S, OBS}), lambda u, c: scenarios.evaluate(
        u, Scenario(), draws=200, url=c.url)),
    "scenarios.compare": Checked(frozenset({P, F, S, OBS}), lambda u, c: scenarios.compare(
        u, [Scenario()], draws=200, url=c.url)),
    "scenarios.cut_lines": Checked(frozenset({P, F, S, OBS}), lambda u, c: scenarios.cut_lines(
        u, Scenario(), Decimal(70), url=c.url)),
    "scenarios.list_scenarios": Checked(frozenset({P, F, S, OBS}), lambda u, c: (
        scenarios.list_scenarios(u, url=c.url))),
    "scenarios.save_scenario": Checked(frozenset({P, F}), _save_scenario),
    "scenarios.delete_scenario": Checked(frozenset({P, F}), _delete_scenario),
    "scenarios.freeze": Checked(frozenset({P}), lambda u, c: scenarios.freeze(
        u, _saved_scenario(c), draws=200, url=c.url)),
    "scenarios.frozen_scenarios": Checked(frozenset({P, F, S, OBS}), lambda u, c: (
        scenarios.frozen_scenarios(u, url=c.url))),
    "scenarios.frozen_scenario": Checked(frozenset({P, F, S, OBS}), _frozen_one),
    "scenarios.assumptions_hash": Exempt(PURE),
    "scenario_sharing.set_shared": Checked(frozenset({P}), _share),
    "scenario_sharing.share_problems": Checked(frozenset({P}), lambda u, c: (
        scenario_sharing.share_problems(u, c.scenario_id, url=c.url))),
    # programme
    "programme.reference": Checked(EVERYONE, lambda u, c: programme.reference(u, url=c.url)),
    "programme.data_version": Exempt("a number that grows with every write: a cache key"),
    # envelope and allocation
    "planning.settings": Checked(EVERYONE, lambda u, c: planning.settings(u, url=c.url)),
    "planning.save_envelope": Checked(frozenset({P}), _save_envelope),
    "planning.save_targets": Checked(frozenset({P}), _save_targets),
    # staffing
    "staffing.load": Checked(EVERYONE, lambda u, c: staffing.load(u, url=c.url)),
    "staffing.save_plans": Checked(frozenset({P}), lambda u, c: staffing.save_plans(
        u, staffing.load(c.system_planner, url=c.url).plans[:2], c.ref, url=c.url)),
    "staffing.save_rates": Checked(frozenset({F}), _save_rates),
    "staffing.costing": Exempt(PURE),
    "staffing.cycle_period": Exempt(PURE),
    "staffing.outside_period": Exempt(PURE),
    "staffing.staff_period": Exempt(PURE),
    "staffing.reconciliation": Exempt(PURE),
    "staffing.preview_rates": Checked(frozenset({F}), _preview_rates),
    "staffing.closed_refusal": Exempt(PURE),
    "staffing.rate_warnings": Exempt(PURE),
    "staffing.close_period": Checked(frozenset({F}), _close_and_reopen),
    "staffing.reopen_period": Checked(frozenset({F}), _reopen),
    # workplans
    "workplans.list_workplans": Checked(EVERYONE, lambda u, c: workplans.list_workplans(
        u, url=c.url)),
    # a draft: everyone but donor observers, who read versions given to the Committee
    "workplans.activities": Checked(DRAFT_READERS, lambda u, c: workplans.activities(
        u, c.draft.id, url=c.url)),
    "workplans.activities (submitted)": Checked(EVERYONE, lambda u, c: workplans.activities(
        u, c.submitted.id, url=c.url)),
    "workplans.save": Checked(frozenset({P}), lambda u, c: workplans.save(
        u, c.draft.id, WorkplanEdit(), c.ref, url=c.url)),
    "workplans.start_draft": Checked(frozenset({P}), lambda u, c: workplans.start_draft(
        u, 2028, c.ref, url=c.url)),
    "workplans.preview_draft": Checked(frozenset({P}), lambda u, c: workplans.preview_draft(
        u, 2028, c.ref, c.draft.id, url=c.url)),
    "workplans.set_in_use": Checked(frozenset({P}), lambda u, c: workplans.set_in_use(
        u, c.draft.id, url=c.url)),
    "consultation.set_shared": Checked(frozenset({P}), lambda u, c: consultation.set_shared(
        u, c.draft.id, True, url=c.url)),
    "workplans.in_use_by_year": Checked(EVERYONE, lambda u, c: workplans.in_use_by_year(
        u, url=c.url)),
    "workplans.lines_in_use": Checked(EVERYONE, lambda u, c: workplans.lines_in_use(
        u, url=c.url)),
    "workplans.last_saved": Checked(DRAFT_READERS, lambda u, c: workplans.last_saved(
        u, c.draft.id, url=c.url)),
    "workplans.last_saved (submitted)": Checked(EVERYONE, lambda u, c: workplans.last_saved(
        u, c.submitted.id, url=c.url)),
    "workplans.check": Exempt(PURE),
    "pipeline.lines_seen": Checked(EVERYONE, lambda u, c: pipeline.lines_seen(u, [], url=c.url)),
    # Excel round trip: working (draft) versions for planners and finance; the Steering
    # Committee exports only versions submitted to it; administrators export none
    "workplan_import.export": Checked(frozenset({P, F}), lambda u, c: workplan_import.export(
        u, c.draft, c.draft_lines, c.ref, url=c.url)),
    "workplan_import.export (submitted)": Checked(frozenset({P, F, S, OBS}),
        lambda u, c: workplan_import.export(u, c.submitted, [], c.ref, url=c.url)),
    "workplan_import.preview": Checked(frozenset({P}), lambda u, c: workplan_import.preview(
        u, c.draft, c.draft_lines, c.workbook, c.ref)),
    "workplan_import.apply": Checked(frozenset({P}), _apply_upload),
    "workplan_import.as_edit": Exempt(PURE),
    # finance exports: planners and finance only, whatever the version's status
    # what both exports read; who may export what is checked by each export
    "export_inputs.read": Checked(DRAFT_READERS, lambda u, c: export_inputs.read(
        u, c.draft.id, url=c.url)),
    "export_inputs.read (submitted)": Checked(EVERYONE, lambda u, c: export_inputs.read(
        u, c.submitted.id, url=c.url)),
    "markers.shares": Checked(DRAFT_READERS, lambda u, c: markers.shares(
        u, c.draft.id, url=c.url)),
    "markers.shares (submitted)": Checked(EVERYONE, lambda u, c: markers.shares(
        u, c.submitted.id, url=c.url)),
    "iati.inputs": Checked(frozenset({P, F}), lambda u, c: iati.inputs(u, url=c.url)),
    "iati.activities": Checked(frozenset({P, F}), lambda u, c: iati.activities(u, url=c.url)),
    "iati.export": Checked(frozenset({P, F}), lambda u, c: iati.export(u, url=c.url)),
    "finance_exports.build_workbook": Checked(frozenset({P, F}),
        lambda u, c: finance_exports.build_workbook(u, c.submitted.id, url=c.url)),
    "finance_exports.sheets": Checked(frozenset({P, F}), lambda u, c: finance_exports.sheets(
        u, export_inputs.read(c.system_planner, c.submitted.id, url=c.url), None, url=c.url)),
    "finance_exports.activities_csv": Checked(frozenset({P, F}),
        lambda u, c: finance_exports.activities_csv(u, c.submitted.id, url=c.url)),
    # Steering Committee cycle: planners submit and revise, members comment and take a
    # position, the secretariat (planner or admin) decides and keeps the meeting records
    "workflow.review": Checked(EVERYONE, lambda u, c: workflow.review(
        u, c.submitted.id, url=c.url)),
    "workflow.submit": Checked(frozenset({P}), _submit),
    "workflow.open_points": Checked(frozenset({P}), lambda u, c: workflow.open_points(
        u, c.submitted.id, url=c.url)),
    "workflow.brief": Checked(frozenset({P, A}), lambda u, c: workflow.brief(
        u, c.submitted.id, url=c.url)),
    "workflow.comment": Checked(frozenset({P, S}), lambda u, c: workflow.comment(
        u, c.submitted.id, "plan", "", "A comment", c.ref, url=c.url)),
    "workflow.reply": Checked(frozenset({P, S}), _reply),
    "workflow.resolve": Checked(frozenset({P, S}), _comment_to_resolve),
    # a member for its own jurisdiction; the secretariat on a member's behalf (audited so)
    "positions.record_position": Checked(frozenset({S}), lambda u, c: positions.record_position(
        u, c.submitted.id, "endorse", "ALB", "", c.ref, url=c.url)),
    "positions.record_position (on behalf)": Checked(frozenset({P, A}),
        lambda u, c: positions.record_position(u, c.submitted.id, "endorse", "ALB", "", c.ref,
                                               url=c.url, on_behalf_of="member.two")),
    "positions.members": Checked(frozenset({S, P, A}), lambda u, c: positions.members(
        u, url=c.url)),
    "workflow.record_decision": Checked(frozenset({P, A}), lambda u, c: workflow.record_decision(
        u, _pending_2024(c), "returned", "Reasons", url=c.url)),
    "workflow.start_revision": Checked(frozenset({P}), lambda u, c: workflow.start_revision(
        u, c.submitted.id, c.ref, url=c.url)),
    "workflow.start_amendment": Checked(frozenset({P}), _amend),
    "workflow.version_diff": Checked(DRAFT_READERS, lambda u, c: workflow.version_diff(
        u, c.draft.id, c.submitted.id, c.ref, url=c.url)),
    "workflow.version_diff (submitted)": Checked(EVERYONE, lambda u, c: workflow.version_diff(
        u, c.submitted.id, c.submitted.id, c.ref, url=c.url)),
    "workflow.meetings": Checked(EVERYONE, lambda u, c: workflow.meetings(u, url=c.url)),
    "workflow.meeting_record": Checked(EVERYONE, lambda u, c: workflow.meeting_record(
        u, workflow.save_meeting(c.system_planner, _meeting(u, "REC"), url=c.url).id,
        url=c.url)),
    "workflow.save_meeting": Checked(frozenset({P, A}), lambda u, c: workflow.save_meeting(
        u, _meeting(u, "PSC"), url=c.url)),
    "workflow.delete_meeting": Checked(frozenset({P, A}), _delete_meeting),
    # the approval pack: a draft's for planners and finance; a version submitted to the
    # Steering Committee's for every reader (observers: their edition)
    "pack.version_of": Checked(EVERYONE, lambda u, c: pack.version_of(u, 2029, url=c.url)),
    "pack.build_pack": Checked(frozenset({P, F}), lambda u, c: pack.build_pack(
        u, c.draft.id, url=c.url)),
    "pack.build_pack (submitted)": Checked(EVERYONE, lambda u, c: pack.build_pack(
        u, c.submitted.id, url=c.url)),
    "pack.build_editions": Checked(frozenset({P, F}), lambda u, c: pack.build_editions(
        u, c.draft.id, url=c.url, pdf=False)),
    "pack.build_editions (submitted)": Checked(EVERYONE, lambda u, c: pack.build_editions(
        u, c.submitted.id, url=c.url, pdf=False)),
}  # fmt: skip


def service_functions() -> dict[str, Callable]:
    """Every public function defined in a module of rpsee/services."""
    found: dict[str, Callable] = {}
    for info in pkgutil.iter_modules(rpsee.services.__path__):
        module = importlib.import_module(f"rpsee.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{info.name}.{name}"] = fn
    return found


def _takes_a_user(fn: Callable) -> bool:
    return any("CurrentUser" in str(p.annotation) for p in
               inspect.signature(fn).parameters.values())  # fmt: skip


def test_every_service_function_is_in_the_table() -> None:
    functions = service_functions()
    listed = {key.split(" ")[0] for key in TABLE}
    missing = sorted(set(functions) - listed)
    assert not missing, f"service functions without a row in TABLE (who may call them?): {missing}"
    assert not sorted(listed - set(functions)), "rows in TABLE for functions that do not exist"
    wrongly_exempt = [k for k, v in TABLE.items()
                      if isinstance(v, Exempt) and _takes_a_user(functions[k])]  # fmt: skip
    assert not wrongly_exempt, f"take a user, so their role must be checked: {wrongly_exempt}"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory) -> SimpleNamespace:  # noqa: ANN001
    from rpsee.services.bootstrap import prepare
    from rpsee.store.db import dispose

    url = f"sqlite:///{tmp_path_factory.mktemp('perm') / 'perm.sqlite'}"
    prepare(url)  # demo mode: demo accounts, workplans, planning data
    admin = CurrentUser("demo.admin", "Demo admin", A)
    for role in Role:
        accounts.add_user(admin, f"who.{role.value}", role.label, role.value, KNOWN, url=url,
                          donor="AUT" if role is Role.OBSERVER else None,
                          jurisdictions=["ALB"] if role is Role.PSC_MEMBER else ())  # fmt: skip
    accounts.add_user(admin, TARGET, "Target", "planner", KNOWN, url=url)
    accounts.add_user(admin, "member.two", "Member Two", "psc_member", KNOWN, url=url,
                      jurisdictions=["ALB"])  # a position recorded on this member's behalf
    system_planner = CurrentUser("system", "System", P)
    ref = programme.reference(system_planner, url=url)
    plans = workplans.list_workplans(system_planner, url=url)
    draft = next(p for p in plans if p.status == "draft")
    draft_lines = workplans.activities(system_planner, draft.id, url=url)
    submitted = workplans.start_draft(system_planner, 2029, ref, url=url)
    with UnitOfWork(actor="test", action="submit", url=url) as uow:
        uow.workplans.get_row(submitted.id).status = "submitted"
        uow.commit()
    # a saved scenario from the start: rows that read one do not depend on the order of rows
    scenario_id = scenarios.save_scenario(system_planner, Scenario("Baseline saved at set-up"),
                                          url=url)  # fmt: skip
    yield SimpleNamespace(
        url=url, scenario_id=scenario_id, ref=ref, draft=draft, draft_lines=draft_lines,
        submitted=submitted,
        workbook=workplan_excel.build(draft, draft_lines, ref), system_planner=system_planner,
        system_finance=CurrentUser("system", "System", F),
        system_admin=CurrentUser("system", "System", A), scratch=tmp_path_factory.mktemp("bk"),
    )  # fmt: skip
    dispose(url)


CASES = [
    (key, role)
    for key, row in TABLE.items()
    if isinstance(row, Checked)
    for role in (None, *Role)
]


@pytest.mark.parametrize(
    ("key", "role"), CASES, ids=[f"{k}-{r.value if r else 'anonymous'}" for k, r in CASES]
)
def test_service_allows_or_refuses_the_role(key: str, role: Role | None, ctx) -> None:  # noqa: ANN001
    """Allowed roles complete the call; every other role (and nobody logged in: a deactivated
    account never gets a user, see accounts.session_user) gets PermissionDenied."""
    row = TABLE[key]
    donor = "AUT" if role is Role.OBSERVER else None
    user = CurrentUser(f"who.{role.value}", role.label, role, donor) if role else None
    if role in row.allowed:
        row.call(user, ctx)
    else:
        with pytest.raises(PermissionDenied):
            row.call(user, ctx)


def test_the_table_covers_each_role_both_ways() -> None:
    """The table is not trivially all-allowed or all-refused: each role is refused somewhere
    and allowed somewhere."""
    checked = [row for row in TABLE.values() if isinstance(row, Checked)]
    for role in Role:
        assert any(role in r.allowed for r in checked), role
        assert any(role not in r.allowed for r in checked), role
