"""The application's own dates: end before start, trade dates, a start already past (3.1a, 2.3b),
on save (the form), on submission (the application_complete guard) and at the review."""

from datetime import date

import pytest
from django.urls import reverse

from applications import services
from applications.evaluation import findings_for
from applications.models import Application
from applications.selectors import application_with_trades
from applications.workflow_engine import WorkflowError
from haidian_contest.workflow import State
from review import services as review_services
from tests.clock import APPLIED, travel
from tests.lifecycle import build_application
from tests.review.stages import accept_all_waivers, complete_review, under_review

from .posts import application_post, trade_post

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_on_save_and_the_form_keeps_what_was_typed(client, organizer):
    client.force_login(organizer)
    page = client.post(reverse("applications:create"),
                       application_post(title="倒排日期的竞赛", start_date="2026-09-20", end_date="2026-07-01"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "竞赛结束日期（2026-07-01）不能早于开始日期（2026-09-20）" in html
    assert 'value="倒排日期的竞赛"' in html and 'value="2026-09-20"' in html and 'value="2026-07-01"' in html
    assert not Application.objects.exists()


def test_end_on_the_start_day_is_saved(client, organizer):
    client.force_login(organizer)
    client.post(reverse("applications:create"), application_post(start_date="2026-09-20", end_date="2026-09-20"))
    assert Application.objects.get().end_date == date(2026, 9, 20)


def test_trade_final_before_its_preliminary_is_refused_on_save(client, organizer):
    with travel(APPLIED):
        app = build_application(organizer, "A")
        client.force_login(organizer)
        page = client.post(reverse("applications:trade_create", args=[app.pk]),
                           trade_post(preliminary_date="2026-09-10", final_date="2026-07-10"))
    assert "决赛日期（2026-07-10）不能早于初赛日期（2026-09-10）" in page.content.decode()
    assert app.trades.count() == 3


def test_end_before_start_saved_some_other_way_blocks_submission(organizer):
    with travel(APPLIED):
        app = build_application(organizer, "A")
        services.update_application(
            application=app, actor=organizer, start_date=date(2026, 9, 20), end_date=date(2026, 7, 1)
        )
        with pytest.raises(WorkflowError, match="早于开始日期"):
            services.submit_application(application=app, actor=organizer)


def test_a_trade_final_outside_the_competition_blocks_submission(organizer):
    with travel(APPLIED):
        app = build_application(organizer, "A")
        trade = app.trades.first()
        services.save_trade(application=app, actor=organizer, trade=trade, final_date=date(2026, 10, 8))
        with pytest.raises(WorkflowError, match="不在竞赛日期"):
            services.submit_application(application=app, actor=organizer)


def test_a_start_already_past_on_submission_is_a_waivable_finding_needing_a_reason(organizer):
    with travel(date(2026, 7, 3)):  # A starts 2026-07-01
        app = build_application(organizer, "A", justify=False)
        [finding] = [f for f in findings_for(application_with_trades(app)) if f.code == "start_passed"]
        assert finding.waivable and finding.clause == "2.3b"
        with pytest.raises(WorkflowError, match="二（三）"):
            services.submit_application(application=app, actor=organizer)
        services.set_justifications(application=app, actor=organizer, justifications={finding.key: "初赛已按计划启动，决赛尚未举行。"})
        version = services.submit_application(application=app, actor=organizer)
    assert [f["code"] for f in version.findings] == ["start_passed"]


def test_the_submission_day_is_frozen_in_the_finding(organizer):
    with travel(APPLIED):
        app = build_application(organizer, "A")
        services.submit_application(application=app, actor=organizer)
    app.refresh_from_db()
    with travel(date(2026, 8, 1)):
        assert findings_for(application_with_trades(app)) == []


def test_the_review_refuses_to_recommend_an_application_whose_dates_are_wrong(organizer, reviewer):
    app = under_review(organizer, reviewer)
    # A version submitted before these checks existed: its stored findings do not mention the dates.
    Application.objects.filter(pk=app.pk).update(end_date=date(2026, 6, 1))
    app.refresh_from_db()
    accept_all_waivers(app, reviewer)
    complete_review(app, reviewer)
    assert any("早于开始日期" in gap for gap in review_services.review_gaps(application=app))
    with pytest.raises(WorkflowError, match="早于开始日期"):
        review_services.recommend(application=app, actor=reviewer)
    app.refresh_from_db()
    assert app.status == State.UNDER_REVIEW


# The project page's timeline and the department's 日期调整.

@pytest.fixture
def future(organizer, reviewer, approver, finance):
    from tests.performance.stages import future_in_progress

    return future_in_progress(organizer, reviewer, approver, finance)


def test_timeline_shows_the_gates_still_closed_and_today_before_the_start(future, client, organizer):
    with travel(date(2026, 12, 1)):
        client.force_login(organizer)
        html = client.get(reverse("applications:detail", args=[future.pk])).content.decode()
    assert 'data-testid="timeline"' in html
    assert 'data-testid="step-import_winners" data-status="waiting"' in html
    assert 'data-testid="step-pay_tranche_1" data-status="done"' in html
    assert html.index('data-testid="today-marker"') < html.index('data-testid="step-start"')
    assert "可办理日期 2026-12-21 起" in html and "截止 2027-01-03" in html


def test_timeline_marks_materials_not_in_two_weeks_after_the_end_late(future, client, organizer):
    with travel(date(2027, 1, 4)):
        client.force_login(organizer)
        html = client.get(reverse("applications:detail", args=[future.pk])).content.decode()
    assert 'data-testid="step-submit_materials" data-status="late"' in html
    assert "已逾期（截止 2027-01-03）" in html


def test_reviewer_records_a_date_adjustment_from_the_page_with_a_reason(future, client, reviewer):
    with travel(date(2026, 12, 5)):
        client.force_login(reviewer)
        url = reverse("review:adjust_dates", args=[future.pk])
        client.post(url, {"start_date": "2026-12-12", "end_date": "2026-12-22", "reason": ""})
        future.refresh_from_db()
        assert future.end_date == date(2026, 12, 20)
        client.post(url, {"start_date": "2026-12-12", "end_date": "2026-12-22", "reason": "场馆改期。"})
        html = client.get(reverse("applications:detail", args=[future.pk])).content.decode()
    future.refresh_from_db()
    assert (future.start_date, future.end_date) == (date(2026, 12, 12), date(2026, 12, 22))
    assert 'data-testid="dates-moved"' in html and "场馆改期。" in html
    assert future.status_changes.filter(transition="adjust_dates", actor=reviewer).count() == 1


def test_organizer_cannot_adjust_the_dates(future, client, organizer):
    client.force_login(organizer)
    response = client.post(reverse("review:adjust_dates", args=[future.pk]),
                           {"start_date": "2026-12-12", "end_date": "2026-12-22", "reason": "想改。"})
    assert response.status_code == 403


def test_an_application_of_2025_with_2027_dates_cannot_be_submitted_without_a_reason(organizer):
    from tests.lifecycle import open_call_for

    open_call_for(2025)
    with travel(APPLIED):
        app = build_application(organizer, "A", justify=False, cycle=2025,
                                start_date=date(2027, 7, 1), end_date=date(2027, 7, 3))
        found = [f for f in findings_for(application_with_trades(app)) if f.code == "dates_outside_cycle"]
        assert [f.clause_label for f in found] == ["三（一）"]
        with pytest.raises(WorkflowError, match="三（一） 须填写豁免理由"):
            services.submit_application(application=app, actor=organizer)
    app.refresh_from_db()
    assert app.status == State.DRAFT
