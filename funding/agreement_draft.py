"""合作协议 draft (2.3a): a .docx filled from the approved data for the department to edit and print.

Parties, the approved subsidy per trade and in total (figures and 大写), the two tranches (2.3b) and
the organizer's duties under the measures. Once both sides have signed, the scan is recorded as
before (funding.services.record_agreement); this draft records nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Application
from haidian_contest import documents, rules
from haidian_contest.workflow import APPROVED_STATES
from review.models import ApprovalNotice
from review.services import ruleset_of

CATEGORY_LABELS = dict(rules.CATEGORIES)
BLANK = "＿＿＿＿＿＿"


def agreement_draft_data(application: Application) -> dict:
    """Everything the draft prints, as plain strings."""
    app = Application.objects.select_related("lead_organization").get(pk=application.pk)
    if app.status not in APPROVED_STATES:
        raise ValidationError("党组会批准立项后才能生成合作协议草稿。")
    trades = list(app.trades.select_related("occupation").order_by("position", "id"))
    missing = [t.name for t in trades if t.approved_subsidy is None]
    if missing:
        raise ValidationError("以下工种尚无批准补助金额：" + "、".join(missing))
    total = sum((t.approved_subsidy for t in trades), Decimal("0.00"))
    rs = ruleset_of(application=app)
    notice = ApprovalNotice.objects.filter(application=app).first()
    org = app.lead_organization
    return {
        "title": f"{app.title}合作协议",
        "party_a": documents.ISSUER,
        "party_b": org.name,
        "party_b_code": org.credit_code,
        "party_b_address": org.address or BLANK,
        "party_b_contact": f"{app.contact_person or org.contact_person}　{app.contact_phone or org.contact_phone}",
        "co_applicants": [c.name for c in app.co_applicants.all()],
        "project": app.title,
        "notice": notice.number if notice else "",
        "dates": (f"{documents.chinese_numeral_date(app.start_date)}至{documents.chinese_numeral_date(app.end_date)}"
                  if app.start_date and app.end_date else BLANK),
        "location": app.location or BLANK,
        "trades": [{"name": t.name, "category": CATEGORY_LABELS.get(t.category, t.category),
                    "amount": documents.money(t.approved_subsidy), "capital": documents.capital_amount(t.approved_subsidy)}
                   for t in trades],
        "total": documents.money(total),
        "total_capital": documents.capital_amount(total),
        "union_role": documents.ROLE_LABELS.get(app.union_role, ""),
        "branding": documents.branding_duty(app.union_role),
        "tranches": documents.tranche_schedule(total, ruleset=rs),
        "materials": documents.materials_rule(app.end_date, ruleset=rs),
        "prepared": documents.chinese_numeral_date(timezone.localdate()),
    }


def _clauses(data: dict) -> list[tuple[str, list[str]]]:
    basis = "根据《海淀区总工会鼓励开展职工职业技能竞赛管理办法（试行）》"
    if data["notice"]:
        basis += f"和立项通知书（{data['notice']}）"
    return [
        ("第一条　项目内容", [
            (f"{basis}，甲方支持乙方举办“{data['project']}”（以下简称“竞赛”），竞赛时间为{data['dates']}，"
             f"地点为{data['location']}。乙方按经批准的竞赛方案组织实施。"),
        ]),
        ("第二条　补助金额", [
            (f"甲方对竞赛核定补助资金共计人民币{data['total_capital']}（¥{data['total']}），各职业（工种）补助如下表。"
             "补助资金专款专用，乙方不得挪作他用。"),
        ]),
        ("第三条　拨付方式", [
            "补助资金分两次拨付（二（三））：" + "；".join(
                f"{t['label']}人民币{t['capital']}（¥{t['amount']}），{t['when']}" for t in data["tranches"]) + "。",
            f"乙方收款账户：户名{BLANK}，开户行{BLANK}，账号{BLANK}。",
        ]),
        ("第四条　甲方的权利和义务", [
            "甲方按本协议约定拨付补助资金；甲方工作人员对竞赛全过程进行现场监督（三（三））；甲方对绩效审核材料进行审核。",
        ]),
        ("第五条　乙方的权利和义务", [
            f"（一）{data['branding']}",
            ("（二）参赛职工实行实名制登记，须提供居民身份证号码；获奖人员须在参赛人员名单之内并有参赛记录；"
             "获奖名单报甲方备案（一（七））。同一人员在同一竞赛周期内只能参加一个职业（工种）的比赛（二（四））。"),
            "（三）竞赛全程摄像，决赛全程录像，影像资料至少保存一年（一（八））。",
            "（四）及时向甲方报送媒体报道、信息简报及赛程、主持词等竞赛材料（三（三）、三（四））。",
            f"（五）{data['materials']}",
        ]),
        ("第六条　其他", [
            "本协议未尽事宜，由双方协商解决。本协议一式肆份，甲乙双方各执贰份，自双方签字盖章之日起生效。",
        ]),
    ]


def agreement_draft_docx(data: dict) -> bytes:
    doc = documents.new_document(page_numbers="dash")
    documents.add_title(doc, data["title"])
    documents.add_body(doc, f"协议编号：{BLANK}", indent=False, align="right")
    documents.add_body(doc, f"甲方：{data['party_a']}", indent=False)
    documents.add_body(doc, f"乙方：{data['party_b']}（统一社会信用代码：{data['party_b_code']}）", indent=False)
    documents.add_body(doc, f"乙方地址：{data['party_b_address']}", indent=False)
    documents.add_body(doc, f"乙方联系人及电话：{data['party_b_contact']}", indent=False)
    if data["co_applicants"]:
        documents.add_body(doc, "联合申报单位：" + "、".join(data["co_applicants"]), indent=False)
    for heading, paragraphs in _clauses(data):
        documents.add_heading(doc, heading)
        for text in paragraphs:
            documents.add_body(doc, text)
        if heading.startswith("第二条"):
            rows = [[t["name"], t["category"], t["amount"], t["capital"]] for t in data["trades"]]
            rows.append(["合计", "", data["total"], data["total_capital"]])
            documents.add_table(doc, ["职业（工种）", "类别", "核定补助（元）", "大写"], rows, size_pt=11)
    documents.add_body(doc, "")
    documents.add_table(doc, ["甲方（盖章）", "乙方（盖章）"], [
        [f"{data['party_a']}", f"{data['party_b']}"],
        ["法定代表人或授权代表（签字）：", "法定代表人或授权代表（签字）："],
        ["日期：　　年　　月　　日", "日期：　　年　　月　　日"],
    ], size_pt=14)
    documents.add_body(doc, f"（本草稿由系统于{data['prepared']}根据批准数据生成，签署前请核对。）", indent=False, align="right")
    return documents.docx_bytes(doc)


def draft_filename(application: Application) -> str:
    return f"合作协议草稿_{application.cycle}_{application.pk}.docx"
