"""The 项目支出绩效自评表 page: the organizer fills what the system cannot know; the department
adjusts scores (with reasons) and records the 2.3b outcome; everyone who may see the project reads it.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from applications import performance_plan
from applications.models import ExpectedResults
from haidian_contest import rules
from rosters.models import Winner

from .. import self_evaluation as se
from ..models import CertificateRecord
from .common import USER_ERRORS, project, report_error

ROLES = (Role.ORGANIZER, Role.REVIEWER, Role.ADMIN, Role.AUDITOR, Role.APPROVER, Role.FINANCE)


def _certificate_choices(application):
    taken = set(CertificateRecord.objects.filter(application=application).values_list("participant_id", flat=True))
    winners = (Winner.objects.filter(application=application, is_current=True, trade__certifiable=True)
               .select_related("participant", "trade__occupation").order_by("trade__position", "rank", "row_number"))
    return [(w.participant_id, (f"{w.participant.name}（{rules.mask_id_number(w.participant.id_masked)}，"
                                 f"{w.trade.name} {w.get_rank_display()}）"))
            for w in winners if w.participant_id not in taken]


def _shown(evaluation, posted) -> None:
    """What each input shows: the saved entry, or what was typed when saving failed (nothing is lost)."""
    for line in evaluation.lines if evaluation else ():
        pk, entry = line.target.pk, line.entry
        saved = {"actual": "" if entry is None or entry.actual is None else f"{entry.actual.normalize():f}",
                 "evidence": entry.evidence if entry else "", "reason": entry.deviation_reason if entry else "",
                 "step": entry.corrective_step if entry else ""}
        line.shown = {k: posted.get(f"{k}-{pk}", v) for k, v in saved.items()} if posted else saved


def _context(application, user, posted=None) -> dict:
    evaluation = se.self_evaluation(application)
    _shown(evaluation, posted)
    is_owner = user.role == Role.ORGANIZER and application.lead_organization_id == user.organization_id
    can_fill = is_owner and application.state in se.FILL_STATES
    history = list(ExpectedResults.objects.filter(application=application).select_related("decided_by"))
    return {
        "application": application,
        "evaluation": evaluation,
        "can_fill": can_fill,
        "can_adjust": user.role == Role.REVIEWER and application.state in se.ADJUST_STATES,
        "can_decide": user.role == Role.REVIEWER and application.state in se.OUTCOME_STATES and evaluation is not None,
        # Inputs only where the system has no value (the same test save_entries applies).
        "known": {line.target.pk for line in evaluation.lines if line.source == se.SYSTEM} if evaluation else set(),
        "certificates": list(CertificateRecord.objects.filter(application=application)
                             .select_related("participant__trade__occupation", "recorded_by")),
        "certificate_choices": _certificate_choices(application) if can_fill else [],
        "levels": CertificateRecord._meta.get_field("level").choices,
        "outcome": performance_plan.current_expected_results(application),
        "outcome_history": history,
        "outcomes": ExpectedResults.Outcome.choices,
        "scheduled_tranche_2": se.scheduled_tranche_2(application) if evaluation else None,
    }


def _post(request, application) -> None:
    action = request.POST.get("action", "")
    data = request.POST
    if action == "save_entries":
        ids = {int(k.split("-")[1]) for k in data if k.startswith(("actual-", "reason-"))
               if k.split("-")[1].isdigit()}
        rows = {i: {"actual": data.get(f"actual-{i}", ""), "evidence": data.get(f"evidence-{i}", ""),
                    "deviation_reason": data.get(f"reason-{i}", ""), "corrective_step": data.get(f"step-{i}", "")}
                for i in ids}
        se.save_entries(application, actor=request.user, rows=rows)
        messages.success(request, "绩效自评已保存。")
    elif action == "add_certificate":
        participant = data.get("participant", "")
        se.add_certificate(application, actor=request.user,
                           participant_id=int(participant) if participant.isdigit() else 0,
                           certificate_number=data.get("certificate_number", ""), level=data.get("level", ""))
        messages.success(request, "取证记录已登记。")
    elif action == "remove_certificate":
        record = data.get("record", "")
        se.remove_certificate(application, actor=request.user, record_id=int(record) if record.isdigit() else 0)
        messages.success(request, "取证记录已删除。")
    elif action == "adjust":
        target = data.get("target", "")
        se.adjust_score(application, actor=request.user, target_id=int(target) if target.isdigit() else 0,
                        score=data.get("score", ""), reason=data.get("adjust_reason", ""))
        messages.success(request, "得分调整已记录。")
    elif action == "outcome":
        se.record_expected_results(application, actor=request.user, outcome=data.get("outcome", ""),
                                   reason=data.get("outcome_reason", ""),
                                   tranche_2_amount=data.get("tranche_2_amount") or None)
        messages.success(request, "预期效果结论已记录。")
    else:
        messages.error(request, "未知操作。")


@role_required(*ROLES)
def self_evaluation(request, pk):
    application = project(request, pk)
    posted = None
    if request.method == "POST":
        try:
            _post(request, application)
            return redirect("performance:self_evaluation", pk)
        except USER_ERRORS as exc:
            report_error(request, exc)
            posted = request.POST if request.POST.get("action") == "save_entries" else None
    return render(request, "performance/self_evaluation.html", _context(application, request.user, posted))


@role_required(*ROLES)
def self_evaluation_file(request, pk, fmt):
    """The form on its own, as PDF (WeasyPrint) or as xlsx in the union's layout."""
    from ..self_evaluation_files import evaluation_pdf, evaluation_xlsx

    application = project(request, pk)
    evaluation = se.self_evaluation(application)
    if evaluation is None or fmt not in ("pdf", "xlsx"):
        raise Http404("该项目没有绩效目标")
    if fmt == "pdf":
        content, mime = evaluation_pdf(evaluation), "application/pdf"
    else:
        content = evaluation_xlsx(evaluation)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = FileResponse(io.BytesIO(content), as_attachment=True, content_type=mime,
                            filename=f"项目支出绩效自评表_{application.cycle}_{application.pk}.{fmt}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
