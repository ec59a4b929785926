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
