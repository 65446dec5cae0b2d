"""Roles and what each may do. Services call `require` before every read or write they guard."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PLANNER = "planner"
    PSC_MEMBER = "psc_member"
    FINANCE = "finance"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PLANNER: "Planner (Regional Representative, programme officers)",
    Role.PSC_MEMBER: "Steering Committee (PSC) member",
    Role.FINANCE: "Finance",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    VIEW_PROGRAMME = "view_programme"
    EDIT_PLANS = "edit_plans"
    COMMENT = "comment"
    EDIT_COST_RATES = "edit_cost_rates"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PLANNER: frozenset(
        {Permission.VIEW_PROGRAMME, Permission.EDIT_PLANS, Permission.COMMENT, Permission.EXPORT}
    ),
    Role.PSC_MEMBER: frozenset({Permission.VIEW_PROGRAMME, Permission.COMMENT}),
    Role.FINANCE: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.EDIT_COST_RATES,
            Permission.EXPORT,
            Permission.VIEW_AUDIT,
        }
    ),
    Role.ADMIN: frozenset(
        {Permission.VIEW_PROGRAMME, Permission.MANAGE_USERS, Permission.VIEW_AUDIT}
    ),
}


class PermissionDenied(PermissionError):
    """The user's role does not allow this action."""


@dataclass(frozen=True)
class CurrentUser:
    """Who is acting: taken from the database on every request, never from the browser alone."""

    username: str
    name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


SYSTEM = CurrentUser(username="system", name="System", role=Role.ADMIN)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; use one of: {allowed}") from None


def require(user: CurrentUser | None, permission: Permission) -> CurrentUser:
    """Return the user if allowed, else raise PermissionDenied naming the role and action."""
    if user is None:
        raise PermissionDenied("You must be logged in.")
    if not user.can(permission):
        raise PermissionDenied(
            f"Your role ({user.role.label}) does not allow this action ({permission.value})."
        )
    return user
