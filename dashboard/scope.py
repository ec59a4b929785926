"""What the year overview is about: the cycle, the filters, and the pending projects to count in.

One Scope is parsed from the query string and handed to every figure, chart and export, so the
page, its JSON endpoints and the workbook always show the same slice of the year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone

from applications.models import Application
from applications.selectors import visible_applications
from haidian_contest import rules
from haidian_contest.workflow import APPROVED_STATES, State

UNION_ROLES = tuple(Application._meta.get_field("union_role").choices)
UNION_ROLE_LABELS = dict(UNION_ROLES)
ORG_TYPE_LABELS = dict(rules.ORG_TYPES)
# Waiting for 3.1c: the collective decision (待集体决策) or the party group (待党组会审议).
PENDING_STATES = (State.RECOMMENDED, State.PENDING_PARTY)
# A long query string of ids is a mistake or an attack, never a real agenda.
MAX_INCLUDE = 50


@dataclass(frozen=True)
class Scope:
    cycle: int
    org_type: str = ""
    union_role: str = ""
    include: tuple[int, ...] = field(default=())

    @property
    def filtered(self) -> bool:
        """Filters that cut the union's year plan into a part (二（一） is judged on the whole year)."""
        return bool(self.org_type or self.union_role)

    @property
    def org_type_label(self) -> str:
        return ORG_TYPE_LABELS.get(self.org_type, "全部")

    @property
    def union_role_label(self) -> str:
        return UNION_ROLE_LABELS.get(self.union_role, "全部")

    def params(self, *, with_include: bool = True) -> list[tuple[str, str]]:
        out = [("cycle", str(self.cycle))]
        if self.org_type:
            out.append(("org_type", self.org_type))
        if self.union_role:
            out.append(("union_role", self.union_role))
        if with_include:
            out += [("include", str(pk)) for pk in self.include]
        return out

    def querystring(self, *, with_include: bool = True) -> str:
        return urlencode(self.params(with_include=with_include))

    def describe(self) -> str:
        return f"{self.cycle}年度 · 单位类型：{self.org_type_label} · 区总工会角色：{self.union_role_label}"


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def scope_from(params, *, default_cycle: int | None = None) -> Scope:
    """Parse GET parameters; anything unknown falls back to "all" rather than failing the page."""
    today = timezone.localdate()
    fallback = default_cycle or today.year
    cycle = _int(params.get("cycle"), fallback)
    if not 2000 <= cycle <= today.year + 5:
        cycle = fallback
    org_type = params.get("org_type", "")
    union_role = params.get("union_role", "")
    raw = []
    for value in params.getlist("include") if hasattr(params, "getlist") else params.get("include", []):
        raw += str(value).split(",")
    include = []
    for value in raw:
        pk = _int(value)
        if pk is not None and pk > 0 and pk not in include:
            include.append(pk)
    return Scope(
        cycle=cycle,
        org_type=org_type if org_type in ORG_TYPE_LABELS else "",
        union_role=union_role if union_role in UNION_ROLE_LABELS else "",
        include=tuple(include[:MAX_INCLUDE]),
    )


def projects(user, scope: Scope):
    """The submitted projects of the scope this user may see (organizers: their own unit only)."""
    qs = visible_applications(user).filter(cycle=scope.cycle).exclude(status=State.DRAFT)
    if scope.org_type:
        qs = qs.filter(lead_organization__org_type=scope.org_type)
    if scope.union_role:
        qs = qs.filter(union_role=scope.union_role)
    return qs


def approved_projects(user, scope: Scope):
    return projects(user, scope).filter(status__in=APPROVED_STATES)


def pending_projects(user, scope: Scope):
    """Projects that may be counted in "after": still waiting for the collective decision or the group."""
    return projects(user, scope).filter(status__in=PENDING_STATES).order_by("status", "submitted_at", "pk")


def cycles_with_projects(user) -> list[int]:
    return sorted(set(visible_applications(user).exclude(status=State.DRAFT).order_by()
                      .values_list("cycle", flat=True).distinct()), reverse=True)


def cycles(found: list[int]) -> list[int]:
    return sorted(set(found) | {timezone.localdate().year}, reverse=True)


def default_cycle(found: list[int]) -> int:
    """This year once it has projects; before that (January) the latest year that has some."""
    this_year = timezone.localdate().year
    if this_year in found or not found:
        return this_year
    past = [c for c in found if c < this_year]
    return past[0] if past else found[-1]
