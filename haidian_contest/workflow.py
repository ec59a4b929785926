"""The project's workflow, declared once: states, transitions, who may take each, and its guards.

Pure Python (no Django) so views, templates, services and tests all read the same table. The
engine that applies a transition (permission, guards, audit record, notifications) is
``applications.workflow_engine``; guards are named here and implemented by the app that owns the
data they look at (registered at start-up), so this table stays the single description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from haidian_contest import rules


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    RECOMMENDED = "recommended"
    PENDING_PARTY = "pending_party"
    APPROVED = "approved"
    NOT_APPROVED = "not_approved"
    AGREEMENT_SIGNED = "agreement_signed"
    IN_PROGRESS = "in_progress"
    MATERIALS_SUBMITTED = "materials_submitted"
    AUDIT_RETURNED = "audit_returned"
    AUDIT_PASSED = "audit_passed"
    AUDIT_FAILED = "audit_failed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.UNDER_REVIEW: "可行性审核中",
    State.RETURNED: "退回修改",
    State.REJECTED: "不予通过",
    State.RECOMMENDED: "待集体决策",
    State.PENDING_PARTY: "待党组会审议",
    State.APPROVED: "已立项",
    State.NOT_APPROVED: "未立项",
    State.AGREEMENT_SIGNED: "已签协议",
    State.IN_PROGRESS: "竞赛实施中",
    State.MATERIALS_SUBMITTED: "绩效材料已提交",
    State.AUDIT_RETURNED: "绩效材料退回补充",
    State.AUDIT_PASSED: "绩效审核通过",
    State.AUDIT_FAILED: "绩效审核不通过",
    State.CLOSED: "已结项",
}

STATE_CHOICES = [(s.value, s.label) for s in State]

# Terminal: no transition leaves them. CLOSED (已结项) is not one: finance may still reverse the
# second tranche (reverse_tranche_2), which reopens the project at AUDIT_PASSED.
FINAL_STATES = frozenset({State.REJECTED, State.NOT_APPROVED, State.AUDIT_FAILED})
# Editable by the organizer (the application form).
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# Approved projects (立项) and everything after: counted in the year's plan.
APPROVED_STATES = frozenset(
    {
        State.APPROVED,
        State.AGREEMENT_SIGNED,
        State.IN_PROGRESS,
        State.MATERIALS_SUBMITTED,
        State.AUDIT_RETURNED,
        State.AUDIT_PASSED,
        State.AUDIT_FAILED,
        State.CLOSED,
    }
)
# Where performance materials may be uploaded by the organizer.
EXECUTION_STATES = frozenset({State.IN_PROGRESS, State.AUDIT_RETURNED})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[State]
    target: State
    role: str  # accounts.roles.Role value
    label: str  # the button text
    comment_required: bool = False
    guards: tuple[str, ...] = ()
    style: str = "primary"  # Bootstrap colour of the button


def _t(name, sources, target, role, label, **kw) -> Transition:
    if isinstance(sources, State):
        sources = {sources}
    return Transition(name, frozenset(sources), target, role, label, **kw)


S = State
TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        # 3.1a: the organizer submits; blocked by a hard finding or an unjustified waivable one.
        _t("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, "organizer", "提交申报", guards=("application_complete", "call_open")),
        # 3.1b: feasibility review by the development department.
        _t("start_review", S.SUBMITTED, S.UNDER_REVIEW, "reviewer", "开始审核"),
        _t("return_for_revision", S.UNDER_REVIEW, S.RETURNED, "reviewer", "退回修改", comment_required=True, style="warning"),
        _t("reject", S.UNDER_REVIEW, S.REJECTED, "reviewer", "不予通过", comment_required=True, style="danger"),
        _t("recommend", S.UNDER_REVIEW, S.RECOMMENDED, "reviewer", "审核通过，提交集体决策", guards=("review_complete",), style="success"),
        # 3.1c: the collective decision procedure, then the party group.
        _t("collective_approve", S.RECOMMENDED, S.PENDING_PARTY, "reviewer", "集体决策通过，提交党组会", style="success"),
        _t("collective_reject", S.RECOMMENDED, S.NOT_APPROVED, "reviewer", "集体决策不通过", comment_required=True, style="danger"),
        # 3.2: 立项.
        _t("party_approve", S.PENDING_PARTY, S.APPROVED, "approver", "党组会批准立项", guards=("party_decision_recorded",), style="success"),
        _t("party_reject", S.PENDING_PARTY, S.NOT_APPROVED, "approver", "党组会不予立项", comment_required=True, style="danger"),
        # 2.3a / 2.3b: agreement, then the two tranches.
        _t("sign_agreement", S.APPROVED, S.AGREEMENT_SIGNED, "reviewer", "登记合作协议", guards=("agreement_recorded",)),
        _t("pay_tranche_1", S.AGREEMENT_SIGNED, S.IN_PROGRESS, "finance", "拨付首笔资金"),
        _t("reverse_tranche_1", S.IN_PROGRESS, S.AGREEMENT_SIGNED, "finance", "冲销首笔资金", comment_required=True, style="danger"),
        # 3.5 / 4: performance-audit materials and the audit.
        _t("submit_materials", {S.IN_PROGRESS, S.AUDIT_RETURNED}, S.MATERIALS_SUBMITTED, "organizer", "提交绩效审核材料", guards=("materials_complete",)),
        _t("audit_pass", S.MATERIALS_SUBMITTED, S.AUDIT_PASSED, "reviewer", "绩效审核通过", style="success",
           guards=("winners_notice_settled",)),
        _t("audit_return", S.MATERIALS_SUBMITTED, S.AUDIT_RETURNED, "reviewer", "退回补充材料", comment_required=True, style="warning"),
        _t("audit_fail", S.MATERIALS_SUBMITTED, S.AUDIT_FAILED, "reviewer", "绩效审核不通过", comment_required=True, style="danger"),
        _t("pay_tranche_2", S.AUDIT_PASSED, S.CLOSED, "finance", "拨付剩余资金"),
        _t("reverse_tranche_2", S.CLOSED, S.AUDIT_PASSED, "finance", "冲销剩余资金", comment_required=True, style="danger"),
    )
}

# Transitions that only a service may take, as part of a larger action (e.g. a payment): they
# never show as a bare button.
SERVICE_ONLY = frozenset(
    {"submit", "sign_agreement", "pay_tranche_1", "reverse_tranche_1", "pay_tranche_2", "reverse_tranche_2",
     "party_approve", "party_reject", "submit_materials"}
)


def transitions_from(state: State | str) -> list[Transition]:
    state = State(state)
    return [t for t in TRANSITIONS.values() if state in t.sources]


def allowed(state: State | str, role: str | None) -> list[Transition]:
    """Transitions a role may take from a state (guards not yet evaluated)."""
    return [t for t in transitions_from(state) if t.role == role]


def reachable_states() -> set[State]:
    seen, todo = {State.DRAFT}, [State.DRAFT]
    while todo:
        for t in transitions_from(todo.pop()):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


# Entries on the project's record that do not move the state (StatusChange.transition values).
EVENT_LABELS = {"adjust_dates": "日期调整", "publish_notice": "发布获奖名单公示", "withdraw_notice": "撤回获奖名单公示",
                "handle_objection": "处理公示异议"}


def record_label(name: str) -> str:
    """The Chinese name of a transition or record event, for histories and the PDF."""
    return TRANSITIONS[name].label if name in TRANSITIONS else EVENT_LABELS.get(name, name)


# --- Date gates: which step waits for which date of the competition ----------------------------
#
# Declared here, next to the transitions, and enforced by the service that takes each step
# (through `gate_refusal`). The dates are the project's current ones: the organizer's plan, or the
# department's 日期调整 (recorded with a reason) when the event moved. Local (Asia/Shanghai) days.
#
# * Roster upload: no gate. Registration happens before the event, so the roster may come early.
# * Winners (1.7): from the day of the final (the last trade final, else the end date): results
#   are announced at the final.
# * Materials (3.5 "赛后") and the audit pass: from the day after the end date.
# * Tranche 2 (2.3b): after the audit pass of a held event: the audit state plus the day after the
#   end date.
# Where the event really happened on other dates, the reviewer records a 日期调整 (new dates and a
# reason, on the project's record); there is no per-action override.


@dataclass(frozen=True)
class DateGate:
    action: str
    label: str        # what is refused, in the message
    anchor: str       # "final" | "end": which of the project's dates
    offset_days: int  # 0: from that day; 1: from the day after
    clause: str
    rule: str         # why, in the message and on the timeline


DATE_GATES: dict[str, DateGate] = {
    g.action: g
    for g in (
        DateGate("import_winners", "导入获奖名单", "final", 0, "1.7", "决赛当日起"),
        DateGate("submit_materials", "提交绩效审核材料", "end", 1, "3.5", "竞赛结束后"),
        DateGate("audit_pass", "绩效审核通过", "end", 1, "2.3b", "竞赛结束后"),
        DateGate("pay_tranche_2", "拨付剩余资金", "end", 1, "2.3b", "竞赛结束且绩效审核通过后"),
    )
}


def gate_opens(action: str, schedule: rules.Schedule) -> date | None:
    gate = DATE_GATES[action]
    return rules.gate_opens(schedule, gate.anchor, gate.offset_days)


def gate_refusal(action: str, schedule: rules.Schedule, today: date, *, day_label: str = "今天是") -> str | None:
    """A Chinese message naming the date when `action` may not be taken yet, else None."""
    gate = DATE_GATES[action]
    opens = gate_opens(action, schedule)
    anchor_label = {"final": "决赛日期", "end": "竞赛结束日期"}[gate.anchor]
    if opens is None:
        return f"项目未登记{anchor_label}，不能{gate.label}。"
    if today < opens:
        anchor = opens - timedelta(days=gate.offset_days)
        when = "当日起" if gate.offset_days == 0 else "之后"
        return (f"{rules.chinese_clause(gate.clause)}：{anchor_label}为 {rules.chinese_date(anchor)}，"
                f"须在{rules.chinese_date(anchor)}{when}才能{gate.label}（最早 {rules.chinese_date(opens)}，"
                f"{day_label} {rules.chinese_date(today)}）。如竞赛实际日期有变，请职工发展部先登记日期调整。")
    return None


# --- Decisions in their order: each step dated on or after the one it follows ------------------
#
# The collective decision and the party group's decision take effect on their meeting's day, so
# neither is recorded before that day (a meeting held today may be recorded today); the 立项通知书 is
# dated on or after the party group's decision; the agreement is signed on or after the notice (or,
# while no notice has been issued, the decision); tranche 1 is paid on or after the agreement
# (tranche 2 waits for the audit state and the event's end, DATE_GATES above). Each
# is enforced by the service that records the step, through `order_refusal`, with the dates of the
# earlier steps it reads; local (Asia/Shanghai) days, the day itself allowed.

# What the earlier step was, as a refusal names it.
ORDER_ANCHORS = {
    "collective_meeting": "集体决策会议定于 {day}召开",
    "party_meeting": "党组会定于 {day}召开",
    "decision": "党组会于 {day}作出立项决定",
    "notice": "立项通知书于 {day}签发",
    "agreement": "合作协议于 {day}签订",
}


@dataclass(frozen=True)
class OrderGate:
    action: str
    clause: str
    after: tuple[str, ...]  # ORDER_ANCHORS keys, the first one known applies
    refused: str            # what may not happen before it, in the message
    day_label: str          # the day being judged: today, or the date typed in


ORDER_GATES: dict[str, OrderGate] = {
    g.action: g
    for g in (
        OrderGate("collective_decision", "3.1c", ("collective_meeting",), "不能在此之前记录集体决策", "今天是"),
        OrderGate("party_decision", "3.1c", ("party_meeting",), "不能在此之前记录决定", "今天是"),
        OrderGate("issue_notice", "3.2", ("decision",), "立项通知书不能早于该日签发", "今天是"),
        OrderGate("sign_agreement", "2.3a", ("notice", "decision"), "合作协议的签订日期不能早于该日", "所填签订日期为"),
        OrderGate("pay_tranche_1", "2.3b", ("agreement",), "首笔资金的拨付日期不能早于该日", "所填拨付日期为"),
    )
}


def order_refusal(action: str, earlier: dict[str, date | None], day: date) -> str | None:
    """A Chinese message naming both dates when `day` comes before the step `action` follows, else None."""
    gate = ORDER_GATES[action]
    anchor = next((name for name in gate.after if earlier.get(name)), None)
    if anchor is None or day >= earlier[anchor]:
        return None
    what = ORDER_ANCHORS[anchor].format(day=rules.chinese_date(earlier[anchor]))
    return (f"{rules.chinese_clause(gate.clause)}：{what}，{gate.refused}"
            f"（{gate.day_label} {rules.chinese_date(day)}）。")
