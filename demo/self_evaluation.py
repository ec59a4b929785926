"""Scenario A's performance targets and self-evaluation (issue 17), played through the services.

The plan's targets: the system's proposal plus one of the park's own (带动企业技能人才培养人数),
points moved from the media indicator. At the materials: spending as budgeted, two media pieces,
certificates for 48 of the 54 winners (6 sit the exam next year: a deviation with its reason), the
satisfaction survey's result filled in with its evidence. After the audit: the outcome.
"""

from __future__ import annotations

from decimal import Decimal

from applications import performance_plan
from applications.models import Application


def plan_targets(app: Application, organizer) -> None:
    performance_plan.fill_if_empty(app)
    rows = performance_plan.target_rows(app)
    for row in rows:
        if row["key"] == "media_reports":
            row["points"] = 5
    rows.append({"key": "", "category_1": "effect", "category_2": "sustainable", "name": "带动企业技能人才培养人数",
                 "comparison": "ge", "target_value": Decimal(100), "unit": "人", "points": 5})
    performance_plan.save_targets(app, actor=organizer, rows=rows)


def fill_self_evaluation(app: Application, organizer, pdf_upload) -> None:
    from performance import self_evaluation as se
    from performance import services as perf
    from rosters.models import Winner

    perf.save_spending(application=app, actor=organizer, rows={line.pk: (str(line.amount), "") for trade in app.trades.all()
                                        for line in trade.budget_lines.all()})
    perf.add_event_document(application=app, actor=organizer, kind="media_report", title="《海淀报》：园区职工技能竞赛决赛举行",
                            upload=pdf_upload("海淀报报道.pdf"))
    perf.add_event_document(application=app, actor=organizer, kind="briefing", title="竞赛信息简报（第3期）",
                            upload=pdf_upload("信息简报第3期.pdf"))
    winners = list(Winner.objects.filter(application=app, is_current=True, trade__certifiable=True)
                   .order_by("trade__position", "rank", "row_number"))
    for n, winner in enumerate(winners[:48], 1):
        se.add_certificate(app, actor=organizer, participant_id=winner.participant_id,
                           certificate_number=f"S1101082026{n:05d}", level="3" if winner.rank == 1 else "4")
    targets = {t.key or t.name: t for t in app.performance_targets.all()}
    se.save_entries(app, actor=organizer, rows={
        targets["satisfaction"].pk: {"actual": "96.4", "evidence": "赛后现场问卷 412 份，满意及非常满意 397 份"},
        targets["带动企业技能人才培养人数"].pk: {
            "actual": "126", "evidence": "园区 18 家企业报送的技能人才培养名单（加盖公章）"},
        targets["certified_winners"].pk: {
            "deviation_reason": "6 名获奖选手因工作调动未能参加当期技能等级认定",
            "corrective_step": "已为其报名 2027 年第一期认定，取证后补报证书编号"},
    })


def record_outcome(app: Application, reviewer) -> None:
    from performance import self_evaluation as se

    evaluation = se.self_evaluation(app)
    if evaluation is None:
        return
    if evaluation.reached:
        se.record_expected_results(app, actor=reviewer, outcome="reached")
    else:
        se.record_expected_results(app, actor=reviewer, outcome="waived",
                                   reason="竞赛组织规范，个别指标受客观因素影响，同意全额拨付剩余资金。")
