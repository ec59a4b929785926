"""The participants' satisfaction survey: who may answer, once, anonymously; the figures it gives."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from performance.survey import selectors, services
from performance.survey.forms import SurveyForm
from performance.survey.models import Survey, SurveyAnswer, SurveyReceipt

from .survey_stages import answer_as, answers, post_data, refused

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


def test_a_participant_on_the_roster_answers(survey, with_people):
    answer_as(survey, with_people.roster_rows[0], ratings=(5, 4, 3, 2, 1), again="unsure", suggestion="多安排练习")
    answer = SurveyAnswer.objects.get()
    assert (answer.organisation, answer.judging, answer.venue, answer.usefulness, answer.overall) == (5, 4, 3, 2, 1)
    assert (answer.again, answer.suggestion) == ("unsure", "多安排练习")
    assert SurveyReceipt.objects.filter(application=with_people).count() == 1


def test_answering_twice_is_refused_and_only_the_first_answer_counts(survey, with_people):
    row = with_people.roster_rows[3]
    answer_as(survey, row, ratings=(5, 5, 5, 5, 5))
    message = refused(survey, name=row["name"], id_tail=row["id_number"][-6:], answers=answers((1, 1, 1, 1, 1)),
                       address="198.51.100.1")
    assert message == services.ALREADY_ANSWERED
    assert SurveyAnswer.objects.count() == 1 and SurveyAnswer.objects.get().overall == 5


def test_a_wrong_id_tail_gets_the_same_refusal_as_someone_not_on_the_roster(survey, with_people):
    row = with_people.roster_rows[0]
    tail = row["id_number"][-6:]
    wrong = ("1" if tail[0] != "1" else "2") + tail[1:]
    wrong_tail = refused(survey, name=row["name"], id_tail=wrong, answers=answers(), address=ADDRESS)
    unknown = refused(survey, name="查无此人", id_tail=tail, answers=answers(), address=ADDRESS)
    assert wrong_tail == unknown == services.IDENTITY_REFUSED
    assert row["name"] not in wrong_tail
    assert not SurveyAnswer.objects.exists() and not SurveyReceipt.objects.exists()


def test_the_tail_of_another_participant_does_not_confirm_a_name(survey, with_people):
    first, second = with_people.roster_rows[0], with_people.roster_rows[1]
    assert refused(survey, name=first["name"], id_tail=second["id_number"][-6:], answers=answers(),
                    address=ADDRESS) == services.IDENTITY_REFUSED


def test_full_width_digits_lowercase_x_and_spaces_in_the_name_are_accepted(survey, with_people):
    row = next(r for r in with_people.roster_rows if r["id_number"].endswith("X"))
    tail = row["id_number"][-6:]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in tail[:-1]) + "x"
    spaced = row["name"][0] + "\u3000" + row["name"][1:]
    services.submit_answer(survey=survey, name=spaced, id_tail=full_width, answers=answers(), address=ADDRESS)
    assert SurveyAnswer.objects.count() == 1


def test_a_minority_name_matches_whichever_middle_dot_the_phone_types(survey, with_people, organizer):
    from tests.rosters.stages import make_roster_rows, upload_roster

    added = {**make_roster_rows(with_people, 1, start=60)[0], "name": "阿卜杜·热合曼"}
    assert upload_roster(with_people, organizer, [*with_people.roster_rows, added]).status == "accepted"
    services.submit_answer(survey=survey, name="阿卜杜•热合曼", id_tail=added["id_number"][-6:], answers=answers(),
                           address=ADDRESS)
    assert SurveyAnswer.objects.count() == 1


def test_two_participants_of_the_same_name_each_answer(survey, with_people, organizer):
    from tests.rosters.stages import make_roster_rows, upload_roster

    namesakes = [{**row, "name": "王伟"} for row in make_roster_rows(with_people, 25, start=60)]
    assert upload_roster(with_people, organizer, [*with_people.roster_rows, *namesakes]).status == "accepted"
    for row in namesakes:
        answer_as(survey, row)
    assert SurveyAnswer.objects.count() == SurveyReceipt.objects.count() == 25


def test_successful_answers_do_not_count_against_a_shared_address(survey, with_people):
    for row in with_people.roster_rows[:services.FREE_FAILURES + 2]:
        answer_as(survey, row, address=ADDRESS)
    assert SurveyAnswer.objects.count() == services.FREE_FAILURES + 2


def test_an_answer_carries_no_person_no_time_and_a_random_key():
    fields = SurveyAnswer._meta.get_fields()
    relations = {f.name for f in fields if f.is_relation}
    assert relations == {"application"}
    assert not [f for f in fields if isinstance(f, (models.DateField, models.DateTimeField))]
    assert isinstance(SurveyAnswer._meta.pk, models.UUIDField) and SurveyAnswer._meta.pk.default is uuid.uuid4
    assert not [f for f in SurveyReceipt._meta.get_fields() if f.is_relation and f.related_model is SurveyAnswer]
    assert not [f for f in SurveyReceipt._meta.get_fields() if isinstance(f, (models.DateField, models.DateTimeField))]
    assert SurveyAnswer._meta.ordering == ["id"]


def test_answers_are_not_read_in_the_order_they_came(survey, with_people):
    rows = with_people.roster_rows[:30]
    for n, row in enumerate(rows):
        answer_as(survey, row, suggestion=f"第{n:02d}位")
    read = list(SurveyAnswer.objects.values_list("suggestion", flat=True))
    assert sorted(read) == [f"第{n:02d}位" for n in range(30)]
    assert read != sorted(read)  # 1 in 30! that a random key sorts them by arrival


def test_satisfaction_rate_is_the_share_of_ratings_of_4_and_5_across_the_five_questions(survey, with_people):
    rows = with_people.roster_rows
    answer_as(survey, rows[0], ratings=(5, 5, 5, 5, 5))
    answer_as(survey, rows[1], ratings=(4, 3, 2, 1, 5))
    answer_as(survey, rows[2], ratings=(3, 3, 3, 3, 3))
    # 5 + 2 + 0 satisfied ratings of 15.
    assert selectors.satisfaction_rate(with_people) == Decimal("46.67")
    results = selectors.results(with_people)
    assert results.count == 3
    assert [q.satisfied_percent for q in results.questions] == [
        Decimal("66.67"), Decimal("33.33"), Decimal("33.33"), Decimal("33.33"), Decimal("66.67")]


def test_satisfaction_rate_is_none_without_answers(survey, with_people):
    assert selectors.satisfaction_rate(with_people) is None
    assert selectors.suggestions(with_people) == []


def test_results_come_from_one_query(survey, with_people, django_assert_num_queries):
    for row in with_people.roster_rows[:5]:
        answer_as(survey, row)
    with django_assert_num_queries(1):
        selectors.results(with_people)


def test_suggestions_leave_out_empty_ones_and_come_in_the_order_of_their_text(survey, with_people):
    rows = with_people.roster_rows
    answer_as(survey, rows[0], suggestion="增加练习时间")
    answer_as(survey, rows[1], suggestion="")
    answer_as(survey, rows[2], suggestion="  提前公布评分标准  ")
    assert selectors.suggestions(with_people) == sorted(["增加练习时间", "提前公布评分标准"])


def test_only_the_organizer_of_the_project_opens_the_survey(with_people, other_organizer, reviewer, organizer):
    with pytest.raises(PermissionDenied):
        services.open_survey(actor=other_organizer, application=with_people)
    with pytest.raises(PermissionDenied):
        services.open_survey(actor=reviewer, application=with_people)
    survey = services.open_survey(actor=organizer, application=with_people)
    assert services.open_survey(actor=organizer, application=with_people) == survey
    assert len(survey.token) >= 20 and str(with_people.pk) != survey.token
    assert Survey.objects.count() == 1


def test_the_survey_opens_only_once_a_roster_is_in(in_progress, organizer):
    with pytest.raises(ValidationError, match="参赛选手名单"):
        services.open_survey(actor=organizer, application=in_progress)
    assert not Survey.objects.exists()


def test_the_survey_closes_when_the_audit_passes(survey, with_people, organizer, reviewer):
    from .stages import audit_passed, materials_complete, materials_submitted

    project = audit_passed(materials_submitted(materials_complete(with_people, organizer), organizer), reviewer)
    row = with_people.roster_rows[0]
    assert project.state == "audit_passed"
    assert refused(survey, name=row["name"], id_tail=row["id_number"][-6:], answers=answers(),
                    address=ADDRESS) == services.CLOSED
    with pytest.raises(ValidationError):
        services.open_survey(actor=organizer, application=project)


def test_the_form_refuses_control_characters_and_overlong_suggestions(with_people):
    row = with_people.roster_rows[0]
    for text in ("好\x00", "建议\x1b[31m", "\u202e反转文字", "长" * 501):
        form = SurveyForm(post_data(row, suggestion=text))
        assert not form.is_valid() and "suggestion" in form.errors, text
    ok = SurveyForm(post_data(row, suggestion="第一行\r\n第二行"))
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["suggestion"] == "第一行\n第二行"


def test_the_form_wants_six_characters_of_an_id_tail(with_people):
    row = with_people.roster_rows[0]
    for tail in ("12345", "1234567", "12345Y", "X12345"):
        form = SurveyForm(post_data(row, tail=tail))
        assert not form.is_valid() and "id_tail" in form.errors, tail


def test_filling_the_report_appends_the_survey_and_replaces_an_earlier_fill(survey, with_people, organizer):
    from performance.services import save_report

    save_report(application=with_people, actor=organizer, sections={"suggestions": "选手建议提前公布赛程。"})
    rows = with_people.roster_rows
    answer_as(survey, rows[0], suggestion="增加练习时间")
    services.fill_report_suggestions(actor=organizer, application=with_people)
    answer_as(survey, rows[1], ratings=(1, 1, 1, 1, 1), suggestion="场地太小")
    materials = services.fill_report_suggestions(actor=organizer, application=with_people)
    text = materials.section("suggestions")
    assert text.startswith("选手建议提前公布赛程。\n" + services.SURVEY_BLOCK_HEADING)
    assert text.count(services.SURVEY_BLOCK_HEADING) == 1
    assert "共收回有效问卷 2 份，满意率 50.00%" in text and "增加练习时间" in text and "场地太小" in text


def test_filling_the_report_without_answers_says_so(survey, with_people, organizer, other_organizer):
    with pytest.raises(ValidationError):
        services.fill_report_suggestions(actor=organizer, application=with_people)
    with pytest.raises(PermissionDenied):
        services.fill_report_suggestions(actor=other_organizer, application=with_people)


def test_an_unknown_name_and_a_wrong_tail_both_decrypt_one_id_number(survey, with_people, monkeypatch):
    """The same work on both paths, so the time taken does not tell a name on the roster from one that is not."""
    from rosters.models import Participant

    calls = []
    real = Participant.unseal
    monkeypatch.setattr(Participant, "unseal", staticmethod(lambda token: calls.append(token) or real(token)))
    row = with_people.roster_rows[0]
    assert services.identify(with_people, name="查无此人", id_tail="123456") is None
    assert services.identify(with_people, name=row["name"], id_tail="123456") is None
    assert len(calls) == 2 and calls[0] != calls[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_person_record_one_answer(organizer, reviewer, approver, finance):
    import threading

    from django.db import connection

    from tests.rosters.stages import make_roster_rows, upload_roster

    from .stages import in_progress

    project = in_progress(organizer, reviewer, approver, finance)
    rows = make_roster_rows(project, 6)
    upload_roster(project, organizer, rows)
    survey = services.open_survey(actor=organizer, application=project)
    barrier, outcomes = threading.Barrier(2), []

    def submit(n):
        try:
            barrier.wait()
            answer_as(survey, rows[0], ratings=(n, n, n, n, n), address=f"198.51.100.{n}")
            outcomes.append("recorded")
        except services.SurveyRefused as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted(["recorded", services.ALREADY_ANSWERED])
    assert SurveyAnswer.objects.count() == 1 and SurveyReceipt.objects.count() == 1
