"""Finance releases tranche 1 of an approved project in the browser; a second click pays nothing."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from funding.models import LedgerEntry
from haidian_contest.workflow import State
from tests.factories import PASSWORD
from tests.funding.stages import PAYEE_ACCOUNT, PAYEE_BANK, agreement_signed
from tests.review.stages import approved_application

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_releases_tranche_1_once_and_the_ledger_and_export_show_it(
    page, live_server, organizer, reviewer, approver, finance, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = agreement_signed(approved_application(organizer, reviewer, approver, "A"), reviewer, number="HDZGH-2026-007")
    login(page, live_server, finance.username, PASSWORD)

    # The finance home is the queue; the project's first tranche is there to pay.
    row = page.get_by_test_id("payable-row").filter(has_text=app.title).filter(has_text="首笔资金")
    assert "128,000.00" in row.inner_text()
    row.get_by_role("link", name="拨付").click()

    assert page.input_value("input[name=amount]") == "128000.00"
    assert page.get_attribute("input[name=amount]", "readonly") is not None
    page.fill("input[name=paid_on]", "2026-06-15")
    page.fill("input[name=voucher_no]", "记-2026-0615-03")
    page.fill("input[name=payee_bank]", PAYEE_BANK)
    page.fill("input[name=payee_account]", PAYEE_ACCOUNT)
    retry = {name: page.input_value(f"[name={name}]") for name in
             ("csrfmiddlewaretoken", "token", "round", "paid_on", "voucher_no", "payee_name", "payee_bank", "payee_account",
              "amount", "note", "late_reason")}
    release_url = page.url

    page.get_by_test_id("release-submit").dblclick()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    assert page.get_by_test_id("tranche-1-status").inner_text() == "已拨付"
    assert LedgerEntry.objects.filter(tranche__application=app).count() == 1

    # A browser retry of the very same form (same one-time token) is told, not charged.
    again = page.request.post(release_url, form=retry)
    assert again.ok and "该笔资金已拨付" in again.text()
    assert LedgerEntry.objects.filter(tranche__application=app).count() == 1
    app.refresh_from_db()
    assert app.status == State.IN_PROGRESS

    page.goto(f"{live_server.url}/funding/ledger/?cycle=2026")
    total = page.get_by_test_id("ledger-total").inner_text()
    assert "256,000.00" in total and "128,000.00" in total
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    sheet = load_workbook(BytesIO(open(download.value.path(), "rb").read()))["拨付明细"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[7] for r in rows[:-1]] == ["记-2026-0615-03"]
    assert Decimal(str(rows[-1][5])) == Decimal("128000.00")


def _pay_in_browser(page, live_server, app, number, paid_on, voucher, late_reason=""):
    page.goto(f"{live_server.url}/funding/projects/{app.pk}/tranches/{number}/release/")
    page.fill("input[name=paid_on]", paid_on)
    page.fill("input[name=voucher_no]", voucher)
    page.fill("input[name=payee_bank]", PAYEE_BANK)
    page.fill("input[name=payee_account]", PAYEE_ACCOUNT)
    if late_reason:
        page.fill("textarea[name=late_reason]", late_reason)
    page.get_by_test_id("release-submit").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")


def test_an_odd_fen_total_gets_its_agreement_and_both_tranches_in_the_browser(
    page, live_server, organizer, reviewer, approver, finance, settings, tmp_path, monkeypatch
):
    """109,000.01 approved: 登记合作协议 splits it 54,500.01 + 54,500.00 and both are paid to the fen."""
    from datetime import date

    from applications import workflow_engine
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path / "media"
    app = approved_application(organizer, reviewer, approver, "A", subsidies={
        "人工智能训练师": "69000.01", "工业机器人系统运维员": "40000.00", "多工序数控机床操作调整工": "0.00"})
    scan = tmp_path / "合作协议.pdf"
    from tests.funding.stages import PDF_BYTES

    scan.write_bytes(PDF_BYTES)

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/funding/projects/{app.pk}/")
    page.get_by_role("link", name="登记合作协议").click()
    assert "首笔 54,500.01 元，剩余 54,500.00 元" in page.content().replace("</span>", "").replace(
        '<span class="money">', "")
    page.fill("input[name=number]", "HDZGH-2026-109")
    page.fill("input[name=signed_on]", "2026-06-10")
    page.select_option("select[name=union_role]", "co_host")
    page.set_input_files("input[name=scan]", str(scan))
    page.get_by_role("button", name="登记协议").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    assert "已被使用" not in page.content()
    app.refresh_from_db()
    assert app.status == State.AGREEMENT_SIGNED

    page.context.clear_cookies()
    login(page, live_server, finance.username, PASSWORD)
    today = timezone.localdate()
    first_day = min(date(2026, 6, 15), today)
    late = "协议签订较晚，首笔资金于竞赛开始后拨付。" if app.start_date and first_day >= app.start_date else ""
    _pay_in_browser(page, live_server, app, 1, first_day.isoformat(), "记-2026-0615-09", late)
    assert page.get_by_test_id("tranche-1-paid").inner_text().strip().startswith("54,500.01")

    # The audit (performance's step) passes; funding only reads the state.
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    app.refresh_from_db()
    workflow_engine.perform(application=app, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=app, name="audit_pass", actor=reviewer, comment="材料齐全，审核通过。")
    # 2.3b: the department's expected-results outcome, which funding reads through applications.
    from tests.performance.stages import expected_results_recorded

    app.refresh_from_db()
    expected_results_recorded(app, reviewer)

    _pay_in_browser(page, live_server, app, 2, today.isoformat(), "记-2026-1015-09")
    assert page.get_by_test_id("tranche-2-paid").inner_text().strip().startswith("54,500.00")
    app.refresh_from_db()
    assert app.status == State.CLOSED
    entries = LedgerEntry.objects.filter(tranche__application=app).order_by("tranche__number")
    assert [e.amount for e in entries] == [Decimal("54500.01"), Decimal("54500.00")]
