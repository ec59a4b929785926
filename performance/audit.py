"""The department's decision on the performance-audit materials (4.1, 4.2, 1.5, 1.8).

"Passed" is the workflow state AUDIT_PASSED: funding reads it to release tranche 2; here the pass
also registers the first-prize winners (2.4b) in the same transaction, so neither happens alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.permissions import require_role
from accounts.roles import Role
from applications import workflow_engine
from applications.evaluation import finding_dict
from applications.models import Application

from .evaluation import materials_state
from .models import AuditDecision

DECISIONS = dict(AuditDecision.DECISIONS)
UNION_ROLE_EVIDENCE = {
    "host": "会场显著位置展示区总工会会标及“海淀区总工会主办”字样",
    "co_host": "会场显著位置展示区总工会会标及“海淀区总工会联合主办”字样",
    "support": "落款中署名海淀区总工会（协办）",
}


@dataclass(frozen=True)
class JudgementItem:
    field: str
    clause_label: str
    text: str


def judgement_items(application: Application) -> list[JudgementItem]:
    """What the reviewer confirms by looking (RULES.md: judgement items), worded for this project."""
    evidence = UNION_ROLE_EVIDENCE.get(application.union_role, "区总工会标识或落款（立项时未登记角色，请核对协议）")
    return [
        JudgementItem("banner_confirmed", "四（二）", "现场照片中可见“海淀区职工职业技能竞赛”或类似字样的横幅、易拉宝"),
        JudgementItem("branding_confirmed", "一（五）", evidence),
    ]


def _register_first_prizes(application: Application, user) -> None:
    from rosters.services import register_first_prizes

    register_first_prizes(application=application, actor=user)


def _with_decision(item: dict, late, accepted: bool | None, reason: str) -> dict:
    if late is not None and item["key"] == late.key and accepted is not None:
        item.update(waiver_accepted=accepted, waiver_reason=reason)
    return item


@transaction.atomic
def decide_audit(*, application: Application, actor, decision: str, comment: str = "",
                 banner_confirmed: bool = False, branding_confirmed: bool = False,
                 lateness_accepted: bool | None = None, lateness_reason: str = "") -> AuditDecision:
    """The reviewer's conclusion. Late materials (3.5) are a waivable finding: passing them needs the
    reviewer's acceptance of the organizer's reason, with the reviewer's own reason, on the record."""
    require_role(actor, Role.REVIEWER)
    if decision not in DECISIONS:
        raise ValidationError("请选择审核结论。")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    state = materials_state(locked)
    late = next((f for f in state.findings if f.code == "materials_late"), None)
    lateness_reason = (lateness_reason or "").strip()
    if decision == "audit_pass":
        missing = [i.text for i in judgement_items(locked) if not {"banner_confirmed": banner_confirmed,
                                                                      "branding_confirmed": branding_confirmed}[i.field]]
        if missing:
            raise ValidationError("通过前须确认：" + "；".join(missing))
        workflow_engine.require_date_gate(locked, "audit_pass")
        if state.hard:
            raise ValidationError("材料仍有不可豁免的问题，不能通过：" + "；".join(f.message for f in state.hard))
        if late and lateness_accepted is None:
            raise ValidationError(f"{late.message}：请对逾期提交的豁免申请作出同意或不同意的决定。")
        if late and not lateness_reason:
            raise ValidationError("请填写对逾期提交豁免申请的审核理由。")
        if late and not lateness_accepted:
            raise ValidationError("逾期提交的豁免申请未获同意，不能通过；请退回补充材料或作出不通过结论。")
    change = workflow_engine.perform(application=application, name=decision, actor=actor, comment=comment)
    record = AuditDecision.objects.create(
        application=application,
        decision=decision,
        comment=(comment or "").strip(),
        banner_confirmed=banner_confirmed,
        branding_confirmed=branding_confirmed,
        findings=[_with_decision(finding_dict(f, state.materials.justifications.get(f.key, "")), late,
                                 lateness_accepted, lateness_reason) for f in state.findings],
        status_change=change,
        decided_by=actor,
    )
    if decision == "audit_pass":
        _register_first_prizes(application, actor)
    return record
