"""The roles of the system, declared once.

Each role is a Django group (its Chinese name is what staff see in the admin). Code checks roles
through these constants, never through group names typed elsewhere.
"""

from enum import StrEnum


class Role(StrEnum):
    ORGANIZER = "organizer"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def group_name(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ORGANIZER: "申报单位",
    Role.REVIEWER: "职工发展部",
    Role.APPROVER: "党组",
    Role.FINANCE: "财务",
    Role.AUDITOR: "审计",
    Role.ADMIN: "系统管理员",
}

GROUP_TO_ROLE = {label: role for role, label in ROLE_LABELS.items()}


def role_of(is_superuser: bool, group_names) -> "Role | None":
    """A user's one role: a superuser is a system admin; otherwise the first group that is a role."""
    if is_superuser:
        return Role.ADMIN
    return next((GROUP_TO_ROLE[name] for name in group_names if name in GROUP_TO_ROLE), None)

# Roles whose work needs the full resident ID number (matching, correcting a roster).
ROLES_SEEING_FULL_ID = frozenset({Role.REVIEWER})
# Union staff: may see every unit's projects (read access differs by step).
STAFF_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
