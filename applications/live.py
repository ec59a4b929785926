"""The rule panel: findings and totals for what is on the page, saved or not.

The edit pages post their unsaved values here while the organizer types. They are read by the same
forms and formsets the page saves with; a value a form refuses (a half-typed number) counts as blank,
so the panel never fails on input and never reads the page differently from 保存.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from haidian_contest import rules

from . import calls
from .evaluation import trade_input
from .forms import BudgetLineFormSet, CoApplicantFormSet, JudgeFormSet, PrizeForm, TradeForm, kept_rows
from .models import Application, Trade

ZERO = Decimal("0.00")
JUSTIFICATION_PREFIX = "justification__"
CATEGORY_LABELS = dict(rules.CATEGORIES)


def to_int(value) -> int:
    try:
        return max(int(str(value).strip().replace(",", "")), 0)
    except (TypeError, ValueError):
        return 0


def posted_justifications(data) -> dict[str, str]:
    # Keys come from the page, so they are bounded: a finding key is short and an application has few.
    found = {k[len(JUSTIFICATION_PREFIX):]: v[:2000] for k, v in data.items()
             if k.startswith(JUSTIFICATION_PREFIX) and len(k) <= 300}
    return dict(list(found.items())[:200])


def input_id(key: str) -> str:
    """A stable DOM id per finding, so the page can keep focus and text across panel refreshes."""
    return "just-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def _parsed(form) -> dict:
    """What the form accepts of the page; a field it refuses (half-typed, out of range) is absent."""
    form.is_valid()
    return form.cleaned_data


def _money(amount: Decimal | None) -> Decimal:
    return (amount or ZERO).quantize(ZERO)


def _rows(formset) -> list[dict]:
    formset.is_valid()
    return kept_rows(formset)


def trade_from_post(data, application: Application | None = None) -> rules.TradeInput:
    """The trade page as typed, parsed by the same forms its 保存 uses (views_edit.trade_edit)."""
    trade = _parsed(TradeForm(data, instance=Trade(application=application)))
    occupation = trade.get("occupation")
    category = trade.get("category") or rules.CATEGORIES[0][0]
    prizes = []
    for rank, _label in rules.PRIZE_RANKS:
        form = PrizeForm(data, rank=rank)
        form.is_valid()
        if row := form.service_row():
            prizes.append(rules.PrizeTier(rank, row["count"], _money(row["amount"])))
    return rules.TradeInput(
        name=occupation.name if occupation else (trade.get("custom_name") or "").strip() or "（未命名工种）",
        category=category,
        certifiable=bool(trade.get("certifiable")),
        planned_participants=trade.get("planned_participants") or 0,
        judges=sum(1 for row in _rows(JudgeFormSet(data, prefix="judges")) if row.get("name")),
        budget=sum((_money(row.get("amount")) for row in _rows(BudgetLineFormSet(data, prefix="budget"))), ZERO),
        subsidy=_money(trade.get("subsidy_requested")),
        occupation_code=occupation.code if occupation else "",
        standard_reference=(trade.get("standard_reference") or "").strip(),
        field=(trade.get("field") or "") if category == "innovative" else "",
        prizes=tuple(prizes),
    )


@dataclass
class TradeTotal:
    name: str
    category: str
    certifiable: bool
    budget: Decimal
    subsidy: Decimal
    share: Decimal | None
    limit: str
    outside_limit: bool
    current: bool = False


@dataclass
class Evaluation:
    findings: list
    rows: list[dict]
    trades: list[TradeTotal]
    budget: Decimal = ZERO
    subsidy: Decimal = ZERO
    certifiable: int = 0
    hard_count: int = 0
    unjustified: int = 0
    error: str = ""
    window: str = ""  # why the year's call refuses a submission now (calls.submission_refusal), whatever the content
    ruleset: rules.RuleSet = field(default_factory=lambda: rules.ruleset_for(date.today()))

    @property
    def total(self) -> int:
        return len(self.trades)

    @property
    def certifiable_share(self) -> Decimal | None:
        return Decimal(self.certifiable) / Decimal(self.total) if self.total else None

    @property
    def subsidy_share(self) -> Decimal | None:
        return self.subsidy / self.budget if self.budget > 0 else None

    @property
    def can_submit(self) -> bool:
        return not self.error and not self.window and self.hard_count == 0 and self.unjustified == 0

    @property
    def content_ok(self) -> bool:
        return not self.error and self.hard_count == 0 and self.unjustified == 0


def _trade_total(t: rules.TradeInput, rs: rules.RuleSet, current: bool) -> TradeTotal:
    share = t.subsidy / t.budget if t.budget > 0 else None
    if t.category == "traditional":
        limit, outside = f"≤ {rs.traditional_subsidy_cap * 100:.0f}%", share is not None and share > rs.traditional_subsidy_cap
    else:
        limit, outside = f"≥ {rs.innovative_subsidy_floor * 100:.0f}%", share is not None and share < rs.innovative_subsidy_floor
    return TradeTotal(t.name, CATEGORY_LABELS[t.category], t.certifiable, t.budget, t.subsidy, share, limit, outside,
                      current)


def evaluate(app_input: rules.ApplicationInput, justifications: dict[str, str], current: int | None = None) -> Evaluation:
    rs = rules.ruleset_for(app_input.submitted_on or date.today())
    trades = [_trade_total(t, rs, i == current) for i, t in enumerate(app_input.trades)]
    try:
        findings = rules.evaluate_application(app_input)
    except (TypeError, ValueError) as exc:  # a value the rules cannot judge yet; the form will refuse it on save
        return Evaluation([], [], trades, error=f"部分数据暂无法校验：{exc}")
    rows = []
    for f in sorted(findings, key=lambda f: f.waivable):
        text = (justifications.get(f.key) or "") if f.waivable else ""
        rows.append({"finding": f, "key": f.key, "justification": text, "input_id": input_id(f.key),
                     "field_name": JUSTIFICATION_PREFIX + f.key, "missing": f.waivable and not text.strip()})
    return Evaluation(
        findings=findings,
        rows=rows,
        trades=trades,
        budget=sum((t.budget for t in app_input.trades), ZERO),
        subsidy=sum((t.subsidy for t in app_input.trades), ZERO),
        certifiable=sum(1 for t in app_input.trades if t.certifiable),
        hard_count=sum(1 for f in findings if not f.waivable),
        unjustified=sum(1 for r in rows if r["missing"]),
        ruleset=rs,
    )


def _app_input(org_type: str, co_count: int, plan: dict[str, str], trades, submitted_on=None) -> rules.ApplicationInput:
    return rules.ApplicationInput(
        trades=tuple(trades),
        organization_type=org_type,
        co_applicant_count=co_count,
        missing_plan_sections=tuple(label for key, label in Application.PLAN_SECTIONS if not (plan.get(key) or "").strip()),
        submitted_on=submitted_on,
    )


def _justifications(application: Application | None, data) -> dict[str, str]:
    saved = dict(application.justifications) if application else {}
    return {**saved, **posted_justifications(data)} if data is not None else saved


def _with_window(evaluation: Evaluation, application: Application | None) -> Evaluation:
    # The panel must not say "可以提交" when the submit guard (call_open) would refuse: a new draft is of
    # this year's cycle, as services.create_application makes it.
    evaluation.window = calls.submission_refusal(application or Application(cycle=timezone.localdate().year)) or ""
    return evaluation


def _submitted_on(application: Application | None):
    # Judged by the measures in force at the first submission, as the submit guard does.
    return application.submitted_at.date() if application and application.submitted_at else None


def for_saved(application: Application, current_trade_id: int | None = None) -> Evaluation:
    """The saved application (loaded with application_with_trades)."""
    plan = {key: getattr(application, key) for key, _label in Application.PLAN_SECTIONS}
    submitted = _submitted_on(application)
    trades = list(application.trades.all())
    current = next((i for i, t in enumerate(trades) if t.pk == current_trade_id), None)
    app_input = _app_input(application.lead_organization.org_type, len(application.co_applicants.all()), plan,
                           [trade_input(t) for t in trades], submitted)
    return _with_window(evaluate(app_input, dict(application.justifications), current), application)


def for_application_page(application: Application | None, organization, data) -> Evaluation:
    """The application page as typed: plan and co-applicants from the page, trades as saved."""
    trades = [trade_input(t) for t in application.trades.all()] if application else []
    co_count = sum(1 for row in _rows(CoApplicantFormSet(data, prefix="co")) if row.get("name"))
    plan = {key: data.get(key, "") for key, _label in Application.PLAN_SECTIONS}
    app_input = _app_input(organization.org_type, co_count, plan, trades, _submitted_on(application))
    return _with_window(evaluate(app_input, _justifications(application, data)), application)


def for_trade_page(application: Application, trade_id: int | None, data) -> Evaluation:
    """The application with the trade being edited replaced by the page's unsaved values."""
    trades, current = [], None
    for t in application.trades.all():
        if t.pk == trade_id:
            current = len(trades)
            trades.append(trade_from_post(data, application))
        else:
            trades.append(trade_input(t))
    if current is None:
        current = len(trades)
        trades.append(trade_from_post(data, application))
    plan = {key: getattr(application, key) for key, _label in Application.PLAN_SECTIONS}
    app_input = _app_input(application.lead_organization.org_type, len(application.co_applicants.all()), plan, trades,
                           _submitted_on(application))
    return _with_window(evaluate(app_input, _justifications(application, data), current), application)
