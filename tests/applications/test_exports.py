import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.lifecycle import build_application

pytestmark = pytest.mark.django_db


def _cells(workbook):
    sheet = workbook["申报表"]
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_xlsx_export_opens_and_holds_the_entered_numbers(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    response = client.get(reverse("applications:export_xlsx", args=[app.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = _cells(workbook)
    values = [c.value for c in cells]
    assert values[0] == "海淀区职工职业技能大赛职业项目（工种）申报表"
    numbers = [c for c in cells if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    for amount in (180000, 150000, 100000, 126000, 90000, 40000, 430000, 256000):
        matching = [c for c in numbers if Decimal(str(c.value)) == amount]
        assert matching, amount
        assert all(c.number_format == "#,##0.00" for c in matching)
    assert {320, 240, 210} <= {c.value for c in numbers}
    assert "4-04-05-05" in values and "人工智能训练师" in values and "中关村智造产业园工会联合会" in values


def test_xlsx_export_escapes_formula_like_text(client, organizer):
    app = build_application(organizer, "A", title="=HYPERLINK(\"http://x\")", purpose="+1 目的", scope="@SUM(A1)")
    client.force_login(organizer)
    cells = _cells(load_workbook(io.BytesIO(client.get(reverse("applications:export_xlsx", args=[app.pk])).content)))
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+1 目的" in texts and "'@SUM(A1)" in texts
    assert not any(c.data_type == "f" for c in cells)


def test_pdf_export_is_a_pdf_with_the_form(client, organizer):
    from pypdf import PdfReader

    app = build_application(organizer, "C")
    client.force_login(organizer)
    response = client.get(reverse("applications:export_pdf", args=[app.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for expected in ("申报表", "中关村智造产业园工会联合会", "中式烹调师", "60,000.00", "北京示例养老服务中心"):
        assert expected in compact, expected
