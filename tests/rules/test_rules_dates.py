"""Dates: 3.1a (the competition's own dates), 2.3b (start before submission), gates, 3.5 lateness."""

from datetime import date

import pytest

from haidian_contest import rules
from haidian_contest.workflow import DATE_GATES, ORDER_GATES, gate_opens, gate_refusal, order_refusal

RS = rules.RULESET_2026
START, FINAL, END = date(2026, 12, 10), date(2026, 12, 18), date(2026, 12, 20)
SCHEDULE = rules.Schedule(START, END, (date(2026, 12, 15), FINAL))


def test_end_before_start_is_a_hard_finding_citing_3_1a():
    [finding] = rules.check_event_dates(date(2026, 12, 20), date(2026, 12, 10))
    assert (finding.clause, finding.code, finding.waivable) == ("3.1a", "end_before_start", False)
    assert "2026年12月10日" in finding.message and "三（一）" in finding.message


@pytest.mark.parametrize("start, end", [(START, START), (START, END), (None, END), (START, None)])
def test_end_on_or_after_start_or_missing_is_no_finding(start, end):
    assert rules.check_event_dates(start, end) == []


def test_trade_final_after_the_competition_ends_is_a_hard_finding_naming_the_trade():
    [finding] = rules.check_trade_dates([rules.TradeDates("人工智能训练师", START, date(2026, 12, 21))], START, END)
    assert (finding.code, finding.waivable, finding.subject) == ("trade_date_outside", False, "人工智能训练师")
    assert "决赛" in finding.message and "2026年12月21日" in finding.message


def test_trade_preliminary_before_the_competition_starts_is_a_hard_finding():
    [finding] = rules.check_trade_dates([rules.TradeDates("甲", date(2026, 12, 9), FINAL)], START, END)
    assert finding.code == "trade_date_outside" and "初赛" in finding.message


def test_trade_dates_on_the_competition_boundaries_pass():
    assert rules.check_trade_dates([rules.TradeDates("甲", START, END)], START, END) == []


def test_trade_final_before_its_preliminary_is_a_hard_finding():
    codes = [f.code for f in rules.check_trade_dates([rules.TradeDates("甲", FINAL, date(2026, 12, 12))], START, END)]
    assert codes == ["final_before_preliminary"]


def test_start_already_past_on_submission_day_is_a_waivable_finding_citing_2_3b():
    [finding] = rules.check_start_not_passed(START, date(2026, 12, 11))
    assert (finding.clause, finding.code, finding.waivable) == ("2.3b", "start_passed", True)


@pytest.mark.parametrize("on", [date(2026, 12, 1), START])
def test_start_today_or_ahead_is_no_finding(on):
    assert rules.check_start_not_passed(START, on) == []


def test_evaluate_application_includes_the_date_findings():
    trade = rules.TradeInput("甲", "innovative", True, 200, 3, rules.base.Decimal(100), rules.base.Decimal(60),
                             occupation_code="4-04-05-05", field="ai", final_date=date(2027, 1, 5))
    app = rules.ApplicationInput((trade,), start_date=END, end_date=START, checked_on=date(2026, 12, 25))
    codes = {f.code for f in rules.evaluate_application(app, RS)}
    assert {"end_before_start", "start_passed", "trade_date_outside"} <= codes


def test_final_day_is_the_last_trade_final_within_the_competition():
    assert SCHEDULE.final_day == FINAL
    assert rules.Schedule(START, END, (date(2027, 1, 1),)).final_day == END
    assert rules.Schedule(START, END).final_day == END


# Gates, at the day before, on and after each (Asia/Shanghai calendar days handed in by the caller).

@pytest.mark.parametrize("action, opens", [
    ("import_winners", FINAL),
    ("submit_materials", date(2026, 12, 21)),
    ("audit_pass", date(2026, 12, 21)),
    ("pay_tranche_2", date(2026, 12, 21)),
])
def test_each_gate_refuses_the_day_before_and_opens_on_its_day(action, opens):
    assert gate_opens(action, SCHEDULE) == opens
    before = gate_refusal(action, SCHEDULE, date.fromordinal(opens.toordinal() - 1))
    assert before and rules.chinese_date(opens) in before and DATE_GATES[action].label in before
    assert gate_refusal(action, SCHEDULE, opens) is None
    assert gate_refusal(action, SCHEDULE, date(2027, 3, 1)) is None


def test_gate_without_the_date_refuses_and_says_what_is_missing():
    assert "未登记竞赛结束日期" in gate_refusal("submit_materials", rules.Schedule(START, None), date(2027, 1, 1))


def test_gates_declare_every_gated_step_once():
    assert set(DATE_GATES) == {"import_winners", "submit_materials", "audit_pass", "pay_tranche_2"}


# Decisions in their order: each step on or after the day of the one it follows.

@pytest.mark.parametrize("action, anchor", [
    ("collective_decision", "collective_meeting"),
    ("party_decision", "party_meeting"),
    ("issue_notice", "decision"),
    ("sign_agreement", "notice"),
    ("pay_tranche_1", "agreement"),
])
def test_each_order_gate_refuses_the_day_before_naming_both_dates_and_opens_that_day(action, anchor):
    before = order_refusal(action, {anchor: FINAL}, date(2026, 12, 17))
    assert before and rules.chinese_date(FINAL) in before and "2026年12月17日" in before
    assert order_refusal(action, {anchor: FINAL}, FINAL) is None


def test_the_agreement_follows_the_notice_when_there_is_one_else_the_decision():
    notice, decision = date(2026, 12, 10), date(2026, 12, 8)
    assert "立项通知书于 2026年12月10日签发" in order_refusal("sign_agreement", {"notice": notice, "decision": decision},
                                                     date(2026, 12, 9))
    assert order_refusal("sign_agreement", {"notice": None, "decision": decision}, date(2026, 12, 9)) is None
    assert "2026年12月8日" in order_refusal("sign_agreement", {"notice": None, "decision": decision}, date(2026, 12, 7))


def test_order_gates_declare_each_step_after_the_review_once():
    assert set(ORDER_GATES) == {"collective_decision", "party_decision", "issue_notice", "sign_agreement",
                                "pay_tranche_1"}


# 3.5: two weeks after the end.

def test_materials_on_the_deadline_are_on_time():
    assert rules.check_materials_on_time(date(2026, 9, 20), date(2026, 10, 4), ruleset=RS) == []


def test_materials_a_day_after_the_deadline_are_a_waivable_finding_naming_both_dates():
    [finding] = rules.check_materials_on_time(date(2026, 9, 20), date(2026, 10, 5), ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("3.5", "materials_late", True)
    assert "2026年10月4日" in finding.message and "2026年10月5日" in finding.message and "逾期 1 天" in finding.message


# The application's year, its call and the competition's dates agree (3.1a with 二（一）)

def test_dates_within_the_applications_year_are_no_finding():
    assert rules.check_cycle_dates(2026, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_an_application_of_2025_with_2027_dates_is_a_cited_finding():
    [finding] = rules.check_cycle_dates(2025, date(2027, 3, 1), date(2027, 3, 2))
    assert (finding.clause_label, finding.code, finding.waivable) == ("三（一）", "dates_outside_cycle", True)
    assert "2025 年" in finding.message and "2027年3月1日" in finding.message


def test_the_year_is_checked_with_the_whole_application():
    app = rules.ApplicationInput(trades=(), cycle=2025, start_date=date(2027, 3, 1), end_date=date(2027, 3, 2))
    assert "dates_outside_cycle" in [f.code for f in rules.evaluate_application(app, rules.RULESET_2026)]
