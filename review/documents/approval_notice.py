"""立项通知书 (3.2): the department's notice to the organizer after the party group approves a project.

Its 发文字号 (e.g. 海工发〔2026〕3号) is given once, when the department first issues it: the
per-year counter row is locked, so two issues at once get two numbers and a second issue of the same
project returns the first one. The text is built from the approved data each time it is downloaded.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.models import Application
from haidian_contest import documents
from haidian_contest.workflow import APPROVED_STATES

from ..models import AgendaItem, ApprovalNotice, NoticeSequence
from ..selectors import decision_dates
from ..services import ruleset_of
from .common import performance_targets_rows, trade_rows


def notice_number(year: int, sequence: int) -> str:
    return f"{settings.NOTICE_NUMBER_PREFIX}〔{year}〕{sequence}号"


def issue_notice(*, actor, application: Application) -> ApprovalNotice:
    """Give the project its 发文字号 and record who issued it, once; a reissue returns the same notice."""
    require_role(actor, Role.REVIEWER)
    try:
        with transaction.atomic():
            app = Application.objects.select_for_update().get(pk=application.pk)
            existing = ApprovalNotice.objects.filter(application=app).first()
            if existing:
                return existing
            if app.status not in APPROVED_STATES:
                raise ValidationError(f"项目当前状态为“{app.status_label}”，党组会批准立项后才能签发立项通知书。")
            workflow_engine.require_order("issue_notice", decision_dates(app), timezone.localdate())
            year = timezone.localdate().year
            NoticeSequence.objects.get_or_create(year=year)
            counter = NoticeSequence.objects.select_for_update().get(year=year)
            counter.last += 1
            counter.save(update_fields=["last"])
            return ApprovalNotice.objects.create(
                application=app, year=year, sequence=counter.last, number=notice_number(year, counter.last),
                issued_by=actor,
            )
    except IntegrityError:
        # Another request issued this project's notice between our read and our insert: theirs stands.
        existing = ApprovalNotice.objects.filter(application=application).first()
        if existing is None:
            raise
        return existing


def notice_data(notice: ApprovalNotice) -> dict:
    """Everything the notice prints, as plain strings; the PDF and the .docx both read this."""
    app = Application.objects.select_related("lead_organization").get(pk=notice.application_id)
    item = (AgendaItem.objects.filter(application=app, decision=AgendaItem.Decision.APPROVED)
            .select_related("meeting").order_by("-decided_at", "-id").first())
    trades, totals = trade_rows(app)
    rs = ruleset_of(application=app)
    total = totals["approved_value"]
    return {
        "number": notice.number,
        "issuer": documents.ISSUER,
        "title": f"关于同意“{app.title}”立项的通知",
        "addressee": app.lead_organization.name,
        "project": app.title,
        "co_applicants": [c.name for c in app.co_applicants.all()],
        "meeting": item.meeting.session if item else "党组会",
        "meeting_date": documents.chinese_numeral_date(item.meeting.date) if item else "",
        "dates": (f"{documents.chinese_numeral_date(app.start_date)}至{documents.chinese_numeral_date(app.end_date)}"
                  if app.start_date and app.end_date else ""),
        "trades": [t for t in trades if t["approved"]],
        "total": totals["approved"],
        "total_capital": totals["approved_capital"],
        "union_role": documents.ROLE_LABELS.get(app.union_role, ""),
        "branding": documents.branding_duty(app.union_role),
        "tranches": documents.tranche_schedule(total, ruleset=rs) if total is not None else [],
        "materials": documents.materials_rule(app.end_date, ruleset=rs),
        "targets": performance_targets_rows(app),
        "date": documents.chinese_numeral_date(timezone.localtime(notice.issued_at).date()),
    }


def body_paragraphs(data: dict) -> list[tuple[str, str]]:
    """The notice's running text in order, as (kind, text): kind "p" a paragraph, "h" a heading,
    "trades"/"tranches"/"targets" where that table goes. One list, so PDF and .docx say the same."""
    intro = (f"你单位报送的《{data['project']}》申报材料收悉。经区总工会职工发展部可行性审核和集体决策程序，"
             f"并经{data['meeting']}{'（' + data['meeting_date'] + '）' if data['meeting_date'] else ''}审议，"
             "同意该竞赛立项。现将有关事项通知如下：")
    out = [("p", intro), ("h", "一、补助资金"),
           ("p", f"区总工会对该竞赛核定补助资金共计人民币{data['total_capital']}（{data['total']}元），各职业（工种）补助如下："),
           ("trades", ""),
           ("h", "二、区总工会角色"), ("p", data["branding"]),
           ("h", "三、资金拨付"),
           ("p", "双方签订合作协议后，补助资金分两次拨付（二（三））："),
           ("tranches", ""),
           ("h", "四、绩效审核材料"), ("p", data["materials"])]
    n = 5
    if data["targets"]:
        out += [("h", "五、绩效目标"), ("targets", "")]
        n = 6
    numerals = {5: "五", 6: "六"}
    out += [("h", f"{numerals[n]}、其他要求"),
            ("p", ("请按批准的竞赛方案组织实施。参赛职工实行实名制登记，获奖人员须在参赛名单之内；竞赛全程摄像、决赛全程录像，"
                   "影像资料至少保存一年；区总工会工作人员将全程监督，请及时报送媒体报道、信息简报及赛程、主持词等材料"
                   "（一（七）、一（八）、三（三）、三（四））。"))]
    return out


def notice_pdf(data: dict) -> bytes:
    return documents.render_pdf("review/documents/approval_notice.html", {**data, "body": body_paragraphs(data)})


def notice_filename(notice: ApprovalNotice, ext: str) -> str:
    return f"立项通知书_{notice.year}_{notice.sequence}.{ext}"


def notice_docx(data: dict) -> bytes:
    doc = documents.new_document(page_numbers="dash")
    documents.add_masthead(doc, f"{data['issuer']}文件", data["number"])
    documents.add_title(doc, data["title"])
    documents.add_body(doc, f"{data['addressee']}：", indent=False)
    for kind, text in body_paragraphs(data):
        if kind == "p":
            documents.add_body(doc, text)
        elif kind == "h":
            documents.add_heading(doc, text)
        elif kind == "trades":
            rows = [[t["name"], t["category"], t["certifiable"], t["budget"], t["approved"], t["approved_capital"]]
                    for t in data["trades"]]
            rows.append(["合计", "", "", "", data["total"], data["total_capital"]])
            documents.add_table(doc, ["职业（工种）", "类别", "取证", "总预算（元）", "核定补助（元）", "大写"], rows, size_pt=11)
        elif kind == "tranches":
            documents.add_table(doc, ["批次", "金额（元）", "大写", "拨付条件"],
                                [[t["label"], t["amount"], t["capital"], t["when"]] for t in data["tranches"]], size_pt=11)
        elif kind == "targets":
            documents.add_table(doc, ["指标", "目标值", "分值"],
                                [[r.get("name", ""), r.get("target", ""), r.get("measure", "")] for r in data["targets"]])
    documents.add_signoff(doc, data["issuer"], data["date"])
    return documents.docx_bytes(doc)
