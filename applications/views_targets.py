"""The plan's 绩效目标表 page: prefilled from the application, edited like the rest of the plan."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.permissions import role_required
from accounts.roles import Role
from haidian_contest.rules import performance_targets as pt

from . import performance_plan
from .forms_targets import TargetFormSet, initial_rows
from .views_edit import FIX_ERRORS, _editable, _error_text

PREFIX = "targets"


@role_required(Role.ORGANIZER)
def targets_edit(request, pk):
    application, gone = _editable(request, pk)
    if gone:
        return gone
    if request.method == "POST" and request.POST.get("action") == "reset":
        performance_plan.reset_targets(application, actor=request.user)
        messages.success(request, "已按申报内容重新生成系统建议的绩效目标。")
        return redirect("applications:targets", pk=application.pk)
    if request.method == "POST":
        formset = TargetFormSet(request.POST, prefix=PREFIX)
        if formset.is_valid():
            rows = [f.row() for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
            try:
                performance_plan.save_targets(application, actor=request.user, rows=rows)
            except ValidationError as exc:
                messages.error(request, f"绩效目标未保存：{_error_text(exc)}")
            else:
                messages.success(request, "绩效目标已保存。")
                if request.POST.get("action") == "save_back":
                    return redirect("applications:edit", pk=application.pk)
                return redirect("applications:targets", pk=application.pk)
        else:
            messages.error(request, FIX_ERRORS)
    else:
        if performance_plan.fill_if_empty(application):
            messages.info(request, "系统已根据申报内容预填绩效目标，请核对后保存。")
        formset = TargetFormSet(prefix=PREFIX, initial=initial_rows(performance_plan.target_rows(application)))
    ruleset = performance_plan.ruleset_for_application(application)
    weights = [(pt.CATEGORY_1_LABELS[k], v) for k, v in ruleset.performance_weights.items()]
    return render(request, "applications/targets.html", {
        "application": application, "formset": formset, "weights": weights,
        "scoring_rule": pt.scoring_rule(ruleset),
    })
