from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding import selectors
from funding.export import safe

from .stages import tranche_1_paid

pytestmark = pytest.mark.django_db


def workbook(client, user, cycle="2026"):
    client.force_login(user)
    response = client.get(reverse("funding:ledger_export"), {"cycle": cycle})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_excel_totals_equal_the_ledger(client, in_progress, finance):
    wb = workbook(client, finance)
    year = selectors.year_ledger(2026)
    projects = wb["项目台账"]
    headers = [c.value for c in projects[1]]
    totals = {h: c.value for h, c in zip(headers, projects[projects.max_row], strict=True)}
    assert totals["年度"] == "合计"
    assert money(totals["核定补助"]) == year.total.scheduled == Decimal("256000.00")
    assert money(totals["已拨合计"]) == year.total.paid == Decimal("128000.00")
    assert money(totals["未拨合计"]) == year.total.outstanding
    entries = wb["拨付明细"]
    amounts = [money(r[5].value) for r in entries.iter_rows(min_row=2, max_row=entries.max_row - 1)]
    assert sum(amounts) == money(entries.cell(entries.max_row, 6).value) == year.total.paid


def test_excel_amounts_are_numbers_with_two_decimals(client, in_progress, finance):
    sheet = workbook(client, finance)["项目台账"]
    cell = sheet.cell(2, 8)
    assert isinstance(cell.value, (int, float)) and cell.number_format == "0.00"
    assert sheet.cell(1, 2).value == "项目名称"


def test_formula_injection_is_impossible(client, signed, finance):
    tranche_1_paid(signed, finance, voucher_no="=HYPERLINK(\"http://x\")", note="@SUM(A1)")
    sheet = workbook(client, finance)["拨付明细"]
    row = [c.value for c in sheet[2]]
    assert "'=HYPERLINK(\"http://x\")" in row and "'@SUM(A1)" in row
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1"])
def test_safe_escapes_every_formula_start(text):
    assert safe(text) == "'" + text


def test_safe_leaves_numbers_and_plain_text(text="记-2026-0615-03"):
    assert safe(text) == text and safe(Decimal("-5.00")) == Decimal("-5.00")
