"""The plan's 绩效目标表: proposed from the application, edited by the organizer, checked at submission;
and the reads of the 2.3b "expected results" outcome that funding and the pages share.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from haidian_contest import rules
from haidian_contest.rules import performance_targets as pt

from .models import Application, ExpectedResults, PerformanceTarget

ZERO = Decimal("0.00")


def ruleset_for_application(application: Application) -> rules.RuleSet:
    """The measures the project is judged by: those in force when it was (first) submitted."""
    from django.utils import timezone

    day = timezone.localtime(application.submitted_at).date() if application.submitted_at else timezone.localdate()
    return rules.ruleset_for(day)


def _subsidy(trades) -> Decimal:
    """The approved subsidy once the party group has decided every trade, the requested one before."""
    if trades and all(t.approved_subsidy is not None for t in trades):
        return sum((t.approved_subsidy for t in trades), ZERO)
    return sum((t.subsidy_requested or ZERO for t in trades), ZERO)


def plan_figures(application: Application) -> pt.PlanFigures:
    trades = list(application.trades.prefetch_related("prize_tiers"))
    return pt.PlanFigures(
        planned_participants=sum(t.planned_participants or 0 for t in trades),
        trades=len(trades),
        certifiable_trades=sum(1 for t in trades if t.certifiable),
        certifiable_winner_places=sum(p.count for t in trades if t.certifiable for p in t.prize_tiers.all()),
        subsidy=_subsidy(trades),
    )


def proposed_rows(application: Application) -> list[dict]:
    """The system's indicators with targets from the application, as rows of the edit form."""
    return [
        {"key": i.key, "category_1": i.category_1, "category_2": i.category_2, "name": i.name,
         "comparison": i.comparison, "target_value": i.target, "unit": i.unit, "points": i.points}
        for i in pt.propose_targets(plan_figures(application), ruleset=ruleset_for_application(application))
    ]


def target_rows(application: Application) -> list[dict]:
    return [
        {"key": t.key, "category_1": t.category_1, "category_2": t.category_2, "name": t.name,
         "comparison": t.comparison, "target_value": t.target_value, "unit": t.unit, "points": t.points}
        for t in application.performance_targets.all()
    ]


def problems(rows: list[dict], application: Application) -> list[str]:
    """Why a table of targets cannot stand (Chinese), empty when it can."""
    errors = pt.points_problems([(r["category_1"], r["category_2"], int(r["points"])) for r in rows],
                                ruleset=ruleset_for_application(application))
    keys = [r["key"] for r in rows if r.get("key")]
    for key in pt.SYSTEM_KEYS:
        if key not in keys:
            errors.append(f"系统建议的指标“{pt.SYSTEM_INDICATORS[key][2]}”不能删除（可调整指标值和分值）。")
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"系统指标“{pt.SYSTEM_INDICATORS[key][2]}”重复出现。")
    for r in rows:
        if not (r.get("name") or "").strip():
            errors.append("每项指标须填写指标名称。")
            break
    return errors


def _write(application: Application, rows: list[dict]) -> None:
    application.performance_targets.all().delete()
    PerformanceTarget.objects.bulk_create([
        PerformanceTarget(application=application, order=n, key=r.get("key") or "", category_1=r["category_1"],
                          category_2=r["category_2"], name=r["name"].strip(), comparison=r["comparison"],
                          target_value=Decimal(r["target_value"]), unit=(r.get("unit") or "").strip(),
                          points=int(r["points"]))
        for n, r in enumerate(rows, 1)
    ])


def fill_if_empty(application: Application) -> bool:
    """Prefill the proposed targets when the plan has none yet (on opening the section, or at submission)."""
    if application.performance_targets.exists():
        return False
    _write(application, proposed_rows(application))
    return True


@transaction.atomic
def save_targets(application: Application, *, actor, rows: list[dict]) -> None:
    """The organizer's 绩效目标表, replaced as a whole while the plan is editable."""
    from .services import _require_own_editable

    _require_own_editable(application, actor)
    errors = problems(rows, application)
    if errors:
        raise ValidationError(errors)
    _write(application, rows)
    application.save(update_fields=["updated_at"])


@transaction.atomic
def reset_targets(application: Application, *, actor) -> None:
    """Back to the system's proposal, recomputed from the application as it stands now."""
    from .services import _require_own_editable

    _require_own_editable(application, actor)
    _write(application, proposed_rows(application))
    application.save(update_fields=["updated_at"])


def follow_approved_amounts(application: Application) -> None:
    """Recompute the targets derived from the subsidy from the amounts the party group approved.

    A target such as 人均补助 ≤ x元/人 promised on the requested amount would otherwise go on being
    printed in the notice and scored at the audit after the group cut (or raised) it. The divisor
    stays the organizer's own participant target.
    """
    trades = list(application.trades.all())
    if not trades or any(t.approved_subsidy is None for t in trades):
        return
    rows = {t.key: t for t in application.performance_targets.filter(key__in=(*pt.SUBSIDY_DERIVED_KEYS, "participants"))}
    line = rows.get("subsidy_per_participant")
    if line is None:
        return
    if "participants" in rows:
        line.target_value = pt.subsidy_per_participant_target(_subsidy(trades), rows["participants"].target_value)
    else:
        line.target_value = next(r["target_value"] for r in proposed_rows(application)
                                 if r["key"] == "subsidy_per_participant")
    line.save(update_fields=["target_value"])


def serialize_targets(application: Application) -> list[dict]:
    """For the submitted version (snapshot) and its diff."""
    return [
        {"name": t.name, "category_1": t.category_1_label, "category_2": t.category_2_label,
         "comparison": t.sign, "target_value": f"{t.target_value:.2f}", "unit": t.unit, "points": t.points}
        for t in application.performance_targets.all()
    ]


# --- 2.3b expected results (read by funding) ---------------------------------------------------


def current_expected_results(application: Application) -> ExpectedResults | None:
    """The outcome in force: the latest of the chain (none until the department records one)."""
    return (ExpectedResults.objects.filter(application_id=application.pk, superseded_by__isnull=True)
            .select_related("decided_by").first())


def expected_results_by_application(ids) -> dict[int, ExpectedResults]:
    return {e.application_id: e for e in ExpectedResults.objects.filter(application_id__in=list(ids),
                                                                         superseded_by__isnull=True)}


def applications_with_targets(ids) -> set[int]:
    return set(PerformanceTarget.objects.filter(application_id__in=list(ids))
               .values_list("application_id", flat=True).distinct())


def needs_expected_results(application: Application) -> bool:
    """A plan with targets is judged on them before tranche 2; one submitted before targets existed is not."""
    return application.performance_targets.exists()
