"""上会材料: the printed packet the party group reads for one meeting (3.1c).

Cover, table of contents, agenda, the year's plan before and after the agenda (二（一）), then per
project: unit, trades, money, every finding with the organizer's reason and the department's
decision, the reviewer's opinion, the collective decision, the performance targets. Marked
内部资料 注意保存 on every page. No ID number enters the data (none of the records read here holds one).
"""

from __future__ import annotations

from django.utils import timezone

from haidian_contest import documents
from haidian_contest.documents import money
from haidian_contest.formatting import percent

from ..models import CollectiveDecision, Meeting, Review
from ..selectors import WAIVERS_WITH_AUTHORS, meeting_items, meeting_portfolio
from .common import performance_targets_rows, trade_rows

MARKING = "内部资料 注意保存"


def _name(user) -> str:
    return (getattr(user, "full_name", "") or getattr(user, "username", "")) if user else ""


def _pct(share) -> str:
    return percent(share)


def _plan(plan) -> dict:
    return {"total": plan.total, "traditional": plan.traditional, "traditional_share": _pct(plan.traditional_share),
            "innovative": plan.innovative, "certifiable": plan.certifiable,
            "certifiable_share": _pct(plan.certifiable_share), "budget": money(plan.budget),
            "subsidy": money(plan.subsidy)}


def _portfolio(p) -> dict:
    """The review step's own portfolio (review.selectors.portfolio), only written out: no threshold here."""
    return {
        "cycle": p.cycle,
        "limit": documents.percent(p.limit),
        "min_certifiable": documents.percent(p.ruleset.min_certifiable_share),
        "before": _plan(p.before),
        "after": _plan(p.after),
        "year_budget": money(p.year_budget) if p.year_budget is not None else "",
        "left_before": money(p.budget_left_before) if p.year_budget is not None else "",
        "left_after": money(p.budget_left_after) if p.year_budget is not None else "",
        "findings": [f"{f.clause_label} {f.message}" for f in (*p.after.findings, *p.budget_findings)],
    }


def _findings(review: Review | None, item) -> list[dict]:
    rows = []
    if review is not None:
        for w in review.current_waivers():
            rows.append({"clause": w.clause_label, "subject": w.subject, "message": w.message,
                         "justification": w.justification or "（未说明）",
                         "decision": ("同意豁免" if w.accepted else "不同意豁免") + (f"：{w.reason}" if w.reason else ""),
                         "by": "职工发展部"})
    for w in item.group_waivers or []:
        rows.append({"clause": w.get("clause_label", ""), "subject": w.get("subject", ""), "message": w.get("message", ""),
                     "justification": "—", "decision": f"党组会同意：{w.get('reason', '')}", "by": "党组会"})
    return rows


def _project(item, number: int) -> dict:
    app = item.application
    review = (Review.objects.filter(application=app).select_related("reviewer").prefetch_related(WAIVERS_WITH_AUTHORS)
              .order_by("-round").first())
    collective = CollectiveDecision.objects.filter(application=app).order_by("-recorded_at", "-id").first()
    trades, totals = trade_rows(app)
    return {
        "anchor": f"p{number}",
        "number": number,
        "title": app.title,
        "organization": app.lead_organization.name,
        "co_applicants": [c.name for c in app.co_applicants.all()],
        "dates": f"{app.start_date or '—'} 至 {app.end_date or '—'}",
        "contact": app.contact_person,
        "trades": trades,
        "totals": totals,
        "findings": _findings(review, item),
        "opinion": review.opinion if review else "",
        "reviewer": _name(review.reviewer) if review else "",
        "review_outcome": review.get_outcome_display() if review and review.outcome else "",
        "collective": ({"outcome": collective.get_outcome_display(), "date": documents.chinese_numeral_date(collective.date),
                        "note": collective.note} if collective else None),
        "decision": item.get_decision_display(),
        "decided": not item.is_pending,
        "union_role": item.union_role_label,
        "note": item.note,
        "targets": performance_targets_rows(app),
    }


def packet_data(meeting: Meeting) -> dict:
    """Everything the packet prints, as plain strings and lists; the PDF and the .docx both read this."""
    items = meeting_items(meeting)
    return {
        "marking": MARKING,
        "session": meeting.session,
        "date": documents.chinese_numeral_date(meeting.date),
        "projects": [_project(item, n) for n, item in enumerate(items, 1)],
        # The whole agenda counts in "after", whatever the meeting page's projection switches say.
        "portfolio": _portfolio(meeting_portfolio(meeting, [i.application for i in items if i.is_pending])),
        "printed": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def packet_pdf(data: dict) -> bytes:
    return documents.render_pdf("review/documents/packet.html", data)


def packet_filename(meeting: Meeting, ext: str) -> str:
    return f"上会材料_{meeting.date:%Y%m%d}_{meeting.pk}.{ext}"


# ---------------------------------------------------------------- .docx

def _portfolio_table(doc, p: dict) -> None:
    b, a = p["before"], p["after"]
    rows = [
        ["工种总数", str(b["total"]), str(a["total"])],
        [f"传统类（≤ {p['limit']}）", f"{b['traditional']}（{b['traditional_share']}）", f"{a['traditional']}（{a['traditional_share']}）"],
        ["创新类", str(b["innovative"]), str(a["innovative"])],
        [f"取证工种（≥ {p['min_certifiable']}）", f"{b['certifiable']}（{b['certifiable_share']}）", f"{a['certifiable']}（{a['certifiable_share']}）"],
        ["总预算（元）", b["budget"], a["budget"]],
        ["区总工会补助（元）", b["subsidy"], a["subsidy"]],
    ]
    if p["year_budget"]:
        rows.append([f"年度补助预算余额（元，预算 {p['year_budget']}）", p["left_before"], p["left_after"]])
    documents.add_table(doc, ["", "会前（已立项）", "会后（含全部待审议议题）"], rows)
    for line in p["findings"]:
        documents.add_body(doc, f"提示：如批准全部议题，{line}")


def packet_docx(data: dict) -> bytes:
    doc = documents.new_document(marking=data["marking"], page_numbers="of")
    documents.add_title(doc, f"{data['session']}\n上会材料")
    documents.add_body(doc, f"会议日期：{data['date']}", indent=False, align="center")
    documents.add_body(doc, "海淀区总工会职工发展部", indent=False, align="center")
    documents.page_break(doc)

    documents.add_heading(doc, "议题")
    for p in data["projects"]:
        documents.add_body(doc, f"{p['number']}. {p['title']}（{p['organization']}）")
    documents.add_heading(doc, f"{data['portfolio']['cycle']}年度竞赛计划（二（一））")
    _portfolio_table(doc, data["portfolio"])

    for p in data["projects"]:
        documents.page_break(doc)
        documents.add_heading(doc, f"议题{p['number']}：{p['title']}")
        documents.add_body(doc, f"申报单位：{p['organization']}" + (f"；联合申报：{'、'.join(p['co_applicants'])}" if p["co_applicants"] else ""))
        documents.add_body(doc, f"竞赛时间：{p['dates']}")
        documents.add_heading(doc, "一、工种与经费", level=2)
        rows = [[t["name"], t["category"], t["certifiable"], t["budget"], t["requested"], t["share"], t["approved"] or "—"]
                for t in p["trades"]]
        rows.append(["合计", "", "", p["totals"]["budget"], p["totals"]["requested"], "", p["totals"]["approved"] or "—"])
        documents.add_table(doc, ["职业（工种）", "类别", "取证", "预算（元）", "申请补助（元）", "补助占比", "批准补助（元）"], rows, size_pt=10)
        if p["totals"]["approved"]:
            documents.add_body(doc, f"批准补助合计：人民币{p['totals']['approved_capital']}（{p['totals']['approved']} 元）", indent=False)
        documents.add_heading(doc, "二、审核发现与豁免", level=2)
        if p["findings"]:
            documents.add_table(doc, ["条款", "问题", "申报单位理由", "审核决定"],
                                [[f["clause"], f"{f['subject']} {f['message']}".strip(), f["justification"], f["decision"]]
                                 for f in p["findings"]], size_pt=10)
        else:
            documents.add_body(doc, "无需豁免的事项。")
        documents.add_heading(doc, "三、审核意见", level=2)
        documents.add_body(doc, f"{p['opinion'] or '—'}（审核人：{p['reviewer'] or '—'}）")
        documents.add_heading(doc, "四、集体决策", level=2)
        c = p["collective"]
        documents.add_body(doc, f"{c['date']}，{c['outcome']}。{c['note']}" if c else "尚无记录。")
        documents.add_heading(doc, "五、党组会审议", level=2)
        documents.add_body(doc, p["decision"] + (f"；区总工会角色：{p['union_role']}" if p["union_role"] else "")
                           + (f"；{p['note']}" if p["note"] else ""))
        if p["targets"]:
            documents.add_heading(doc, "六、绩效目标", level=2)
            documents.add_table(doc, ["指标", "目标值", "分值"],
                                [[r.get("name", ""), r.get("target", ""), r.get("measure", "")] for r in p["targets"]])

    documents.page_break(doc)
    documents.add_heading(doc, "附：审议全部议题前后的年度计划")
    _portfolio_table(doc, data["portfolio"])
    return documents.docx_bytes(doc)
