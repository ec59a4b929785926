"""The identity documents of a Haidian roster (一（七）, 一（九））: 港澳台居民居住证 and 外国人永久居留身份证
holders are imported like anyone (type recorded, same keyed hash, mask and encryption); a passport
waits for the organizer's reason and the department's decision; a 证件类型 that contradicts the number
is a row error on that column."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.rosters import make_foreign_pr_id, make_permit_id, with_other_documents
from haidian_contest import rules
from rosters import selectors, services
from rosters.identity import hasher, id_hash
from rosters.models import Participant, RosterVersion
from tests.rosters.stages import make_roster_rows, run_pending, upload_roster

pytestmark = pytest.mark.django_db
Status = RosterVersion.Status
PASSPORT_NUMBER = "E12345678"


def _person(project, row_number):
    return Participant.objects.get(application=project, is_current=True, row_number=row_number)


def test_a_hk_permit_and_a_foreign_permanent_resident_are_imported_with_their_document_type(project, organizer):
    rows = with_other_documents(make_roster_rows(project, 12))
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.ACCEPTED, version.errors
    hk, foreign = _person(project, 7), _person(project, 11)
    assert (hk.id_type, foreign.id_type) == (rules.HMT_PERMIT, rules.FOREIGN_PR)
    assert _person(project, 2).id_type == rules.RESIDENT_CARD


def test_other_documents_are_hashed_masked_and_encrypted_like_a_resident_card(project, organizer):
    number = make_foreign_pr_id(41, "31", "392")
    rows = make_roster_rows(project, 4)
    rows[1]["id_number"] = number.lower()
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED
    person = _person(project, 3)
    assert person.id_hash == id_hash(number) == hasher()(number)
    assert person.id_masked == number[:6] + "********" + number[-4:]
    assert number not in person.personal_encrypted and person.id_number == number


def test_a_permit_number_the_old_check_let_through_as_a_resident_card_is_refused(project, organizer):
    rows = make_roster_rows(project, 4)
    rows[2]["id_number"] = make_permit_id(3, "811234")  # 81 and a county code: no card carries it
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    [error] = version.errors
    assert (error["row"], error["column"]) == (4, "身份证号") and "810000" in error["message"]


def test_a_document_type_that_contradicts_the_number_names_the_row_and_the_type_column(project, organizer):
    rows = make_roster_rows(project, 5)
    rows[3]["id_number"] = make_permit_id(9, "820000")
    rows[3]["id_type"] = "居民身份证"
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED
    [error] = version.errors
    assert error["text"].startswith("第 5 行“证件类型”：证件类型填写为“居民身份证”，但该号码是港澳台居民居住证的号码")
    assert not Participant.objects.filter(application=project).exists()


def test_a_document_type_that_matches_the_number_is_accepted(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[0]["id_number"], rows[0]["id_type"] = make_permit_id(11, "830000"), "台湾居民居住证"
    rows[1]["id_type"] = "居民身份证"
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED
    assert _person(project, 2).id_type == rules.HMT_PERMIT


def test_an_unknown_document_type_is_a_row_error_on_its_column(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[1]["id_type"] = "驾驶证"
    version = upload_roster(project, organizer, rows)
    assert [(e["row"], e["column"]) for e in version.errors] == [(3, "证件类型")]


def test_a_passport_number_without_a_document_type_is_refused_with_the_way_to_enter_it(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[0]["id_number"] = PASSPORT_NUMBER
    version = upload_roster(project, organizer, rows)
    assert version.status == Status.FAILED and version.pending_waivers == []
    assert "“证件类型”列填写“护照”" in version.errors[0]["message"]


@pytest.fixture
def passport_refused(project, organizer):
    rows = make_roster_rows(project, 6)
    rows[2].update(name="John Smith", id_number=PASSPORT_NUMBER, id_type="护照")
    return upload_roster(project, organizer, rows)


def test_a_passport_is_a_waivable_1_7_finding_that_holds_the_roster_until_explained(passport_refused, project):
    version = passport_refused
    assert version.status == Status.FAILED
    [error] = version.errors
    assert error["waivable"] and error["column"] == "证件类型" and error["message"].startswith("一（七）")
    assert [w["row"] for w in version.pending_waivers] == [4]
    assert PASSPORT_NUMBER not in str(version.errors) + str(version.pending_waivers)
    assert not Participant.objects.filter(application=project).exists()


@pytest.fixture
def passport_explained(passport_refused, organizer):
    version = services.resubmit_with_waivers(version=passport_refused, actor=organizer,
                                             reasons={"4": "外籍工程师，持护照在本区企业工作，尚未办理永居证。"})
    return run_pending(version)


def test_with_the_organizers_reason_the_passport_holder_is_entered_and_awaits_the_department(
        passport_explained, project):
    version = passport_explained
    assert version.status == Status.ACCEPTED, version.errors
    person = _person(project, 4)
    assert person.id_type == rules.PASSPORT and person.id_masked == "********"
    assert person.id_hash == id_hash(PASSPORT_NUMBER) and person.id_number == PASSPORT_NUMBER
    [waiver] = selectors.plan_waivers(project)
    assert waiver["clause_label"] == "一（七）" and waiver["accepted"] is None
    assert waiver["justification"].startswith("外籍工程师")


def test_the_department_decides_the_passport_waiver(passport_explained, project, organizer, reviewer):
    [waiver] = selectors.plan_waivers(project)
    with pytest.raises(ValidationError):
        services.decide_plan_waiver(application=project, actor=reviewer, key=waiver["key"], accepted=False)
    services.decide_plan_waiver(application=project, actor=reviewer, key=waiver["key"], accepted=True,
                                reason="确在本区就业，同意以护照实名登记。")
    [decided] = selectors.plan_waivers(project)
    assert decided["accepted"] is True and decided["decided_by_id"] == reviewer.pk


def test_the_participants_page_shows_the_passport_waiver_and_the_document_type(passport_explained, project,
                                                                                reviewer, client):
    client.force_login(reviewer)
    page = client.get(f"/rosters/project/{project.pk}/participants/").content.decode()
    assert 'data-testid="plan-waiver"' in page and "以护照登记" in page and "同意豁免" in page
    assert '<span class="badge text-bg-light" data-testid="id-type">护照</span>' in page
    assert PASSPORT_NUMBER not in page


def test_a_passport_holder_on_the_roster_may_be_a_winner(passport_explained, project, organizer):
    from tests.rosters.stages import upload_winners

    people = Participant.objects.filter(application=project, is_current=True).select_related("trade")
    rows = [{"name": p.name, "id_number": p.id_number, "trade": p.trade_code, "rank": "三等奖", "amount": 2000,
             "note": "参加初赛、决赛。"} for p in people if p.id_type == rules.PASSPORT]
    version = upload_winners(project, organizer, rows)
    assert not [e for e in version.errors if e["column"] == "身份证号"], version.errors


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 9_999_999), st.sampled_from(["810000", "820000", "830000"]),
       st.sampled_from(["11", "44", "65"]), st.sampled_from(["840", "276", "392", "704"]))
def test_every_valid_number_of_each_kind_round_trips_through_mask_and_hash(n, region, province, nationality):
    digest = hasher()
    for number in (make_permit_id(n, region), make_foreign_pr_id(n, province, nationality), "USA1100" + f"{n:08d}"):
        assert rules.is_valid_id_number(number)
        for typed in (number.lower(), number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
            assert id_hash(typed) == id_hash(number) == digest(rules.people.normalize_id(typed))
            assert rules.mask_id_number(typed) == rules.mask_id_number(number)


def test_the_participants_search_finds_a_passport_holder_by_the_full_number(passport_explained, project):
    [found] = selectors.participants(project, query=PASSPORT_NUMBER.lower())
    assert found.row_number == 4


def test_the_participants_search_finds_a_2017_card_holder_by_the_full_number(project, organizer):
    rows = make_roster_rows(project, 3)
    rows[1]["id_number"] = "KOR440088020301"
    assert upload_roster(project, organizer, rows).status == Status.ACCEPTED
    [found] = selectors.participants(project, query="kor440088020301")
    assert found.row_number == 3 and found.id_type == rules.FOREIGN_PR and found.id_masked == "KOR********301"
