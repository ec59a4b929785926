"""The project page's timeline: planned dates, each date gate, what was done and when, and today.

The gates come from haidian_contest.workflow.DATE_GATES; the steps that are state changes read the
project's record (StatusChange). Steps of later apps that are not state changes (the winners list)
are read through DONE_READERS, which those apps register at start-up, so this module imports none
of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from haidian_contest import rules
from haidian_contest.fragments import fragment_digest
from haidian_contest.workflow import APPROVED_STATES, DATE_GATES, gate_opens

from .evaluation import schedule_for
from .models import Application, ApplicationVersion

# action → function(application) -> datetime | date | None: when that step was done.
DONE_READERS: dict[str, Callable[[Application], datetime | date | None]] = {}


def register_done_reader(action: str):
    def decorator(func):
        DONE_READERS[action] = func
        return func

    return decorator


@dataclass
class Step:
    key: str
    label: str
    clause: str = ""
    rule: str = ""            # when it may or must happen, in words
    day: date | None = None   # the date that matters (gate opening, deadline, the event's own date)
    done_at: datetime | date | None = None
    status: str = "waiting"   # done | open | waiting | late | event
    note: str = ""

    @property
    def done_day(self) -> date | None:
        if isinstance(self.done_at, datetime):
            return timezone.localtime(self.done_at).date()
        return self.done_at


def _first(history, name: str):
    return next((c.at for c in history if c.transition == name), None)


def _last(history, name: str):
    return next((c.at for c in reversed(history) if c.transition == name), None)


def tranche_1_paid_on(application: Application, history=None) -> date | None:
    """The day the first tranche was paid (the ledger's date, read through funding's reader), or None.

    Without the reader (funding not installed) the day it was recorded stands in for it.
    """
    if history is not None and _last(history, "pay_tranche_1") is None:
        return None  # never paid: no read
    reader = DONE_READERS.get("pay_tranche_1")
    if reader is not None:
        return reader(application)
    at = _last(history if history is not None else list(application.status_changes.all()), "pay_tranche_1")
    return timezone.localtime(at).date() if at else None


def tranche_1_findings(application: Application, history=None) -> list[rules.Finding]:
    """2.3b: the first tranche paid on or after the competition's start as it stands now."""
    return rules.check_first_tranche_paid_before_start(tranche_1_paid_on(application, history),
                                                       application.start_date)


def planned_dates(application: Application) -> tuple[str | None, str | None] | None:
    """The first submitted version's start and end dates as it recorded them (ISO text), or None before
    any submission. Read inside the database, not by loading the whole snapshot; in plain SQL on the
    two databases the project runs on, as it is read on every visit of the project page."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return application.versions.order_by("number").values_list("data__start_date", "data__end_date").first()
    columns = ("data ->> 'start_date', data ->> 'end_date'" if vendor == "postgresql"
               else "json_extract(data, '$.start_date'), json_extract(data, '$.end_date')")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {ApplicationVersion._meta.db_table} WHERE application_id = %s "
                       f"ORDER BY number LIMIT 1", [application.pk])
        found = cursor.fetchone()
    return tuple(found) if found else None


def build(application: Application, history: list, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    schedule = schedule_for(application)
    first_version = planned_dates(application)
    planned_start, planned_end = ((first_version[0] or ""), (first_version[1] or "")) if first_version else ("", "")
    steps: list[Step] = []

    def gated(key: str, label: str, done_at, *, deadline: date | None = None) -> Step:
        gate = DATE_GATES[key]
        opens = gate_opens(key, schedule)
        step = Step(key, label, rules.chinese_clause(gate.clause), gate.rule, opens, done_at)
        if done_at:
            step.status = "done"
            if deadline and step.done_day > deadline:
                step.status, step.note = "late", f"逾期提交（截止 {deadline:%Y-%m-%d}）"
        elif opens is None:
            step.note = "未登记日期"
        elif today >= opens:
            step.status = "open"
            if deadline and today > deadline:
                step.status, step.note = "late", f"已逾期（截止 {deadline:%Y-%m-%d}）"
        if deadline and not step.note:
            step.note = f"截止 {deadline:%Y-%m-%d}"
        return step

    submitted = _first(history, "submit")
    steps.append(Step("submit", "提交申报", "三（一）", "竞赛开始前", application.start_date, submitted,
                      "done" if submitted else "open"))
    approved = _first(history, "party_approve")
    steps.append(Step("approve", "党组会批准立项", "三（二）", "", None, approved, "done" if approved else "waiting"))
    paid_1 = tranche_1_paid_on(application, history)
    t1 = Step("pay_tranche_1", "拨付首笔 50% 资金", "二（三）", "竞赛开始前", application.start_date, paid_1,
              "done" if paid_1 else "waiting")
    if application.state in APPROVED_STATES and not paid_1 and application.start_date and today >= application.start_date:
        t1.status, t1.note = "late", "竞赛已开始，首笔资金尚未拨付"
    if rules.check_first_tranche_paid_before_start(paid_1, application.start_date):
        # Paid, but not before the start as it now stands (often after a 日期调整): not "done" in time.
        t1.rule = "应在竞赛开始前"
        t1.status, t1.note = "late", f"拨付晚于竞赛开始（{application.start_date:%Y-%m-%d}）"
    steps.append(t1)
    steps.append(Step("start", "竞赛开始", "", "", schedule.start, None, "event"))
    steps.append(gated("import_winners", "导入获奖名单", DONE_READERS.get("import_winners", lambda a: None)(application)))
    steps.append(Step("end", "竞赛结束", "", "", schedule.end, None, "event"))
    deadline = rules.materials_deadline(schedule.end) if schedule.end else None
    steps.append(gated("submit_materials", "提交绩效审核材料", _first(history, "submit_materials"), deadline=deadline))
    steps.append(gated("audit_pass", "绩效审核通过", _last(history, "audit_pass")))
    steps.append(gated("pay_tranche_2", "拨付剩余 50% 资金", _last(history, "pay_tranche_2")))
    for step in steps:
        if step.status == "event" and step.day:
            step.note = "已过" if step.day < today else ("今天" if step.day == today else "")

    # Today's marker goes before the first step still ahead of today (by its date).
    marker = len(steps)
    for index, step in enumerate(steps):
        key_day = step.done_day or step.day
        if step.status in {"waiting", "event"} and key_day and key_day > today:
            marker = index
            break
    adjustments = [c for c in history if c.transition == "adjust_dates"]
    current = (application.start_date.isoformat() if application.start_date else "",
               application.end_date.isoformat() if application.end_date else "")
    return {
        "steps": steps,
        "marker": marker,
        "today": today,
        "planned_start": planned_start,
        "planned_end": planned_end,
        "moved": bool(first_version) and (planned_start, planned_end) != current,
        "schedule": schedule,
        "adjustments": adjustments,
    }


def digest(application: Application, plan: dict) -> str:
    """What the timeline's cached fragment prints (everything but the date form), as a digest."""
    return fragment_digest(
        application.pk, plan["steps"], plan["marker"], plan["today"], plan["planned_start"], plan["planned_end"],
        plan["moved"], plan["schedule"], [(c.at, str(c.actor), c.comment) for c in plan["adjustments"]],
    )
