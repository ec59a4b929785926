"""Versions, formats, the annotated workbook, the template, the task and the state checks."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from applications.models import Application
from haidian_contest.private_files import _Pending
from haidian_contest.workflow import State
from rosters import services
from rosters.models import Participant, RosterVersion
from tests.lifecycle import submitted_application
from tests.rosters.stages import (
    make_roster_rows,
    ods_bytes,
    run_pending,
    upload_file,
    upload_roster,
    workbook_bytes,
    wrong_check_digit,
)

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status
FIXTURES = Path(__file__).parent / "fixtures"


def test_a_good_file_replaces_the_roster_as_a_new_version_and_keeps_the_old(project, organizer):
    first = upload_roster(project, organizer, make_roster_rows(project, 20))
    second = upload_roster(project, organizer, make_roster_rows(project, 25, start=100))
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert not first.is_current and second.is_current
    assert Participant.objects.filter(version=first).count() == 20
    assert Participant.objects.filter(application=project, is_current=True).count() == 25


def test_a_failed_upload_leaves_the_current_roster_in_force(project, organizer):
    good = upload_roster(project, organizer, make_roster_rows(project, 20))
    rows = make_roster_rows(project, 30)
    rows[0]["id_number"] = wrong_check_digit(rows[0]["id_number"])
    bad = upload_roster(project, organizer, rows)
    good.refresh_from_db()
    assert bad.status == Status.FAILED and not bad.is_current
    assert good.is_current
    assert set(Participant.objects.filter(application=project, is_current=True).values_list("version", flat=True)) == {good.pk}


def test_annotated_workbook_marks_bad_cells_red_and_explains_in_an_error_column(project, organizer):
    rows = make_roster_rows(project, 10)
    rows[2]["id_number"] = wrong_check_digit(rows[2]["id_number"])
    rows[5]["trade"] = "不存在的工种"
    version = upload_roster(project, organizer, rows)
    ws = load_workbook(BytesIO(version.error_file.read())).worksheets[0]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "证件类型", "手机号", "工作单位", "职业（工种）代码",
                                        "是否工会会员", "错误说明"]
    assert ws["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["F7"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["A4"].fill.fgColor.rgb in (None, "00000000")
    assert ws["H4"].value == "第 4 行“身份证号”：身份证号校验位错误，请核对号码（一（七））"
    assert ws["H2"].value is None
    assert ws.max_row == 11  # every row kept, so the organizer edits this file and uploads it again


def test_annotated_workbook_fixed_and_uploaded_again_is_imported(project, organizer):
    rows = make_roster_rows(project, 12)
    good_id = rows[3]["id_number"]
    rows[3]["id_number"] = wrong_check_digit(good_id)
    failed = upload_roster(project, organizer, rows)
    wb = load_workbook(BytesIO(failed.error_file.read()))
    wb.worksheets[0]["B5"] = good_id
    out = BytesIO()
    wb.save(out)
    version = run_pending(
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(out.getvalue()), kind="roster"
        )
    )
    assert version.status == Status.ACCEPTED and version.row_count == 12


def test_cells_that_look_like_formulas_come_back_as_text(project, organizer):
    rows = make_roster_rows(project, 4)
    rows[0]["employer"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows[1]["id_number"] = "bad"
    version = upload_roster(project, organizer, rows)
    ws = load_workbook(BytesIO(version.error_file.read())).worksheets[0]
    assert ws["E2"].value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert ws["E2"].data_type == "s"


def test_template_round_trip(project, organizer, client):
    client.force_login(organizer)
    response = client.get(f"/rosters/project/{project.pk}/template/roster/")
    assert response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "证件类型", "手机号", "工作单位", "职业（工种）代码",
                                        "是否工会会员"]
    for row in make_roster_rows(project, 9):
        ws.append([row["name"], row["id_number"], "", row["phone"], row["employer"],
                   f"{row['trade']} 职业名称随意", row["is_member"]])
    out = BytesIO()
    wb.save(out)
    version = run_pending(
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(out.getvalue()), kind="roster"
        )
    )
    assert version.status == Status.ACCEPTED and version.row_count == 9


def test_template_offers_drop_downs_text_id_column_and_a_sample(project, organizer, client):
    client.force_login(organizer)
    wb = load_workbook(BytesIO(client.get(f"/rosters/project/{project.pk}/template/roster/").content))
    ws = wb.worksheets[0]
    formulas = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    assert formulas == ['"居民身份证,港澳台居民居住证,外国人永久居留身份证,护照"', '"是,否"', "'职业（工种）列表'!$A$1:$A$3"]
    assert [c.value for c in wb["职业（工种）列表"]["A"]] == [
        "4-04-05-05 人工智能训练师", "6-31-07-01 工业机器人系统运维员", "6-18-01-07 多工序数控机床操作调整工"]
    assert ws.column_dimensions["B"].number_format == "@"
    sample = [row for row in wb["填写说明"].iter_rows(values_only=True) if row[0] == "张三"]
    assert len(sample) == 1


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_xls_and_ods_files_are_read_too(project, organizer, kind):
    if kind == "xls":
        content = (FIXTURES / "roster_wps.xls").read_bytes()
    else:
        content = ods_bytes(make_roster_rows(project, 7))
    version = run_pending(
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(content, f"名单.{kind}"), kind="roster"
        )
    )
    assert version.status == Status.ACCEPTED
    assert version.row_count == (6 if kind == "xls" else 7)


def test_other_file_types_are_refused(project, organizer):
    with pytest.raises(ValidationError, match="xlsx"):
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(b"a,b", "名单.csv"), kind="roster"
        )


def test_a_file_that_is_no_workbook_is_refused_at_upload(project, organizer):
    # Sniffed by its bytes before it is stored (it used to become a failed version in the worker).
    with pytest.raises(ValidationError, match="不是有效的 Excel/WPS 表格"):
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(b"not a zip"), kind="roster"
        )
    assert not RosterVersion.objects.exists()


def test_a_damaged_workbook_fails_with_a_message(project, organizer):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # cut off mid-tag
    version = run_pending(
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(buffer.getvalue()), kind="roster"
        )
    )
    assert version.status == Status.FAILED
    assert "无法读取" in version.errors[0]["message"] or "损坏" in version.errors[0]["message"]


def test_the_task_runs_after_commit(project, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 5))),
            kind="roster",
        )
    # One task; the other callback keeps the uploaded file once the upload commits (private_files).
    assert len([c for c in callbacks if not isinstance(c, _Pending)]) == 1
    version.refresh_from_db()
    assert version.status == Status.ACCEPTED and version.progress == 100


def test_import_query_count_does_not_grow_with_rows(project, organizer, django_assert_max_num_queries):
    small = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 20))),
        kind="roster",
    )
    from rosters import pipeline

    with django_assert_max_num_queries(30) as small_queries:
        pipeline.process(small.pk)
    big = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 3000))),
        kind="roster",
    )
    with django_assert_max_num_queries(len(small_queries) + 2):
        pipeline.process(big.pk)
    assert RosterVersion.objects.get(pk=big.pk).row_count == 3000


def test_roster_upload_needs_an_approved_project(organizer):
    app = submitted_application(organizer, "A")
    with pytest.raises(ValidationError, match="已提交"):
        services.start_import(
            application=app, actor=organizer, uploaded_file=upload_file(workbook_bytes([])), kind="roster"
        )


def test_states_that_allow_uploads():
    def allowed(state, kind):
        return services.upload_allowed(application=Application(status=state), kind=kind)

    assert allowed(State.APPROVED, "roster") and allowed(State.AUDIT_RETURNED, "roster")
    assert not allowed(State.MATERIALS_SUBMITTED, "roster") and not allowed(State.CLOSED, "roster")
    assert allowed(State.IN_PROGRESS, "winners") and not allowed(State.APPROVED, "winners")


def test_another_units_organizer_cannot_upload(project, other_organizer, reviewer):
    for user in (other_organizer, reviewer):
        with pytest.raises(PermissionDenied):
            services.start_import(
                application=project, actor=user, uploaded_file=upload_file(workbook_bytes([])), kind="roster"
            )


def test_a_version_is_processed_once(project, organizer):
    from rosters import pipeline

    version = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 5))),
        kind="roster",
    )
    pipeline.process(version.pk)
    pipeline.process(version.pk)  # a redelivered task
    assert Participant.objects.filter(version=version).count() == 5


def _filled_template(project, rows):
    from rosters.exports import template_for

    content, _name = template_for(project, "roster")
    wb = load_workbook(BytesIO(content))
    ws = wb.worksheets[0]
    for n, row in enumerate(rows, start=2):
        for col, key in enumerate(("name", "id_number", "phone", "employer", "trade", "is_member"), start=1):
            ws.cell(row=n, column=col, value=row[key])
    out = BytesIO()
    wb.save(out)
    return content, out.getvalue()


@pytest.fixture
def annotated_from_template(project, organizer):
    rows = make_roster_rows(project, 6)
    rows[2]["id_number"] = wrong_check_digit(rows[2]["id_number"])
    template, filled = _filled_template(project, rows)
    version = run_pending(
        services.start_import(application=project, actor=organizer, uploaded_file=upload_file(filled), kind="roster")
    )
    assert version.status == Status.FAILED
    return load_workbook(BytesIO(template)), load_workbook(BytesIO(version.error_file.read()))


def test_annotated_workbook_keeps_the_templates_drop_down_lists(annotated_from_template):
    template, annotated = annotated_from_template
    lists = {dv.formula1: str(dv.sqref) for dv in annotated.worksheets[0].data_validations.dataValidation}
    assert lists.get('"是,否"', "").startswith("G2:G")
    assert lists.get('"居民身份证,港澳台居民居住证,外国人永久居留身份证,护照"', "").startswith("C2:C")
    trade = next(f for f in lists if f.startswith("'职业（工种）列表'!"))
    assert lists[trade].startswith("F2:F")
    assert trade.endswith(f"$A${template['职业（工种）列表'].max_row}")


def test_annotated_workbook_keeps_the_templates_other_sheets(annotated_from_template):
    template, annotated = annotated_from_template
    assert annotated.sheetnames == template.sheetnames
    assert annotated["职业（工种）列表"].sheet_state == "hidden"
    assert [c.value for c in annotated["职业（工种）列表"]["A"]] == [c.value for c in template["职业（工种）列表"]["A"]]
    assert annotated["填写说明"]["A1"].value == "填写说明"


def test_annotated_workbook_keeps_the_templates_column_widths(annotated_from_template):
    template, annotated = annotated_from_template
    for letter in "ABCDEF":
        assert annotated.worksheets[0].column_dimensions[letter].width == template.worksheets[0].column_dimensions[letter].width, letter


def test_annotated_workbook_keeps_the_id_column_typed_as_text(annotated_from_template):
    _template, annotated = annotated_from_template
    ws = annotated.worksheets[0]
    assert ws.column_dimensions["B"].number_format == "@"
    assert all(ws.cell(row=r, column=2).number_format == "@" for r in range(2, 8))
    assert isinstance(ws["B4"].value, str) and len(ws["B4"].value) == 18
