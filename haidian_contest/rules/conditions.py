"""一、申报条件 checks that look at one application or one trade (1.1, 1.2, 1.4, 1.6, 1.7) and 2.2."""

from __future__ import annotations

from decimal import Decimal

from .base import Finding, hard, limit_percent, percent, quantity, waivable
from .choices import FIELD_LABELS, INNOVATIVE, ORG_TYPE_LABELS, require_category
from .ruleset import RuleSet, resolve


def check_lead_organization(
    org_type: str, co_applicant_count: int, *, ruleset: RuleSet | None = None
) -> list[Finding]:
    """1.1: a social organisation is too small to host, so it cannot be the lead applicant.

    ``ruleset`` is accepted for a uniform signature; 1.1 has no threshold.
    """
    if org_type not in ORG_TYPE_LABELS:
        raise ValueError(f"unknown organization type {org_type!r}")
    quantity(co_applicant_count, "co_applicant_count")
    if org_type == "social_org":
        return [hard(
            "1.1", "social_org_cannot_lead",
            "社会组织不能作为牵头申报单位，须依托所属基层工会、相关行业主管部门或街镇联合申报",
        )]
    return []


def check_trade_standard(occupation_code: str, standard_reference: str, *,
                         ruleset: RuleSet | None = None) -> list[Finding]:
    """1.2: a trade outside the 2022 classification must cite the industry standard defining it."""
    if occupation_code.strip() or standard_reference.strip():
        return []
    return [hard(
        "1.2", "standard_missing",
        "非标准职业（工种）须注明所参照的行业标准（竞赛项目名称、考核标准和竞赛内容）",
    )]


def check_innovative_field(category: str, field: str, *,
                           ruleset: RuleSet | None = None) -> list[Finding]:
    """2.2: an innovative trade must say which of the three key fields it serves."""
    if require_category(category) != INNOVATIVE:
        return []
    if not field:
        return [hard("2.2", "field_missing",
                     "创新类职业（工种）须注明所属领域：" + "、".join(FIELD_LABELS.values()))]
    if field not in FIELD_LABELS:
        return [hard("2.2", "field_invalid",
                     f"创新类职业（工种）所属领域“{field}”不在"
                     + "、".join(FIELD_LABELS.values()) + "之内")]
    return []


def check_certifiable_share(certifiable: int, total: int, *,
                            ruleset: RuleSet | None = None) -> list[Finding]:
    """1.4: certificate-bearing trades are at least the minimum share of one organizer's trades."""
    rs = resolve(ruleset)
    quantity(certifiable, "certifiable")
    quantity(total, "total")
    if certifiable > total:
        raise ValueError("certifiable trades cannot outnumber all trades")
    # No trades is reported by evaluate_application (3.1a), not as a 0% share.
    if total == 0 or certifiable >= rs.min_certifiable_share * total:
        return []
    share = Decimal(certifiable) / Decimal(total)
    return [waivable(
        "1.4", "certifiable_share_low",
        f"取证工种占比 {percent(share, against=rs.min_certifiable_share)}（{certifiable}/{total}），"
        f"低于 {limit_percent(rs.min_certifiable_share)}",
    )]


def check_judges(count: int, *, ruleset: RuleSet | None = None) -> list[Finding]:
    """1.6: at least the minimum number of experts or senior technicians judge on site."""
    rs = resolve(ruleset)
    if quantity(count, "judges") >= rs.min_judges:
        return []
    return [waivable("1.6", "too_few_judges",
                     f"现场评审专家或高级技术人员 {count} 名，少于 {rs.min_judges} 名")]


def check_participants(count: int, *, ruleset: RuleSet | None = None) -> list[Finding]:
    """1.7: at least the minimum number of participants per competition."""
    rs = resolve(ruleset)
    if quantity(count, "participants") >= rs.min_participants:
        return []
    if count == 0:
        # Nobody taking part is not a shortfall a reason could excuse: the plan is not filled in.
        return [hard("1.7", "participants_missing", "未填写计划参赛人数（须至少 1 人）")]
    return [waivable("1.7", "too_few_participants",
                     f"参赛人数 {count} 人，少于 {rs.min_participants} 人")]
