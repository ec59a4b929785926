"""The year's call for applications: its window governs first submissions (issue 16)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import calls, services
from applications.models import Call
from applications.workflow_engine import WorkflowError
from haidian_contest.workflow import State
from tests.lifecycle import build_application

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def call_2027(reviewer):
    """The 2027 call, replacing the all-year one the tests' reference data opens."""
    Call.objects.filter(cycle=2027).delete()
    with time_machine.travel(at(2027, 2, 1, 9, 0), tick=False):
        return calls.create_call(actor=reviewer, cycle=2027, title="关于开展2027年度职工职业技能竞赛申报工作的通知",
                                 notice="各单位：……", opens_at=at(2027, 3, 1, 9, 0), closes_at=at(2027, 4, 30, 17, 0),
                                 planned_competitions=12, budget=Decimal("1800000.00"))


def draft_2027(organizer):
    return build_application(organizer, "A", cycle=2027)


def submit(app, organizer, when):
    with time_machine.travel(when, tick=False):
        return services.submit_application(application=app, actor=organizer)


def test_a_submission_inside_the_window_is_accepted(organizer, call_2027):
    app = draft_2027(organizer)
    submit(app, organizer, at(2027, 4, 30, 16, 59))
    app.refresh_from_db()
    assert app.status == State.SUBMITTED


def test_a_submission_after_the_window_is_refused_with_its_dates_and_stays_a_draft(organizer, call_2027):
    app = draft_2027(organizer)
    with pytest.raises(WorkflowError, match="申报已截止.*2027年03月01日 09:00 至 2027年04月30日 17:00"):
        submit(app, organizer, at(2027, 4, 30, 17, 1))
    app.refresh_from_db()
    assert app.status == State.DRAFT


def test_a_submission_before_the_window_opens_is_refused(organizer, call_2027):
    app = draft_2027(organizer)
    with pytest.raises(WorkflowError, match="申报尚未开始"):
        submit(app, organizer, at(2027, 2, 28, 23, 59))


def test_without_the_years_call_nothing_can_be_submitted(organizer):
    Call.objects.filter(cycle=2027).delete()
    app = draft_2027(organizer)
    with pytest.raises(WorkflowError, match="2027 年度申报通知尚未发布"):
        submit(app, organizer, at(2027, 3, 15, 9, 0))


def test_a_project_returned_for_revision_may_be_resubmitted_after_the_window(organizer, reviewer, call_2027):
    from applications import workflow_engine

    app = draft_2027(organizer)
    submit(app, organizer, at(2027, 4, 1, 9, 0))
    with time_machine.travel(at(2027, 5, 10, 9, 0), tick=False):
        workflow_engine.perform(application=app, name="start_review", actor=reviewer)
        workflow_engine.perform(application=app, name="return_for_revision", actor=reviewer, comment="请补充评委资料")
    submit(app, organizer, at(2027, 5, 20, 9, 0))
    app.refresh_from_db()
    assert app.status == State.SUBMITTED


def test_the_department_extends_the_window_with_a_reason_on_the_record(organizer, reviewer, call_2027):
    app = draft_2027(organizer)
    with time_machine.travel(at(2027, 4, 29, 9, 0), tick=False):
        extension = calls.extend_call(call=call_2027, actor=reviewer, closes_at=at(2027, 5, 15, 17, 0),
                                      reason="受假期影响，应多家单位请求延期。")
    assert (extension.previous_closes_at, extension.closes_at, extension.actor) == (
        at(2027, 4, 30, 17, 0), at(2027, 5, 15, 17, 0), reviewer)
    submit(app, organizer, at(2027, 5, 10, 9, 0))
    app.refresh_from_db()
    assert app.status == State.SUBMITTED
    assert organizer.notifications.filter(text__contains="延长至 2027年05月15日").exists()


def test_an_extension_needs_a_reason(reviewer, call_2027):
    with pytest.raises(ValidationError, match="理由"):
        calls.extend_call(call=call_2027, actor=reviewer, closes_at=at(2027, 5, 15, 17, 0), reason="  ")


def test_an_extension_cannot_move_the_deadline_earlier(reviewer, call_2027):
    with pytest.raises(ValidationError, match="须晚于原截止时间"):
        calls.extend_call(call=call_2027, actor=reviewer, closes_at=at(2027, 4, 1, 17, 0), reason="提前")


def test_the_window_of_an_open_call_changes_only_by_extension(reviewer, call_2027):
    with time_machine.travel(at(2027, 3, 10, 9, 0), tick=False), pytest.raises(ValidationError, match="延期"):
        calls.update_call(call=call_2027, actor=reviewer, title=call_2027.title, notice=call_2027.notice,
                          planned_competitions=12, budget=Decimal("1800000.00"),
                          opens_at=call_2027.opens_at, closes_at=at(2027, 6, 1, 17, 0))


def test_an_organizer_cannot_publish_a_call(organizer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        calls.create_call(actor=organizer, cycle=2030, title="x", notice="x", opens_at=at(2030, 1, 1),
                          closes_at=at(2030, 2, 1), planned_competitions=1, budget=Decimal("1.00"))


def test_the_opening_notice_goes_to_every_active_organizer_once(organizer, other_organizer, call_2027):
    other_organizer.is_active = False
    other_organizer.save()
    assert calls.send_due_notices(at(2027, 2, 28, 9, 0)) == 0
    assert calls.send_due_notices(at(2027, 3, 1, 9, 15)) == 1
    assert calls.send_due_notices(at(2027, 3, 1, 9, 30)) == 0
    assert organizer.notifications.filter(text__contains="已发布").count() == 1
    assert not other_organizer.notifications.exists()


def test_the_closing_reminder_goes_out_three_days_before_the_deadline_once(organizer, call_2027):
    calls.send_due_notices(at(2027, 3, 1, 9, 15))
    assert calls.send_due_notices(at(2027, 4, 27, 16, 0)) == 0
    assert calls.send_due_notices(at(2027, 4, 27, 17, 15)) == 1
    assert calls.send_due_notices(at(2027, 4, 28, 9, 0)) == 0
    assert organizer.notifications.filter(text__contains="截止，请尽快提交").count() == 1


def test_an_extension_sends_the_reminder_again_before_the_new_deadline(organizer, reviewer, call_2027):
    calls.send_due_notices(at(2027, 3, 1, 9, 15))
    calls.send_due_notices(at(2027, 4, 28, 9, 0))
    with time_machine.travel(at(2027, 4, 29, 9, 0), tick=False):
        calls.extend_call(call=call_2027, actor=reviewer, closes_at=at(2027, 5, 15, 17, 0), reason="延期")
    assert calls.send_due_notices(at(2027, 5, 12, 18, 0)) == 1


def home_page_on(client, organizer, when) -> str:
    with time_machine.travel(when, tick=False):
        organizer.set_password("Fresh-pass-2027")  # not expired on that day
        organizer.save()
        client.force_login(organizer)
        response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:list")
    return response.content.decode()


def test_organizers_see_the_open_call_on_their_home_page(client, organizer, call_2027):
    html = home_page_on(client, organizer, at(2027, 3, 5, 9, 0))
    assert 'data-testid="open-call"' in html and call_2027.title in html


def test_a_closed_call_is_not_shown_as_open(client, organizer, call_2027):
    html = home_page_on(client, organizer, at(2027, 5, 5, 9, 0))
    assert call_2027.title not in html  # (the tests' calls of the other years are still open)


def test_the_department_publishes_a_call_in_the_browser_form(client, reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(reviewer)
    response = client.post(reverse("applications:call_create"), {
        "cycle": "2028", "title": "2028年度申报通知", "notice": "正文", "opens_at": "2028-03-01T09:00",
        "closes_at": "2028-04-30T17:00", "planned_competitions": "10", "budget": "1500000.00",
        "attachments": [SimpleUploadedFile("申报表.pdf", b"%PDF-1.4\n%%EOF\n")]})
    call = Call.objects.get(cycle=2028)
    assert response.status_code == 302
    assert call.opens_at == at(2028, 3, 1, 9, 0) and call.attachments.get().name == "申报表.pdf"


def test_a_window_that_closes_before_it_opens_keeps_what_was_typed(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("applications:call_create"), {
        "cycle": "2028", "title": "2028年度申报通知", "notice": "正文", "opens_at": "2028-04-30T17:00",
        "closes_at": "2028-03-01T09:00", "planned_competitions": "10", "budget": "1500000.00"})
    html = response.content.decode()
    assert "截止时间须晚于开始时间" in html and "2028年度申报通知" in html and "2028-03-01T09:00" in html
    assert not Call.objects.filter(cycle=2028).exists()


def test_a_call_whose_window_lies_wholly_in_the_past_is_refused_in_chinese(reviewer):
    Call.objects.filter(cycle=2027).delete()
    with time_machine.travel(at(2027, 5, 1, 9, 0), tick=False), pytest.raises(ValidationError, match="已经过去"):
        calls.create_call(actor=reviewer, cycle=2027, title="关于开展2027年度职工职业技能竞赛申报工作的通知",
                          notice="各单位：……", opens_at=at(2027, 3, 1, 9, 0), closes_at=at(2027, 4, 30, 17, 0),
                          planned_competitions=12, budget=Decimal("1800000.00"))
    assert not Call.objects.filter(cycle=2027).exists()


def test_a_call_still_open_may_be_published_late(reviewer):
    Call.objects.filter(cycle=2027).delete()
    with time_machine.travel(at(2027, 4, 30, 16, 0), tick=False):
        call = calls.create_call(actor=reviewer, cycle=2027, title="关于开展2027年度职工职业技能竞赛申报工作的通知",
                                 notice="各单位：……", opens_at=at(2027, 3, 1, 9, 0), closes_at=at(2027, 4, 30, 17, 0),
                                 planned_competitions=12, budget=Decimal("1800000.00"))
    assert call.closes_at == at(2027, 4, 30, 17, 0)


def test_outside_the_window_the_panel_gives_the_window_as_the_reason_and_the_message_says_saved_once(
        client, organizer, call_2027):
    from tests.applications.posts import application_post

    app = draft_2027(organizer)
    with time_machine.travel(at(2027, 5, 6, 9, 0), tick=False):
        organizer.set_password("Fresh-pass-2027")  # not expired on that day
        organizer.save()
        client.force_login(organizer)
        page = client.get(reverse("applications:edit", args=[app.pk])).content.decode()
        panel = client.post(reverse("applications:rules_panel", args=[app.pk]),
                            application_post(cycle="2027")).content.decode()
        saved = client.post(reverse("applications:edit", args=[app.pk]),
                            application_post("submit", title=app.title, cycle="2027"), follow=True).content.decode()
    for html in (page, panel, saved):
        assert "可以提交" not in html
        assert ("内容符合申报条件，但尚不能提交：申报已截止：2027 年度申报时间为 "
                "2027年03月01日 09:00 至 2027年04月30日 17:00") in html
    assert saved.count("草稿已保存") == 1 and "草稿已保存，但尚不能提交：申报已截止" in saved
    app.refresh_from_db()
    assert app.status == State.DRAFT
