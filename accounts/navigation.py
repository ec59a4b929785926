"""Who sees which menu entry, and where each role lands after login."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset

    @property
    def url(self) -> str:
        return _reverse(self.url_name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=128)
def _reverse(name: str, prefix: str, urlconf) -> str:
    # Every page's menu: ~15 fixed URLs, the same for a given URLconf and prefix (both in the key).
    return reverse(name, urlconf=urlconf)


R = Role
NAV_ITEMS = (
    NavItem("我的申报", "applications:list", frozenset({R.ORGANIZER})),
    NavItem("新建申报", "applications:create", frozenset({R.ORGANIZER})),
    NavItem("申报通知", "applications:calls", frozenset(R)),
    NavItem("可行性审核", "review:queue", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("集体决策", "review:collective", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("党组会", "review:meetings", frozenset({R.APPROVER, R.REVIEWER, R.ADMIN})),
    NavItem("资金拨付", "funding:queue", frozenset({R.FINANCE, R.REVIEWER, R.ADMIN})),
    NavItem("资金台账", "funding:ledger", frozenset({R.FINANCE, R.REVIEWER, R.APPROVER, R.AUDITOR, R.ADMIN})),
    NavItem("绩效审核", "performance:audit_queue", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("一等奖名录", "rosters:first_prize_register", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("公示异议", "rosters:objections", frozenset({R.REVIEWER})),
    NavItem("全部项目", "applications:list", frozenset({R.REVIEWER, R.APPROVER, R.FINANCE, R.AUDITOR, R.ADMIN})),
    NavItem("职业目录", "applications:catalogue", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("单位注册审核", "accounts:registrations", frozenset({R.REVIEWER})),
    NavItem("单位管理", "accounts:units", frozenset({R.REVIEWER, R.ADMIN})),
    NavItem("本单位账号", "accounts:unit_accounts", frozenset({R.ORGANIZER})),
    NavItem("用户管理", "accounts:users", frozenset({R.ADMIN})),
    NavItem("年度概览", "dashboard:overview", frozenset({R.REVIEWER, R.APPROVER, R.FINANCE, R.AUDITOR, R.ADMIN})),
    NavItem("搜索", "dashboard:search", frozenset(R)),
)

ROLE_HOME = {
    R.ORGANIZER: "applications:list",
    R.REVIEWER: "review:queue",
    R.APPROVER: "review:meetings",
    R.FINANCE: "funding:queue",
    R.AUDITOR: "applications:list",
    R.ADMIN: "accounts:users",
}


def items_for(user) -> list[NavItem]:
    role = getattr(user, "role", None)
    return [item for item in NAV_ITEMS if role in item.roles]
