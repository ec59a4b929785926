"""The party-group approver opens the year overview, counts a pending application in, and exports it."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import PASSWORD, OrganizationFactory, user_with_role
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application, pending_party_application

from .conftest import OUTPUT, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _organizer(name, org_type):
    return user_with_role(Role.ORGANIZER, organization=OrganizationFactory(name=name, org_type=org_type))


def test_the_approver_sees_the_forty_sixty_chart_move_with_a_pending_application_and_exports_it(
    page, live_server, organizer, reviewer, approver, finance, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    a = approved_application(organizer, reviewer, approver, "A", union_role="co_host")
    tranche_1_paid(agreement_signed(a, reviewer, number="HDZGH-2026-007"), finance)
    approved_application(_organizer("海淀区电子信息行业协会", "industry_association"), reviewer, approver, "B",
                         union_role="host")
    approved_application(_organizer("学院路街道总工会", "subdistrict"), reviewer, approver, "C",
                         union_role="support", subsidies={"中式烹调师": "24000.00"})
    pending = pending_party_application(_organizer("清河街道总工会", "subdistrict"), reviewer, "C")

    login(page, live_server, approver.username, PASSWORD)
    page.get_by_test_id("nav-item").filter(has_text="年度概览").click()
    page.wait_for_selector("#chart-plan[data-ready]")
    assert "2026年度" in page.get_by_test_id("page-heading").inner_text()
    assert page.get_by_test_id("traditional-share-after").inner_text() == "40.00%"
    assert page.get_by_test_id("plan-on-line").is_visible()
    assert page.evaluate("Chart.getChart('chart-plan').data.datasets[0].data") == [40]
    page.wait_for_selector("#chart-subsidy[data-ready]")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(OUTPUT) / "dashboard_overview.png"), full_page=True)

    # Counting the pending application in (7 of 13 traditional) moves the bar over the 40% line.
    page.locator(f"#include-{pending.pk}").check()
    expect(page.get_by_test_id("traditional-share-after")).to_have_text("53.85%")  # no eval under the CSP
    assert page.evaluate("Chart.getChart('chart-plan').data.datasets[0].data") == [40, 53.85]
    assert "二（一）1" in page.get_by_test_id("plan-breach").inner_text()
    assert f"include={pending.pk}" in page.url
    page.screenshot(path=str(Path(OUTPUT) / "dashboard_overview_included.png"), full_page=False)

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    wb = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    plan = {row[0]: row[1:] for row in wb["工种结构"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert plan["传统类工种"] == (4, 7)
    assert [round(v, 4) for v in plan["传统类占比（≤ 40%）"]] == [0.4, 0.5385]
    summary = {row[0]: row[1] for row in wb["概览"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary["首笔已拨（元）"] == 128000
