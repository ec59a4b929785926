"""A JSON picture of an application, frozen at submission, and the difference between two."""

from .models import Application


def _money(value) -> str:
    return f"{value:.2f}" if value is not None else ""


def serialize_application(app: Application) -> dict:
    return {
        "title": app.title,
        "cycle": app.cycle,
        "lead_organization": app.lead_organization.name,
        "org_type": app.lead_organization.get_org_type_display(),
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
        "justifications": dict(app.justifications),
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
