"""An organizer fills in the application in Debian's Chromium, watches the rule panel, and submits."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from applications.models import Application
from demo.scenario_data import JUDGE_POOL, PLAN_TEXT
from haidian_contest.workflow import State
from tests.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settle(page):
    """Let the rule panel's last request finish: the test server shares one SQLite connection between threads."""
    page.wait_for_timeout(500)
    expect(page.locator(".htmx-request")).to_have_count(0)  # polled without eval: the CSP has no 'unsafe-eval'


def pick_occupation(page, typed, label):
    # Typed again if the suggestions never came: under CI's load the live server (one SQLite connection
    # shared between threads) has dropped the search request the rule panel's request overlapped.
    pick = page.locator(f'[data-occupation-pick="{label}"]')
    for _ in range(3):
        settle(page)
        page.fill("#id_occupation", "")
        page.fill("#id_occupation", typed)
        try:
            pick.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    pick.click()
    expect(page.locator("#id_occupation")).to_have_value(label)
    settle(page)


def fill_trade(page, *, occupation, label, innovative, participants, budget, subsidy):
    pick_occupation(page, occupation, label)
    page.check("#id_certifiable_0")  # 是
    if innovative:
        page.check("input[name=category][value=innovative]")
        page.select_option("#id_field", "ai")
    else:
        page.check("input[name=category][value=traditional]")
    page.fill("#id_planned_participants", str(participants))
    for i, (name, employer, title, experience) in enumerate(JUDGE_POOL[:3]):
        page.fill(f"[name=judges-{i}-name]", name)
        page.fill(f"[name=judges-{i}-employer]", employer)
        page.fill(f"[name=judges-{i}-title]", title)
        page.fill(f"[name=judges-{i}-experience]", experience)
    for rank, (count, amount) in enumerate(((3, "5000"), (6, "3000"), (9, "2000")), 1):
        page.fill(f"[name=prize{rank}-count]", str(count))
        page.fill(f"[name=prize{rank}-amount]", amount)
    page.fill("[name=budget-0-amount]", str(budget - 40000))  # 场地
    page.fill("[name=budget-2-amount]", "40000")  # 奖金
    page.fill("#id_subsidy_requested", str(subsidy))


def test_organizer_fills_and_submits_an_application_with_two_trades(page, live_server, organizer):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/new/")
    page.fill("#id_title", "2026年浏览器测试职工技能竞赛")
    for key, text in PLAN_TEXT.items():
        page.fill(f"#id_{key}", text)
    panel = page.get_by_test_id("rule-panel")
    expect(panel).to_contain_text("至少申报一个职业（工种）")
    settle(page)
    page.get_by_test_id("save-draft").click()
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")

    page.get_by_test_id("add-trade").click()
    expect(page.get_by_test_id("page-heading")).to_have_text("添加工种")
    fill_trade(page, occupation="人工智能", label="4-04-05-05 人工智能训练师", innovative=True,
               participants=150, budget=180000, subsidy=126000)
    low = panel.locator('[data-testid=finding][data-clause="一（七）"]')
    expect(low).to_contain_text("参赛人数 150 人，少于 200 人")
    expect(low).to_contain_text("可豁免")
    settle(page)
    page.fill("#id_planned_participants", "250")
    expect(low).to_have_count(0)
    expect(page.get_by_test_id("budget-total")).to_have_text("180,000.00")
    expect(page.get_by_test_id("trade-subsidy-share")).to_have_text("70.00%")
    expect(panel.get_by_test_id("total-budget")).to_have_text("180,000.00")

    # A judge row added and removed again: the removed row is only marked, and is not saved.
    page.get_by_role("button", name="添加评委").click()
    page.fill("[name=judges-3-name]", "临时评委")
    page.locator("[data-formset-body=judges] tr").nth(3).get_by_role("button", name="删除").click()
    expect(page.locator("[data-formset-body=judges] tr").nth(3)).to_have_class(re.compile("to-delete"))
    settle(page)
    page.get_by_test_id("save-trade-back").click()
    expect(page.get_by_test_id("trade-row")).to_have_count(1)

    page.get_by_test_id("add-trade").click()
    fill_trade(page, occupation="6-18-01", label="6-18-01-07 多工序数控机床操作调整工", innovative=False,
               participants=210, budget=100000, subsidy=40000)
    expect(panel.get_by_test_id("certifiable-share")).to_contain_text("2/2")
    settle(page)
    page.get_by_test_id("save-trade-back").click()
    expect(page.get_by_test_id("trade-row")).to_have_count(2)
    expect(panel.get_by_test_id("rule-status")).to_contain_text("可以提交")

    settle(page)
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    page.goto(f"{live_server.url}/applications/")
    row = page.get_by_test_id("application-row").filter(has_text="2026年浏览器测试职工技能竞赛")
    expect(row.get_by_test_id("row-status")).to_have_text("已提交")

    app = Application.objects.get(title="2026年浏览器测试职工技能竞赛")
    assert app.status == State.SUBMITTED and app.versions.count() == 1
    trades = {t.name: t for t in app.trades.all()}
    assert trades["人工智能训练师"].planned_participants == 250
    assert [j.name for j in trades["人工智能训练师"].judges.all()] == [j[0] for j in JUDGE_POOL[:3]]
