"""A JSON picture of an application, frozen at submission, and the difference between two."""

from haidian_contest.formatting import money
from haidian_contest.rules.choices import ORG_TYPE_LABELS

from .models import Application
from .performance_plan import serialize_targets


def _money(value) -> str:
    return f"{value:.2f}" if value is not None else ""


def serialize_application(app: Application) -> dict:
    return {
        "title": app.title,
        "cycle": app.cycle,
        "lead_organization": app.lead_organization.name,
        # The label from the rules module: accounts.Organization.OrgType does not map keys to labels.
        "org_type": ORG_TYPE_LABELS.get(app.lead_organization.org_type, app.lead_organization.org_type),
        "start_date": app.start_date.isoformat() if app.start_date else "",
        "end_date": app.end_date.isoformat() if app.end_date else "",
        "contact_person": app.contact_person,
        "contact_phone": app.contact_phone,
        "plan": {label: value for key, label, value in app.plan_sections()},
        "co_applicants": [
            {"name": c.name, "org_type": c.get_org_type_display(), "credit_code": c.credit_code,
             "contact_person": c.contact_person, "contact_phone": c.contact_phone}
            for c in app.co_applicants.all()
        ],
        "trades": [
            {
                "name": t.name,
                "code": t.code,
                "standard_reference": t.standard_reference,
                "level": t.get_level_display() if t.level else "",
                "certifiable": t.certifiable,
                "category": t.get_category_display(),
                "field": t.get_field_display() if t.field else "",
                "planned_participants": t.planned_participants,
                "venue": t.venue,
                "preliminary_date": t.preliminary_date.isoformat() if t.preliminary_date else "",
                "final_date": t.final_date.isoformat() if t.final_date else "",
                "judging_method": t.judging_method,
                "subsidy_requested": _money(t.subsidy_requested),
                "budget_total": _money(t.budget_total),
                "judges": [
                    {"name": j.name, "employer": j.employer, "title": j.title, "experience": j.experience}
                    for j in t.judges.all()
                ],
                "prizes": [
                    {"rank": p.get_rank_display(), "count": p.count, "amount": _money(p.amount)}
                    for p in t.prize_tiers.all()
                ],
                "budget_lines": [
                    {"item": b.get_item_display(), "description": b.description, "amount": _money(b.amount)}
                    for b in t.budget_lines.all()
                ],
            }
            for t in app.trades.all()
        ],
        "attachments": [
            {"id": a.pk, "kind": a.get_kind_display(), "name": a.original_name, "size": a.size, "sha256": a.sha256}
            for a in app.attachments.all()
            if a.removed_at is None
        ],
        "justifications": dict(app.justifications),
        "performance_targets": serialize_targets(app),
    }


def flatten(data, prefix="") -> dict[str, str]:
    """Nested snapshot → {"工种[1].计划参赛人数": "180", …} for a readable line-by-line diff."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data, 1):
            out.update(flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = "" if data is None else str(data)
    return out


def diff_versions(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(field, before, after) for every value that changed, was added or removed."""
    a, b = flatten(old), flatten(new)
    return [(k, a.get(k, ""), b.get(k, "")) for k in sorted(a.keys() | b.keys()) if a.get(k, "") != b.get(k, "")]


LABELS = {
    "title": "竞赛名称", "cycle": "竞赛年度", "lead_organization": "申报（牵头）单位", "org_type": "单位类型",
    "start_date": "竞赛开始日期", "end_date": "竞赛结束日期", "contact_person": "联系人", "contact_phone": "联系电话",
    "plan": "竞赛方案", "co_applicants": "联合申报单位", "name": "名称", "credit_code": "统一社会信用代码",
    "trades": "工种", "code": "职业编码", "standard_reference": "参照的行业标准", "level": "职业技能等级",
    "certifiable": "取证工种", "category": "类别", "field": "所属领域", "planned_participants": "计划参赛人数",
    "venue": "竞赛场地", "preliminary_date": "初赛日期", "final_date": "决赛日期", "judging_method": "评审方式",
    "subsidy_requested": "申请补助", "budget_total": "总预算", "judges": "评委", "employer": "工作单位",
    "experience": "评审经历", "prizes": "奖项", "rank": "奖项", "count": "获奖人数", "amount": "金额",
    "budget_lines": "预算", "item": "科目", "description": "说明", "attachments": "附件", "kind": "类型",
    "size": "大小", "sha256": "校验值", "justifications": "豁免理由", "id": "编号",
    "performance_targets": "绩效目标", "category_1": "一级指标", "category_2": "二级指标", "comparison": "比较",
    "target_value": "年度指标值", "unit": "计量单位", "points": "分值",
}
# Lists whose rows are better matched by a natural key than by position: removing the first trade
# should not show every later trade as changed.
ROW_KEYS = {"trades": "name", "co_applicants": "name", "judges": "name", "prizes": "rank", "attachments": "name",
            "performance_targets": "name"}


def _keyed(data, parent: str = ""):
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if isinstance(v, list):
                out.update(_keyed(v, k))  # the row keys already name the list
            else:
                out[k] = _keyed(v, k)
        return out
    if isinstance(data, list) and parent in ROW_KEYS:
        out, seen = {}, {}
        for row in data:
            key = str(row.get(ROW_KEYS[parent], "")) if isinstance(row, dict) else str(row)
            seen[key] = seen.get(key, 0) + 1
            out[f"{LABELS.get(parent, parent)}「{key}」" + (f"#{seen[key]}" if seen[key] > 1 else "")] = _keyed(row)
        return out
    if isinstance(data, list):
        return {f"{LABELS.get(parent, parent)}[{i}]": _keyed(v) for i, v in enumerate(data, 1)}
    return data


def _label(path: str) -> str:
    return " › ".join(LABELS.get(part, part) for part in path.split("."))


# Snapshot keys holding an amount (stored as "20000.01"): shown as every page shows money.
MONEY_KEYS = {"subsidy_requested", "budget_total", "amount"}


def readable_diff(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """diff_versions for people: Chinese field names, rows matched by name, booleans as 是/否, money
    grouped by thousands (haidian_contest.formatting)."""
    def show(path: str, value: str) -> str:
        if value and path.rsplit(".", 1)[-1] in MONEY_KEYS:
            return money(value)
        return {"True": "是", "False": "否"}.get(value, value)

    rows = diff_versions(_keyed(old), _keyed(new))
    return [(_label(path), show(path, before), show(path, after)) for path, before, after in rows]
