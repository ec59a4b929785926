"""Rules of 《海淀区总工会鼓励开展职工职业技能竞赛管理办法（试行）》 as pure functions.

Every ``check_*`` returns a list of :class:`Finding` (empty means compliant) and
takes an optional ``ruleset`` keyword (None → the measures in force today).
Clause ids follow /work/shared/policy/RULES.md. No Django here, by design: the
web apps translate their models into the dataclasses below.
"""

from .application import (
    ApplicationInput,
    PlanSummary,
    PlanTrade,
    PrizeTier,
    TradeInput,
    evaluate_application,
    evaluate_plan,
)
from .base import Finding, chinese_clause
from .choices import CATEGORIES, INNOVATIVE_FIELDS, ORG_TYPES, PRIZE_RANKS
from .conditions import (
    check_certifiable_share,
    check_innovative_field,
    check_judges,
    check_lead_organization,
    check_participants,
    check_trade_standard,
)
from .dates import (
    Schedule,
    TradeDates,
    check_cycle_dates,
    check_event_dates,
    check_materials_on_time,
    check_start_not_passed,
    check_trade_dates,
    chinese_date,
    gate_opens,
    materials_late_days,
)
from .funding import (
    check_approved_above_request,
    check_category_split,
    check_decision_split,
    check_first_tranche_paid_before_start,
    check_prize,
    check_prize_budget,
    check_subsidy_share,
    check_tranche_release,
    check_year_budget,
    split_tranches,
)
from .materials import (
    REPORT_SECTIONS,
    check_photo,
    check_photos,
    check_report,
    check_retention,
    check_video,
    materials_deadline,
    retention_until,
)
from .people import (
    DOCUMENT_LABELS,
    DOCUMENT_TYPES,
    FOREIGN_PR,
    HMT_PERMIT,
    PASSPORT,
    RESIDENT_CARD,
    check_entries,
    check_winners_on_roster,
    id_number_problem,
    is_valid_id_number,
    mask_id_number,
    mask_phone,
)
from .results import check_winners_against_plan
from .ruleset import CURRENT, RULESET_2026, RULESETS, RuleSet, ruleset_for

__all__ = [
    "ApplicationInput", "PlanSummary", "PlanTrade", "PrizeTier", "TradeInput",
    "evaluate_application", "evaluate_plan",
    "Finding", "chinese_clause",
    "CATEGORIES", "INNOVATIVE_FIELDS", "ORG_TYPES", "PRIZE_RANKS", "REPORT_SECTIONS",
    "check_certifiable_share", "check_innovative_field", "check_judges",
    "check_lead_organization", "check_participants", "check_trade_standard",
    "check_approved_above_request", "check_category_split", "check_decision_split", "check_first_tranche_paid_before_start", "check_prize",
    "check_prize_budget", "check_subsidy_share", "check_tranche_release", "check_year_budget",
    "split_tranches",
    "check_photo", "check_photos", "check_report", "check_retention", "check_video",
    "materials_deadline", "retention_until",
    "check_entries", "check_winners_on_roster", "check_winners_against_plan", "id_number_problem", "is_valid_id_number",
    "mask_id_number", "mask_phone",
    "DOCUMENT_LABELS", "DOCUMENT_TYPES", "FOREIGN_PR", "HMT_PERMIT", "PASSPORT", "RESIDENT_CARD",
    "Schedule", "TradeDates", "check_cycle_dates", "check_event_dates", "check_materials_on_time", "check_start_not_passed",
    "check_trade_dates", "chinese_date", "gate_opens", "materials_late_days",
    "CURRENT", "RULESET_2026", "RULESETS", "RuleSet", "ruleset_for",
]
