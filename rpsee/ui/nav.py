"""Pages by role, and the sidebar with the user and the logout button."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

import streamlit as st

from rpsee import config
from rpsee.domain.roles import CurrentUser, Permission
from rpsee.ui.auth import logout_everywhere
from rpsee.ui.text import md


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    permission: Permission
    section: str


DEFAULT_PAGE = "pages/overview.py"
PAGES = (  # fmt: skip
    PageSpec(
        "pages/overview.py",
        "Overview",
        ":material/dashboard:",
        Permission.VIEW_PROGRAMME,
        "Programme",
    ),
    PageSpec(
        "pages/workplan.py",
        "Workplans",
        ":material/event_note:",
        Permission.VIEW_PROGRAMME,
        "Programme",
    ),
    PageSpec(
        "pages/review.py",
        "Steering Committee",
        ":material/how_to_vote:",
        Permission.VIEW_PROGRAMME,
        "Programme",
    ),
    PageSpec(
        "pages/allocation.py",
        "Envelope & allocation",
        ":material/account_balance:",
        Permission.VIEW_PROGRAMME,
        "Programme",
    ),
    PageSpec(
        "pages/staffing.py", "Staffing", ":material/badge:", Permission.VIEW_PROGRAMME, "Programme"
    ),
    PageSpec(
        "pages/pipeline.py",
        "Donor pipeline",
        ":material/savings:",
        Permission.VIEW_PROGRAMME,
        "Programme",
    ),
    PageSpec(
        "pages/scenarios.py",
        "Funding scenarios",
        ":material/query_stats:",
        Permission.VIEW_SCENARIOS,
        "Programme",
    ),
    PageSpec(
        "pages/meeting.py",
        "Meeting mode",
        ":material/co_present:",
        Permission.VIEW_SCENARIOS,
        "Programme",
    ),
    PageSpec(
        "pages/progress.py",
        "Indicator progress",
        ":material/flag:",
        Permission.VIEW_PROGRAMME,
        "Implementation review",
    ),
    PageSpec(
        "pages/delivery.py",
        "Delivery",
        ":material/receipt_long:",
        Permission.VIEW_PROGRAMME,
        "Implementation review",
    ),
    PageSpec(
        "pages/users.py", "Users", ":material/group:", Permission.MANAGE_USERS, "Administration"
    ),
    PageSpec(
        "pages/audit.py",
        "Audit trail",
        ":material/history:",
        Permission.VIEW_AUDIT,
        "Administration",
    ),
    PageSpec(
        "pages/account.py", "My account", ":material/person:", Permission.VIEW_PROGRAMME, "Account"
    ),
)


# Pages shown on a projector: the sidebar starts collapsed (its arrow opens it).
COLLAPSED_SIDEBAR = frozenset({"meeting"})


def sidebar_state(url_path: str) -> Literal["collapsed", "auto"]:
    """The sidebar's initial state on the page at `url_path`."""
    return "collapsed" if url_path in COLLAPSED_SIDEBAR else "auto"


def url_paths() -> list[str]:
    """Every page's URL path as Streamlit infers it from the file name, the default page first."""
    paths = [PurePosixPath(spec.path).stem for spec in PAGES]
    default = PurePosixPath(DEFAULT_PAGE).stem
    return [default, *(p for p in paths if p != default)]


def pages_for(user: CurrentUser) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if user.can(spec.permission):
            sections.setdefault(spec.section, []).append(
                st.Page(
                    spec.path,
                    title=spec.title,
                    icon=spec.icon,
                    default=spec.path == DEFAULT_PAGE,
                )
            )
    return sections


LAYOUT_STYLE = """<style>
@media (max-width: 1600px) {
  [data-testid="stMainBlockContainer"] {padding-left: 1rem !important;
                                        padding-right: 1rem !important;}
}
</style>"""
"""At laptop and projector widths the tables get the width Streamlit's wide layout keeps as side
padding (5rem each side): 1rem is left, as Streamlit leaves on a small screen (so the workplan
grid's budget columns fit beside its title at 1280 px)."""


def sidebar(user: CurrentUser) -> None:
    with st.sidebar:
        st.html(LAYOUT_STYLE)
        st.markdown(f"**{md(user.name)}**  \n{user.role.label}")
        if config.mode() == "demo":
            st.caption(":orange[Demo data: illustrative, not the office's records]")
        if st.button(
            "Log out",
            key="rpsee_logout_button",
            icon=":material/logout:",
            help="Ends your session in every browser",
        ):
            logout_everywhere(user)
            st.rerun()
