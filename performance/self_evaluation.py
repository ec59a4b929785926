"""The project's self-evaluation (项目支出绩效自评表): lines, scores, the reviewer's adjustments, and
the department's 2.3b "expected results" outcome that funding reads through applications.

Actual values come from `actuals` wherever the system knows them; the organizer fills the rest
(with evidence) and gives a reason and corrective step for each deviation. Scores follow
rules.performance_targets; a reviewer's adjustment (append-only, with reason) replaces a line's score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.permissions import require_role
from accounts.roles import Role
from applications import performance_plan
from applications.models import Application, ExpectedResults, PerformanceTarget
from haidian_contest.rules import performance_targets as pt
from haidian_contest.workflow import EXECUTION_STATES, State

from . import actuals
from .models import CertificateRecord, EvaluationEntry, ScoreAdjustment

TWO = Decimal("0.01")
# The organizer fills the self-evaluation with the materials; the reviewer adjusts scores while
# auditing and until tranche 2 is paid; the outcome is recorded once the audit has passed.
FILL_STATES = EXECUTION_STATES
ADJUST_STATES = frozenset({State.MATERIALS_SUBMITTED, State.AUDIT_PASSED})
OUTCOME_STATES = frozenset({State.AUDIT_PASSED})
SYSTEM, FILLED = "系统", "填报"


@dataclass
class Line:
    target: PerformanceTarget
    actual: Decimal | None
    source: str            # 系统 / 填报
    source_note: str
    rule_score: Decimal
    entry: EvaluationEntry | None
    adjustments: list[ScoreAdjustment] = field(default_factory=list)
    # False while the evidence cannot exist yet (the event has not happened): neither met nor missed.
    measurable: bool = True

    @property
    def score(self) -> Decimal:
        return self.adjustments[-1].to_score if self.adjustments else self.rule_score

    @property
    def met(self) -> bool:
        return pt.is_met(self.target.comparison, self.target.target_value, self.actual)

    @property
    def deviates(self) -> bool:
        return self.measurable and not self.met

    @property
    def actual_text(self) -> str:
        if not self.measurable:
            return actuals.NOT_YET_TEXT
        if self.actual is None:
            return "未填报"
        return f"{self.actual.normalize():f}{self.target.unit}"

    @property
    def needs_reason(self) -> bool:
        return self.deviates and not (self.entry and self.entry.deviation_reason.strip())

    def as_dict(self) -> dict:
        return {
            "key": self.target.key, "name": self.target.name, "category_1": self.target.category_1_label,
            "category_2": self.target.category_2_label, "target": self.target.target_text,
            "actual": self.actual_text, "source": self.source, "points": self.target.points,
            "score": f"{self.score:.2f}", "rule_score": f"{self.rule_score:.2f}", "met": self.met,
            "measurable": self.measurable,
            "deviation_reason": self.entry.deviation_reason if self.entry else "",
            "corrective_step": self.entry.corrective_step if self.entry else "",
        }


@dataclass
class SelfEvaluation:
    application: Application
    lines: list[Line]
    threshold: Decimal
    scoring_rule: str

    @property
    def total(self) -> Decimal:
        return pt.total_score(line.score for line in self.lines)

    @property
    def reached(self) -> bool:
        return self.total >= self.threshold

    @property
    def findings(self):
        return pt.check_expected_results(self.total, ruleset=performance_plan.ruleset_for_application(self.application))

    @property
    def deviations(self) -> list[Line]:
        return [line for line in self.lines if line.deviates]

    @property
    def missing_reasons(self) -> list[Line]:
        return [line for line in self.lines if line.needs_reason]

    @property
    def by_category(self) -> list[tuple[str, int, Decimal]]:
        out = []
        for key, label in pt.CATEGORY_1:
            lines = [line for line in self.lines if line.target.category_1 == key]
            out.append((label, sum(line.target.points for line in lines), pt.total_score(line.score for line in lines)))
        return out


def self_evaluation(application: Application) -> SelfEvaluation | None:
    """The scored form as it stands now; None for a plan without targets."""
    targets = list(application.performance_targets.all())
    if not targets:
        return None
    system = actuals.system_actuals(application)
    pending = actuals.not_yet_measurable(application)
    entries = {e.target_id: e for e in EvaluationEntry.objects.filter(application=application)}
    adjustments: dict[int, list[ScoreAdjustment]] = {}
    for a in ScoreAdjustment.objects.filter(application=application).select_related("adjusted_by"):
        adjustments.setdefault(a.target_id, []).append(a)
    lines = []
    for target in targets:
        entry = entries.get(target.pk)
        known = system.get(target.key) if target.key else None
        if target.key in pending:
            actual, source, note = None, SYSTEM, actuals.NOT_YET_NOTE
        elif known is not None:
            actual, source, note = known, SYSTEM, actuals.SOURCES[target.key]
        else:
            actual = entry.actual if entry else None
            source, note = FILLED, (entry.evidence if entry else "")
        lines.append(Line(target, actual, source, note,
                          pt.score_line(target.comparison, target.target_value, actual, target.points),
                          entry, adjustments.get(target.pk, []), measurable=target.key not in pending))
    ruleset = performance_plan.ruleset_for_application(application)
    return SelfEvaluation(application, lines, ruleset.expected_results_score, pt.scoring_rule(ruleset))


def system_known(application: Application) -> set[int]:
    """Targets whose actual value the system supplies (the organizer does not type those)."""
    system = actuals.system_actuals(application)
    pending = actuals.not_yet_measurable(application)
    return {t.pk for t in application.performance_targets.all()
            if t.key and (system.get(t.key) is not None or t.key in pending)}


# --- organizer ----------------------------------------------------------------------------------


def _require_organizer(application: Application, actor) -> None:
    require_role(actor, Role.ORGANIZER)
    if application.lead_organization_id != actor.organization_id:
        raise PermissionDenied("只能填报本单位项目的绩效自评。")
    if application.state not in FILL_STATES:
        raise ValidationError(f"项目当前状态为“{application.state.label}”，不能修改绩效自评。")


def _decimal(value, label: str) -> Decimal | None:
    text = str(value if value is not None else "").strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    text = text.rstrip("%％").replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{label}”的实际完成值须为数字，收到“{value}”。") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"“{label}”的实际完成值不能为负数。")
    if number != number.quantize(TWO):
        raise ValidationError(f"“{label}”的实际完成值最多两位小数。")
    return number


@transaction.atomic
def save_entries(application: Application, *, actor, rows: dict[int, dict]) -> list[EvaluationEntry]:
    """The organizer's values: {target id: {actual, evidence, deviation_reason, corrective_step}}.

    A value the system knows is not taken from the form; a filled value needs its evidence.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_organizer(locked, actor)
    targets = {t.pk: t for t in locked.performance_targets.all()}
    known = system_known(locked)
    errors, saved = [], []
    for target_id, row in rows.items():
        target = targets.get(int(target_id))
        if target is None:
            raise ValidationError("指标不属于该项目。")
        try:
            actual = None if target.pk in known else _decimal(row.get("actual"), target.name)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        evidence = (row.get("evidence") or "").strip()
        if actual is not None and not evidence:
            errors.append(f"“{target.name}”填报了实际完成值，请同时说明佐证材料。")
            continue
        entry, _ = EvaluationEntry.objects.get_or_create(application=locked, target=target,
                                                         defaults={"updated_by": actor})
        entry.actual = actual
        entry.evidence = evidence
        entry.deviation_reason = (row.get("deviation_reason") or "").strip()
        entry.corrective_step = (row.get("corrective_step") or "").strip()
        entry.updated_by = actor
        entry.save()
        saved.append(entry)
    if errors:
        raise ValidationError(errors)
    return saved


@transaction.atomic
def add_certificate(application: Application, *, actor, participant_id: int, certificate_number: str,
                    level: str) -> CertificateRecord:
    """One certificate obtained by a winner of a certifiable trade, the person picked from the roster."""
    from rosters.models import Participant

    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_organizer(locked, actor)
    number = (certificate_number or "").strip()
    if not number:
        raise ValidationError("请填写证书编号。")
    if level not in dict(CertificateRecord._meta.get_field("level").choices):
        raise ValidationError("请选择技能等级。")
    participant = (Participant.objects.filter(application=locked, is_current=True, pk=participant_id)
                   .select_related("trade").first())
    if participant is None:
        raise ValidationError("请从本项目参赛名单中选择获证选手。")
    if not participant.awards.filter(is_current=True).exists():
        raise ValidationError(f"{participant.name} 不在获奖名单中：取证人数只统计获奖选手。")
    if not participant.trade.certifiable:
        raise ValidationError(f"{participant.name} 参赛的工种“{participant.trade.name}”不是取证工种。")
    if CertificateRecord.objects.filter(participant=participant).exists():
        raise ValidationError(f"{participant.name} 已登记取证记录。")
    if CertificateRecord.objects.filter(application=locked, certificate_number=number).exists():
        raise ValidationError(f"证书编号“{number}”已登记。")
    return CertificateRecord.objects.create(application=locked, participant=participant,
                                            certificate_number=number, level=level, recorded_by=actor)


@transaction.atomic
def remove_certificate(application: Application, *, actor, record_id: int) -> None:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_organizer(locked, actor)
    deleted, _ = CertificateRecord.objects.filter(application=locked, pk=record_id).delete()
    if not deleted:
        raise ValidationError("取证记录不存在。")


# --- reviewer -----------------------------------------------------------------------------------


@transaction.atomic
def adjust_score(application: Application, *, actor, target_id: int, score, reason: str) -> ScoreAdjustment:
    """The reviewer changes one line's score, on the record with the reason (append-only)."""
    require_role(actor, Role.REVIEWER)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state not in ADJUST_STATES:
        raise ValidationError(f"项目当前状态为“{locked.state.label}”，不能调整绩效自评得分。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("调整得分须写明理由。")
    evaluation = self_evaluation(locked)
    line = next((line for line in evaluation.lines if line.target.pk == int(target_id)), None) if evaluation else None
    if line is None:
        raise ValidationError("指标不属于该项目。")
    new = _decimal(score, line.target.name)
    if new is None or new > line.target.points:
        raise ValidationError(f"“{line.target.name}”的得分须在 0 至 {line.target.points} 分之间。")
    if new == line.score:
        raise ValidationError("调整后的得分与现有得分相同。")
    return ScoreAdjustment.objects.create(application=locked, target=line.target, from_score=line.score,
                                          to_score=new, reason=reason, adjusted_by=actor)


def scheduled_tranche_2(application: Application) -> Decimal | None:
    from funding.selectors import current_agreement

    agreement = current_agreement(application)
    return agreement.tranche_2_amount if agreement else None


@transaction.atomic
def record_expected_results(application: Application, *, actor, outcome: str, reason: str = "",
                            tranche_2_amount=None) -> ExpectedResults:
    """2.3b: after the audit passes, the department records whether the expected results were reached.

    reached: the score is at or above the threshold. Below it, the second tranche needs either the
    department's waiver (paid in full) or a reduced amount, each with a written reason; the reduced
    amount is what finance pays, once, and the rest is never paid.
    """
    require_role(actor, Role.REVIEWER)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.state not in OUTCOME_STATES:
        raise ValidationError(f"项目当前状态为“{locked.state.label}”：绩效审核通过后、拨付剩余资金前才能确认预期效果。")
    evaluation = self_evaluation(locked)
    if evaluation is None:
        raise ValidationError("该项目没有绩效目标，无需确认预期效果。")
    if outcome not in ExpectedResults.Outcome.values:
        raise ValidationError("请选择预期效果结论。")
    reason = (reason or "").strip()
    total, threshold = evaluation.total, evaluation.threshold
    amount = None
    scheduled = scheduled_tranche_2(locked)
    if outcome == ExpectedResults.Outcome.REACHED:
        if total < threshold:
            finding = evaluation.findings[0]
            raise ValidationError(f"{finding.message}。请选择同意豁免或核减剩余资金，并写明理由。")
    else:
        if total >= threshold:
            raise ValidationError(f"绩效自评得分 {total} 分已达到 {threshold.normalize():f} 分，应确认为达到预期效果。")
        if not reason:
            raise ValidationError("未达到预期效果时，豁免或核减剩余资金须写明理由。")
    if outcome == ExpectedResults.Outcome.REDUCED:
        amount = _decimal(tranche_2_amount, "核减后剩余资金")
        if scheduled is None:
            raise ValidationError("该项目尚未登记合作协议，无法核减剩余资金。")
        if amount is None or not Decimal(0) < amount < scheduled:
            raise ValidationError(f"核减后的剩余资金须大于 0 且小于协议约定的 {scheduled:,} 元；全额拨付请选择同意豁免。")
    previous = performance_plan.current_expected_results(locked)
    return ExpectedResults.objects.create(
        application=locked, outcome=outcome, score=total, threshold=threshold, reason=reason,
        tranche_2_amount=amount, scheduled_tranche_2=scheduled,
        lines=[line.as_dict() for line in evaluation.lines],
        supersedes=previous, decided_by=actor,
    )
