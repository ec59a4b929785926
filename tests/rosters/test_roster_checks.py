"""Roster import: each check reports row and column, and any hard error imports nothing."""

import pytest

from rosters.identity import id_hash
from rosters.models import FirstPrizeRecord, Participant, RosterVersion
from tests.rosters.stages import make_id, make_roster_rows, upload_roster, wrong_check_digit

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status


def errors_of(version):
    return [(e["row"], e["column"]) for e in version.errors]


def test_valid_roster_is_imported(project, organizer):
    version = upload_roster(project, organizer, make_roster_rows(project, 60))
    assert version.status == Status.ACCEPTED and version.is_current
    assert version.row_count == 60
    assert Participant.objects.filter(application=project, is_current=True).count() == 60


def test_wrong_check_digit_is_reported_with_row_and_column_and_nothing_imported(project, organizer):
    rows = make_roster_rows(project, 30)
    rows[4]["id_number"] = wrong_check_digit(rows[4]["id_number"])
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    assert version.errors[0]["text"] == "第 6 行“身份证号”：身份证号校验位错误，请核对号码（一（七））"
    assert Participant.objects.filter(application=project).count() == 0


def test_invalid_birth_date_and_short_number_are_explained(project, organizer):
    rows = make_roster_rows(project, 5)
    rows[0]["id_number"] = "11010819901301123X"
    rows[1]["id_number"] = "1101081990"
    version = upload_roster(project, organizer, rows)
    messages = {e["row"]: e["message"] for e in version.errors}
    assert "出生日期" in messages[2]
    assert messages[3] == "身份证号应为 18 位，此处为 10 位（一（七））"


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_id_number_typed_in_full_width_digits_is_accepted_as_the_same_person(project, organizer):
    rows = make_roster_rows(project, 5)
    ascii_id = rows[1]["id_number"]
    rows[1]["id_number"] = ascii_id.translate(FULL_WIDTH)
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.ACCEPTED, version.errors
    person = Participant.objects.get(application=project, is_current=True, row_number=3)
    assert person.id_hash == id_hash(ascii_id)


def test_full_width_x_check_letter_is_accepted(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[0]["id_number"] = "11010519491231002X".translate(FULL_WIDTH).replace("Ｘ", "ｘ")
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED


def test_participant_search_finds_a_full_width_id_number(project, organizer):
    from rosters.selectors import participants

    rows = make_roster_rows(project, 5)
    upload_roster(project, organizer, rows)
    found = participants(project, query=rows[2]["id_number"].translate(FULL_WIDTH))
    assert [p.row_number for p in found] == [4]


def test_invalid_id_message_cites_the_real_name_clause(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[0]["id_number"] = "11010819901301123X"
    version = upload_roster(project, organizer, rows)
    assert version.errors[0]["message"].endswith("（一（七））")


def test_duplicate_person_in_the_file_is_reported(project, organizer):
    rows = make_roster_rows(project, 10)
    rows.append(dict(rows[2]))
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    assert version.errors == [{"row": 12, "column": "身份证号", "message": "与第 4 行为同一人、同一职业（工种），重复登记",
                               "text": "第 12 行“身份证号”：与第 4 行为同一人、同一职业（工种），重复登记", "waivable": False}]


def test_unknown_trade_is_reported(project, organizer):
    rows = make_roster_rows(project, 10)
    rows[7]["trade"] = "4-03-02-01"
    version = upload_roster(project, organizer, rows)
    assert errors_of(version) == [(9, "职业（工种）代码")]
    assert "不是本项目的职业（工种）" in version.errors[0]["message"]


def test_trade_may_be_given_as_code_and_name_or_name(project, organizer):
    rows = make_roster_rows(project, 6)
    rows[0]["trade"] = "4-04-05-05 人工智能训练师"
    rows[1]["trade"] = "工业机器人系统运维员"
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED


def test_person_in_two_trades_of_this_cycle_in_one_file_is_hard(project, organizer):
    rows = make_roster_rows(project, 10)
    twin = dict(rows[0], trade="6-18-01-07")
    rows.append(twin)
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    assert [(e["row"], e["column"]) for e in version.errors] == [(2, "职业（工种）代码"), (12, "职业（工种）代码")]
    message = version.errors[0]["message"]
    assert message.startswith("二（四）选手 110108") and "（不可豁免）" in message
    assert "人工智能训练师（4-04-05-05）" in message and "多工序数控机床操作调整工（6-18-01-07）" in message


def test_person_entered_by_another_project_of_this_cycle_in_another_trade_is_hard(
        project, organizer, other_project, other_organizer):
    theirs = make_roster_rows(other_project, 8, start=5000)
    assert upload_roster(other_project, other_organizer, theirs).status == Status.ACCEPTED
    rows = make_roster_rows(project, 8)
    rows[3]["id_number"], rows[3]["name"] = theirs[0]["id_number"], theirs[0]["name"]
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    assert errors_of(version) == [(5, "职业（工种）代码")]
    assert f"已在“{other_project.title}”报名" in version.errors[0]["message"]


def test_person_in_two_trades_of_different_cycles_is_fine(project, organizer, project_2025, other_organizer):
    theirs = make_roster_rows(project_2025, 8, start=5000)
    assert upload_roster(project_2025, other_organizer, theirs).status == Status.ACCEPTED
    rows = make_roster_rows(project, 8)
    rows[3]["id_number"] = theirs[0]["id_number"]
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED


def _past_winner(id_number, trade_code, cycle=2024):
    FirstPrizeRecord.objects.create(id_hash=id_hash(id_number), id_masked="x", name="往届冠军", trade_code=trade_code,
                                    cycle=cycle, source=FirstPrizeRecord.Source.IMPORT)


def test_past_first_prize_winner_may_not_enter_the_same_trade_again(project, organizer):
    rows = make_roster_rows(project, 12)
    _past_winner(rows[2]["id_number"], rows[2]["trade"])
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    assert errors_of(version) == [(4, "职业（工种）代码")]
    assert "已获得过“人工智能训练师（4-04-05-05）”一等奖" in version.errors[0]["message"]
    assert Participant.objects.filter(application=project).count() == 0


def test_past_first_prize_winner_may_enter_another_trade(project, organizer):
    rows = make_roster_rows(project, 12)
    _past_winner(rows[2]["id_number"], "6-18-01-07")
    assert rows[2]["trade"] != "6-18-01-07"
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED


def test_non_members_are_recorded_never_refused(project, organizer):
    rows = make_roster_rows(project, 14)
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.ACCEPTED
    assert Participant.objects.filter(version=version, is_member=False).count() == 2


def test_missing_required_cells_are_each_reported(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[1].update(name="", employer="", is_member="")
    version = upload_roster(project, organizer, rows)
    assert errors_of(version) == [(3, "姓名"), (3, "工作单位"), (3, "是否工会会员")]


def test_a_missing_column_is_reported_for_the_whole_file(project, organizer):
    from rosters import services
    from rosters.importing.columns import ROSTER_COLUMNS
    from tests.rosters.stages import run_pending, upload_file, workbook_bytes

    columns = tuple(c for c in ROSTER_COLUMNS if c.key != "id_number")
    content = workbook_bytes(make_roster_rows(project, 3), columns)
    version = run_pending(
        services.start_import(application=project, actor=organizer, uploaded_file=upload_file(content), kind="roster")
    )
    assert version.status == Status.FAILED
    assert version.errors[0]["text"] == "表头缺少以下列：身份证号。请使用系统提供的模板。"


def test_id_typed_as_a_number_is_explained(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[0]["id_number"] = float(make_id(77))
    version = upload_roster(project, organizer, rows)
    assert "被保存为数字" in version.errors[0]["message"]


def test_every_problem_of_the_file_is_reported_in_one_go(project, organizer):
    rows = make_roster_rows(project, 40)
    rows[1]["id_number"] = wrong_check_digit(rows[1]["id_number"])
    rows[10]["trade"] = "9-99-99-99"
    rows.append(dict(rows[20]))
    version = upload_roster(project, organizer, rows)
    assert [e["row"] for e in version.errors] == [3, 12, 42]
    assert version.error_count == 3
