"""An organizer uploads a 300-row roster with three planted errors, downloads the annotated workbook,
fixes it, uploads it again and sees 300 participants (issue 7, done-when)."""

import pytest
from openpyxl import load_workbook

from demo import rosters as demo
from tests.factories import PASSWORD
from tests.performance.stages import in_progress

from .conftest import OUTPUT, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organizer_fixes_a_roster_from_the_annotated_workbook(page, live_server, organizer, reviewer, approver,
                                                              finance, tmp_path):
    project = in_progress(organizer, reviewer, approver, finance, "A")
    rows = demo.roster_rows(project, 300)
    good_id, good_trade, good_employer = rows[4]["id_number"], rows[100]["trade"], rows[200]["employer"]
    rows[4]["id_number"] = demo.wrong_check_digit(good_id)
    rows[100]["trade"] = "9-99-99-99"
    rows[200]["employer"] = ""
    upload = tmp_path / "参赛选手名单.xlsx"
    upload.write_bytes(demo.workbook_bytes(rows))

    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{project.pk}/")
    page.get_by_test_id("tab-rosters").click()
    page.get_by_test_id("rosters-link").click()
    page.set_input_files("#file-roster", str(upload))
    page.locator("[data-testid=upload-roster] button[type=submit]").click()
    assert page.get_by_test_id("error-count").inner_text() == "3"
    assert page.get_by_test_id("error-row").count() == 3
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "roster_errors.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_test_id("download-errors").click()
    annotated = tmp_path / "annotated.xlsx"
    info.value.save_as(annotated)
    wb = load_workbook(annotated)
    ws = wb.worksheets[0]
    # Columns by their headers: the template's columns may grow (证件类型 came in issue 25).
    column = {cell.value: cell.column for cell in ws[1]}
    assert max(column.values()) == column["错误说明"]
    assert "校验位错误" in ws.cell(row=6, column=column["错误说明"]).value
    ws.cell(row=6, column=column["身份证号"]).value = good_id
    ws.cell(row=102, column=column["职业（工种）代码"]).value = good_trade
    ws.cell(row=202, column=column["工作单位"]).value = good_employer
    wb.save(annotated)

    page.set_input_files("#file-roster", str(annotated))
    page.locator("[data-testid=upload-roster] button[type=submit]").click()
    assert page.get_by_test_id("imported-count").inner_text() == "300"
    page.get_by_role("link", name="返回名单页").click()
    assert page.get_by_test_id("roster-count").inner_text() == "300"
    page.screenshot(path=str(OUTPUT / "roster_imported.png"), full_page=True)
