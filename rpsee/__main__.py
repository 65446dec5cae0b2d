"""Command line: `python -m rpsee serve | migrate | seed | check | users ... | demo purge |
backup | restore | export workbook | export csv | export pack | export progress-report |
export grant-statements | export iati`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from rpsee import config


def _serve(args: argparse.Namespace) -> int:
    from rpsee import malloc_arenas

    malloc_arenas.limit()  # before any thread: the sessions' threads share two malloc arenas
    from rpsee.ui import server

    if config.is_production():
        # Prepared first: production mode refuses to start before the server accepts anyone.
        from rpsee.services.bootstrap import production_problems

        report = server.prepare_and_report()
        problems = production_problems(report.url)
        if problems:
            print(
                "Refusing to start in production mode:\n- " + "\n- ".join(problems), file=sys.stderr
            )
            return 1
    # Demo mode: the server prepares the database beside its own start (see rpsee.ui.server).
    port = str(args.port or os.environ.get("PORT") or "8501")
    options = ["--server.port", port, "--server.headless", "true"]
    options += ["--browser.gatherUsageStats", "false"]
    print(f"Starting RPSEE Planner on http://localhost:{port}", flush=True)
    return server.main(options)


def _database() -> str:
    """The configured database, migrated (a SQLite file owner-only)."""
    from rpsee.store.migrate import upgrade

    url = config.database_url()
    config.secure_database_file(url)
    upgrade(url)
    return url


def _migrate(_args: argparse.Namespace) -> int:
    _database()
    print("Schema is up to date.")
    return 0


def _seed(args: argparse.Namespace) -> int:
    """What `serve` prepares, without serving: reference data, defaults, and in demo mode the
    demo accounts, workplans, targets and pipeline (so `export` works on a fresh demo database)."""
    from rpsee.services.bootstrap import prepare, seed_reference

    url = _database()
    print(f"Reference rows changed: {seed_reference(url, force=args.force)}")
    report = prepare(url)
    if report.mode == "demo":
        print(f"Demo users created: {report.demo_users_created}; demo workplans, targets and "
              "pipeline in place.")
    return 0


def _check(_args: argparse.Namespace) -> int:
    from rpsee.services.bootstrap import production_problems

    url = _database()
    print(f"Database: {config.display_url(url)}")
    for line in _sign_in_report(url):
        print(line)
    problems = production_problems(url)
    for p in problems:
        print(f"- {p}")
    print("Ready for production mode." if not problems else "Not ready for production mode.")
    return 1 if problems else 0


def _sign_in_report(url: str) -> list[str]:
    """How people sign in: single sign-on or not, and the local (password) accounts; with
    single sign-on in production, a warning for every local account but one administrator."""
    from rpsee.services.sso import local_accounts

    local = local_accounts(url)
    names = [*local.administrators, *local.others]
    count = f"{len(names)} local account{'s' if len(names) != 1 else ''}"
    if not config.sso_configured():
        return [f"Single sign-on not configured; {count} (password login)."]
    if len(local.administrators) == 1 and not local.others:
        return [f"SSO configured; 1 local account: break-glass administrator "
                f"{local.administrators[0]}."]  # fmt: skip
    lines = [f"SSO configured; {count}: {', '.join(names) or 'none'}."]
    if config.is_production() and len(names) > 1:
        lines.append("Warning: with single sign-on, keep one local account (a break-glass "
                     "administrator) and deactivate the others "
                     "(`python -m rpsee users deactivate <username>`).")  # fmt: skip
    elif not local.administrators:
        lines.append("Warning: no local administrator: nobody can sign in if the identity "
                     "provider is down (break glass: `python -m rpsee users add <username> "
                     "--role admin`).")  # fmt: skip
    return lines


def _users(args: argparse.Namespace) -> int:
    from rpsee.domain.roles import SYSTEM
    from rpsee.services import accounts

    _database()
    try:
        if args.action == "add":
            password = os.environ.get("RPSEE_NEW_PASSWORD") or getpass.getpass(
                f"Password for {args.username}: "
            )
            repeat_needed = not os.environ.get("RPSEE_NEW_PASSWORD")
            if repeat_needed and getpass.getpass("Repeat the password: ") != password:
                print("The passwords differ; nothing was saved.", file=sys.stderr)
                return 1
            user = accounts.add_user_from_terminal(
                args.username, args.name or args.username, args.role, password, args.email or "",
                donor=args.donor, jurisdictions=_codes(args.jurisdiction),
            )
            where = f", for {', '.join(user.jurisdictions)}" if user.jurisdictions else ""
            print(f"Created {user.username} ({user.role}{where}).")
        elif args.action == "list":
            for u in accounts.list_users(SYSTEM):
                state = "active" if u.active else "inactive"
                print(f"{u.username:20} {u.role or 'pending':12} {state:9} {u.name}"
                      + (f" ({', '.join(u.jurisdictions)})" if u.jurisdictions else ""))
        elif args.action == "set-jurisdiction":
            user = accounts.set_jurisdictions(SYSTEM, args.username, _codes(args.jurisdiction))
            print(f"{user.username} represents {', '.join(user.jurisdictions)} from now on.")
        elif args.action == "deactivate":
            accounts.set_active(SYSTEM, args.username, False)
            print(f"Deactivated {args.username}; their sessions have ended.")
        elif args.action == "reset-password":
            password = os.environ.get("RPSEE_NEW_PASSWORD") or getpass.getpass("New password: ")
            accounts.reset_password(SYSTEM, args.username, password)
            print(f"Password of {args.username} changed; their sessions have ended.")
    except accounts.AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def _codes(values: list[str] | None) -> list[str]:
    """`--jurisdiction ALB --jurisdiction MNE` or `--jurisdiction ALB,MNE`."""
    return [c.strip() for v in values or [] for c in v.split(",") if c.strip()]


def _demo(args: argparse.Namespace) -> int:
    from rpsee.domain.roles import SYSTEM
    from rpsee.services import demo_accounts

    url = _database()
    changed = demo_accounts.purge(SYSTEM, url=url)
    if changed:
        names = ", ".join(changed)
        print(f"Deactivated demo accounts (password replaced, sessions ended): {names}")
    else:
        print("No demo account to remove.")
    if config.mode() == "demo":
        print("Demo mode does not recreate them; set RPSEE_MODE=production to serve real users.")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rpsee.domain.roles import SYSTEM
    from rpsee.services import backup

    try:
        if args.command == "backup":
            manifest = backup.backup(SYSTEM, Path(args.out))
            print(f"Backed up {backup.describe(manifest)} to {args.out} (readable by you only).")
        else:
            manifest = backup.restore(SYSTEM, Path(args.file), force=args.force)
            print(f"Restored {backup.describe(manifest)}.")
    except backup.BackupError as exc:
        print(f"Refused: {exc} Nothing was changed.", file=sys.stderr)
        return 1
    return 0


class ExportRefused(ValueError):
    """An export the terminal cannot make (no such year, version or scenario)."""


def _terminal_user():  # noqa: ANN202
    """Who exports from the terminal: the operating-system account, with finance's rights
    (the terminal has the database already; the cover names the account)."""
    from rpsee.domain.roles import CurrentUser, Role

    account = getpass.getuser()
    return CurrentUser(f"terminal:{account}", f"{account} (terminal)", Role.FINANCE)


def _frozen_id(user, name: str, url: str) -> int:  # noqa: ANN001
    """The newest frozen scenario named `name`."""
    from rpsee.services import scenarios

    records = scenarios.frozen_scenarios(user, url=url)
    match = next((f for f in records if f.name == name), None)
    if match is None:
        names = ", ".join(sorted({f.name for f in records})) or "none"
        raise ExportRefused(f"No frozen scenario named {name!r} (frozen: {names}).")
    return match.id


def _write_file(path: str, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed over the target)."""
    from pathlib import Path

    target = Path(path)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    tmp.replace(target)


def _export(args: argparse.Namespace) -> int:
    from rpsee.domain.workflow import WorkflowError
    from rpsee.reports.finance_workbook import file_name
    from rpsee.services import finance_exports
    from rpsee.services.pack import version_of

    url = _database()
    user = _terminal_user()
    try:
        plan = version_of(user, args.year, args.version, url=url)
        if args.what == "workbook":
            scenario = _frozen_id(user, args.scenario, url) if args.scenario else None
            data = finance_exports.build_workbook(user, plan.id, scenario, url=url)
        else:
            data = finance_exports.activities_csv(user, plan.id, url=url)
    except (ExportRefused, WorkflowError, finance_exports.ExportError) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    out = args.out or file_name(plan.year, plan.version_no, "xlsx" if args.what == "workbook"
                                else "csv")  # fmt: skip
    _write_file(out, data)
    print(f"Wrote {out}: the {plan.year} workplan, version {plan.version_no} ({plan.status}).")
    return 0


def _account(username: str, url: str):  # noqa: ANN202
    """An active account the terminal acts as (`--as`): its own role and donor."""
    from rpsee.services.accounts import session_user
    from rpsee.store.audit import utcnow

    user = session_user(username, utcnow(), url=url)
    if user is None:
        raise ExportRefused(f"No active account named {username!r}.")
    return user


def _export_pack(args: argparse.Namespace) -> int:
    from rpsee.domain.roles import PermissionDenied
    from rpsee.domain.workflow import WorkflowError
    from rpsee.services import pack

    url = _database()
    try:
        user = _account(args.as_user, url) if args.as_user else _terminal_user()
        plan = pack.version_of(user, args.year, args.version, url=url)
        ids = [_frozen_id(user, name, url) for name in args.scenario or []]
        html = args.format == "html"
        data = (pack.build_editions(user, plan.id, ids, url=url, pdf=False).html if html
                else pack.build_pack(user, plan.id, ids, url=url))  # fmt: skip
    except (ExportRefused, WorkflowError, PermissionDenied) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    out = args.out or f"RPSEE_pack_{plan.year}_v{plan.version_no}.{args.format}"
    _write_file(out, data)
    what = "the accessible edition (HTML) of the approval pack" if html else "the approval pack"
    print(f"Wrote {out}: {what} of the {plan.year} workplan, version "
          f"{plan.version_no} ({plan.status}), as {user.name}.")  # fmt: skip
    return 0


def _export_review(args: argparse.Namespace) -> int:
    from rpsee.domain.roles import PermissionDenied
    from rpsee.services import annual_report

    url = _database()
    try:
        user = _account(args.as_user, url) if args.as_user else _terminal_user()
        build = (annual_report.build_annual_report if args.what == "progress-report"
                 else annual_report.build_grant_statements)  # fmt: skip
        data = build(user, args.year, url=url)
    except (ExportRefused, PermissionDenied) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    name = {"progress-report": "RPSEE_progress_report", "grant-statements": "RPSEE_grants"}
    out = args.out or f"{name[args.what]}_{args.year}.pdf"
    _write_file(out, data)
    print(f"Wrote {out}: the {args.what.replace('-', ' ')} of {args.year}, as {user.name}.")
    return 0


def _export_iati(args: argparse.Namespace) -> int:
    """The IATI 2.03 file; checked against ../shared/iati (XSD, ruleset, codelists) when there:
    a file with a problem is still written, and the command says what and exits 1."""
    from rpsee.domain.roles import PermissionDenied
    from rpsee.reports import iati_check
    from rpsee.services import iati

    url = _database()
    try:
        user = _account(args.as_user, url) if args.as_user else _terminal_user()
        data = iati.export(user, url=url)
    except (ExportRefused, PermissionDenied) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    out = args.out or "RPSEE_iati_activities.xml"
    _write_file(out, data)
    print(f"Wrote {out}: the programme as IATI 2.03 activities, as {user.name}.")
    try:
        problems = iati_check.check(data)
    except iati_check.IatiFilesMissing as exc:
        print(f"Not checked: {exc}")
        return 0
    for p in problems:
        print(f"{p.kind}: {p.where}: {p.message}", file=sys.stderr)
    found = f"{len(problems)} problem(s), listed above" if problems else "no problem"
    print(f"Checked against the IATI 2.03 schema, the Standard ruleset and the codelists: "
          f"{found}.")  # fmt: skip
    return 1 if problems else 0


def _export_parser(sub) -> None:  # noqa: ANN001
    export = sub.add_parser("export", help="exports of a workplan version")
    kinds = export.add_subparsers(dest="what", required=True)
    p = kinds.add_parser("pack", help="the Steering Committee approval pack as PDF")
    p.add_argument("--year", type=int, required=True, help="the workplan's year")
    p.add_argument("--version", type=int, help="its version number (default: the latest)")
    p.add_argument("--scenario", action="append", help="a frozen scenario's name (repeatable)")
    p.add_argument("--as", dest="as_user", help="act as this account (its role and donor; "
                   "default: the terminal, with finance's rights)")  # fmt: skip
    p.add_argument("--format", choices=("pdf", "html"), default="pdf",
                   help="pdf (default) or html: the accessible edition for screen readers, "
                   "the same content as one web page")  # fmt: skip
    p.add_argument("--out", help="the file to write (replaced if it exists)")
    p.set_defaults(func=_export_pack)
    for what, text in (("workbook", "the budget tables as an Excel workbook"),
                       ("csv", "the activity list as CSV (UTF-8 with BOM)")):  # fmt: skip
        p = kinds.add_parser(what, help=text)
        p.add_argument("--year", type=int, required=True, help="the workplan's year")
        p.add_argument("--version", type=int, help="its version number (default: the latest)")
        if what == "workbook":
            p.add_argument("--scenario", help="a frozen scenario's name (default: none)")
        p.add_argument("--out", help="the file to write (replaced if it exists)")
        p.set_defaults(func=_export)
    for what, text in (("progress-report", "the Annual Programme Progress Report of a year "
                        "(PDF)"), ("grant-statements", "a statement per donor grant (PDF)")):
        p = kinds.add_parser(what, help=text)
        p.add_argument("--year", type=int, required=True, help="the year reported")
        p.add_argument("--as", dest="as_user", help="act as this account (default: the "
                       "terminal, with finance's rights)")  # fmt: skip
        p.add_argument("--out", help="the file to write (replaced if it exists)")
        p.set_defaults(func=_export_review)
    p = kinds.add_parser("iati", help="the programme as an IATI 2.03 activity file (XML)")
    p.add_argument("--as", dest="as_user", help="act as this account (default: the terminal, "
                   "with finance's rights)")  # fmt: skip
    p.add_argument("--out", help="the file to write (replaced if it exists)")
    p.set_defaults(func=_export_iati)


def main(argv: list[str] | None = None) -> int:
    from rpsee.domain.roles import Role

    parser = argparse.ArgumentParser(prog="python -m rpsee", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed and start the app (PORT, default 8501)")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    seed = sub.add_parser("seed", help="load data/ into the database (in demo mode also the demo "
                          "accounts, workplans and pipeline)")
    seed.add_argument("--force", action="store_true", help="re-apply even if data/ is unchanged")
    seed.set_defaults(func=_seed)
    sub.add_parser("check", help="say whether production mode may start").set_defaults(func=_check)
    users = sub.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="action", required=True)
    add = users_sub.add_parser("add", help="create a user (password asked, or RPSEE_NEW_PASSWORD)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--donor", help="an observer's donor code (data/donors.yaml), e.g. SWE")
    add.add_argument("--jurisdiction", action="append", help="a Steering Committee member's "
                     "jurisdiction (data/jurisdictions.yaml), e.g. ALB; repeat or comma-separate "
                     "for several")
    add.add_argument("--name")
    add.add_argument("--email")
    users_sub.add_parser("list")
    set_jur = users_sub.add_parser("set-jurisdiction",
                                   help="the jurisdictions a Steering Committee member represents")
    set_jur.add_argument("username")
    set_jur.add_argument("jurisdiction", nargs="+", help="codes, e.g. ALB MNE (or ALB,MNE)")
    deactivate = users_sub.add_parser("deactivate")
    deactivate.add_argument("username")
    reset = users_sub.add_parser("reset-password")
    reset.add_argument("username")
    users.set_defaults(func=_users)
    demo = sub.add_parser("demo", help="demo accounts")
    demo_sub = demo.add_subparsers(dest="action", required=True)
    demo_sub.add_parser(
        "purge", help="deactivate the demo accounts and replace their passwords (audited)"
    )
    demo.set_defaults(func=_demo)
    backup = sub.add_parser("backup", help="write every table to a file (one consistent snapshot)")
    backup.add_argument("--out", required=True, help="new file (never overwritten)")
    backup.set_defaults(func=_backup)
    restore = sub.add_parser("restore", help="replace the database's contents with a backup")
    restore.add_argument("file")
    restore.add_argument("--force", action="store_true", help="replace a non-empty database")
    restore.set_defaults(func=_backup)
    _export_parser(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except config.ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
