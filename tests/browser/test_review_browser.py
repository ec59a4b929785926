"""Submitted to 已立项 in the browser: the reviewer recommends, the collective decision is recorded,
the party group approves at its meeting with the year's portfolio in view."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.lifecycle import submitted_application

from .conftest import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_recommends_and_party_group_approves(page, live_server, organizer, reviewer, approver):
    app = submitted_application(organizer, "A")

    # 职工发展部: the queue is the reviewer's home page.
    login(page, live_server, reviewer.username, PASSWORD)
    page.get_by_test_id("review-queue").get_by_role("link", name=app.title).click()
    page.get_by_test_id("start-review").click()
    assert page.get_by_test_id("status").inner_text() == "可行性审核中"
    form = page.get_by_test_id("review-form")
    for select in form.locator("select").all():
        select.select_option(label="符合")
    form.locator("textarea[name=opinion]").fill("方案完整，工种符合“1+X+1”产业布局，同意提交集体决策。")
    form.get_by_role("button", name="保存审核意见").click()
    page.get_by_test_id("transition-recommend").click()
    assert "已审核通过" in page.locator(".alert-success").inner_text()

    page.get_by_test_id("nav-item").filter(has_text="集体决策").click()
    row = page.get_by_test_id("collective-row").filter(has_text=app.title)
    row.get_by_label("通过，提交党组会").check()
    row.locator("input[type=date]").fill("2026-06-01")
    row.get_by_role("button", name="记录集体决策").click()
    assert "已记录" in page.locator(".alert-success").inner_text()
    logout(page)

    # 党组: the meetings page is the approver's home page.
    login(page, live_server, approver.username, PASSWORD)
    meeting_form = page.get_by_test_id("meeting-form")
    meeting_form.get_by_label("会议日期").fill("2026-06-05")
    meeting_form.get_by_label("会议名称").fill("2026年第15次党组会")
    meeting_form.get_by_role("button", name="创建").click()
    assert page.get_by_test_id("page-heading").inner_text() == "2026年第15次党组会"
    page.get_by_test_id("agenda-add").locator("select").select_option(label=f"{app.title}（{organizer.organization.name}）")
    page.get_by_role("button", name="列入议题").click()

    # Before the decision, the panel already shows the plan with A in it.
    assert page.get_by_test_id("before-total").inner_text() == "0"
    assert page.get_by_test_id("after-total").inner_text() == "3"
    assert page.get_by_test_id("after-traditional").inner_text() == "1（33.33%）"
    page.get_by_test_id("include-toggle").uncheck()
    expect(page.get_by_test_id("after-total")).to_have_text("0")  # polled without eval: the CSP has no 'unsafe-eval'
    page.get_by_test_id("include-toggle").check()
    expect(page.get_by_test_id("after-total")).to_have_text("3")

    item = page.get_by_test_id("agenda-item").filter(has_text=app.title)
    item.get_by_test_id("union-role").select_option(label="联合主办")
    item.get_by_test_id("record-decision").click()
    assert "批准立项" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("item-decision").inner_text() == "批准立项"
    assert page.get_by_test_id("before-total").inner_text() == "3"
    assert page.get_by_test_id("before-subsidy").inner_text() == "256,000.00"

    app.refresh_from_db()
    assert (app.status_label, app.union_role) == ("已立项", "co_host")


def test_portfolio_panel_moves_as_the_party_group_types_a_cut_subsidy(page, live_server, organizer, reviewer, approver):
    from decimal import Decimal

    from django.urls import reverse

    from review import services
    from tests.review.stages import party_meeting, pending_party_application

    app = pending_party_application(organizer, reviewer, "A")
    meeting = party_meeting(approver)
    item = services.add_to_agenda(meeting=meeting, application=app, actor=approver)
    trade = app.trades.order_by("position", "id").first()
    total = sum((t.subsidy_requested for t in app.trades.all()), Decimal("0"))

    login(page, live_server, approver.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('review:meeting', args=[meeting.pk])}")
    assert page.get_by_test_id("after-subsidy").inner_text() == f"{total:,.2f}"
    box = page.get_by_test_id("agenda-item").filter(has_text=app.title).get_by_label(f"{trade.name}批准补助")
    box.fill("")
    box.press_sequentially("24000")
    cut = total - trade.subsidy_requested + Decimal("24000")
    # expect() polls without evaluating a string in the page (the CSP allows no 'unsafe-eval').
    expect(page.get_by_test_id("after-subsidy")).to_have_text(f"{cut:,.2f}")
    item.refresh_from_db()
    assert item.is_pending and page.get_by_test_id("before-subsidy").inner_text() == "0.00"
