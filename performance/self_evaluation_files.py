"""The 项目支出绩效自评表 as data (for the auditor's summary and its hash), as PDF and as xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from accounts.exports import safe_cell
from applications import performance_plan
from applications.models import Application, ExpectedResults

from .self_evaluation import SelfEvaluation, self_evaluation


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def evaluation_data(evaluation: SelfEvaluation | None) -> dict | None:
    """JSON-able: the lines, the total, the outcome and its history, the reviewer's adjustments."""
    if evaluation is None:
        return None
    app = evaluation.application
    outcome = performance_plan.current_expected_results(app)
    lines = []
    for n, line in enumerate(evaluation.lines, 1):
        row = line.as_dict()
        row.update(number=n, source_note=line.source_note, evidence=line.entry.evidence if line.entry else "",
                   adjustments=[{"from": f"{a.from_score:.2f}", "to": f"{a.to_score:.2f}", "reason": a.reason,
                                 "by": a.adjusted_by.full_name or a.adjusted_by.username, "at": _moment(a.adjusted_at)}
                                for a in line.adjustments])
        lines.append(row)
    from .models import CertificateRecord

    certificates = [
        {"name": c.participant.name, "id_masked": c.participant.id_masked, "trade": c.participant.trade.name,
         "number": c.certificate_number, "level": c.get_level_display()}
        for c in CertificateRecord.objects.filter(application=app).select_related("participant__trade__occupation")
    ]
    history = [
        {"outcome": e.get_outcome_display(), "score": f"{e.score:.2f}", "reason": e.reason,
         "amount": f"{e.tranche_2_amount:,.2f}" if e.tranche_2_amount is not None else "",
         "scheduled": f"{e.scheduled_tranche_2:,.2f}" if e.scheduled_tranche_2 is not None else "",
         "by": e.decided_by.full_name or e.decided_by.username, "at": _moment(e.decided_at),
         "current": outcome is not None and e.pk == outcome.pk}
        for e in ExpectedResults.objects.filter(application=app).select_related("decided_by")
    ]
    return {
        "title": app.title, "organization": app.lead_organization.name, "cycle": app.cycle,
        "lines": lines, "total": f"{evaluation.total:.2f}", "threshold": f"{evaluation.threshold.normalize():f}",
        "reached": evaluation.reached, "rule": evaluation.scoring_rule,
        "by_category": [{"label": label, "points": points, "score": f"{score:.2f}"}
                        for label, points, score in evaluation.by_category],
        "findings": [f.message for f in evaluation.findings],
        "certificates": certificates, "history": history,
    }


def application_evaluation_data(application: Application) -> dict | None:
    return evaluation_data(self_evaluation(application))


def evaluation_pdf(evaluation: SelfEvaluation) -> bytes:
    from .exports import render_pdf

    return render_pdf("performance/pdf/self_evaluation.html", {"evaluation": evaluation_data(evaluation)})


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "数据来源", "分值", "得分",
           "偏差原因分析", "改进措施"]


def evaluation_xlsx(evaluation: SelfEvaluation) -> bytes:
    """The union's layout of 项目支出绩效自评表: title, project rows, one row per indicator, total."""
    data = evaluation_data(evaluation)
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    ws.append(["项目支出绩效自评表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"（{data['cycle']}年度）"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append(["项目名称", safe_cell(data["title"])])
    ws.append(["实施单位", safe_cell(data["organization"])])
    ws.append(HEADERS)
    header_row = ws.max_row
    for c in ws[header_row]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    miss = PatternFill("solid", fgColor="FCE4D6")
    for line in data["lines"]:
        ws.append([line["category_1"], line["category_2"], safe_cell(line["name"]), safe_cell(line["target"]),
                   safe_cell(line["actual"]), line["source"], line["points"], Decimal(line["score"]),
                   safe_cell(line["deviation_reason"]), safe_cell(line["corrective_step"])])
        if line["measurable"] and not line["met"]:
            for c in ws[ws.max_row]:
                c.fill = miss
    ws.append(["总分", "", "", "", "", "", 100, Decimal(data["total"]),
               "达到预期效果" if data["reached"] else f"未达到 {data['threshold']} 分", ""])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row):
        for c in row:
            c.border = BOX
            c.alignment = Alignment(vertical="center", wrap_text=True, horizontal=c.alignment.horizontal)
    for c in ws["H"][header_row:]:
        c.number_format = "0.00"
    ws.append([])
    ws.append([safe_cell(data["rule"])])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADERS))
    ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True)
    ws.row_dimensions[ws.max_row].height = 48
    for letter, width in zip("ABCDEFGHIJ", (12, 14, 34, 14, 14, 9, 7, 8, 30, 30), strict=True):
        ws.column_dimensions[letter].width = width
    if data["certificates"]:
        sheet = wb.create_sheet("取证名单")
        sheet.append(["姓名", "身份证号（脱敏）", "职业（工种）", "证书编号", "技能等级"])
        for c in sheet[1]:
            c.font = Font(bold=True)
        for cert in data["certificates"]:
            sheet.append([safe_cell(cert["name"]), cert["id_masked"], safe_cell(cert["trade"]),
                          safe_cell(cert["number"]), cert["level"]])
        for letter, width in zip("ABCDE", (12, 22, 24, 22, 16), strict=True):
            sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
