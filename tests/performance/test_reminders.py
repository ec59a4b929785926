"""3.5 deadline reminders (7 and 2 days before, and the first overdue day) and overdue highlighting."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from accounts.models import Notification
from haidian_contest.celery import app as celery_app
from performance.models import MaterialReminder
from performance.reminders import send_material_reminders
from performance.selectors import deadline_of, overdue_application_ids
from performance.tasks import send_material_reminders as reminder_task

from .stages import materials_submitted

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = date(2026, 10, 4)  # scenario A: event ends 2026-09-20, materials due two weeks later


def at(day: date, hour: int = 8):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI), tick=False)


def sent(app):
    return list(MaterialReminder.objects.filter(application=app).order_by("id").values_list("milestone", flat=True))


def test_deadline_is_two_weeks_after_the_event(in_progress):
    assert deadline_of(in_progress).due == DEADLINE


def test_reminder_seven_days_before_is_sent_once(in_progress, organizer):
    with at(date(2026, 9, 27)):
        assert send_material_reminders() == 1
        assert send_material_reminders() == 0
    assert sent(in_progress) == ["due_in_7"]
    notice = Notification.objects.filter(user=organizer).latest("id")
    assert "2026年10月04日" in notice.text and "还剩 7 天" in notice.text
    assert notice.url == reverse("performance:materials", args=[in_progress.pk])


def test_reminder_two_days_before(in_progress):
    with at(date(2026, 9, 27)):
        send_material_reminders()
    with at(date(2026, 10, 2)):
        assert send_material_reminders() == 1
    assert sent(in_progress) == ["due_in_7", "due_in_2"]


def test_overdue_reminder_on_the_first_day_after_the_deadline_reaches_the_department(in_progress, organizer, reviewer):
    with at(DEADLINE):
        send_material_reminders()
        assert "overdue" not in sent(in_progress)  # the deadline day itself is still in time
    with at(date(2026, 10, 5)):
        assert send_material_reminders() == 1
    assert "overdue" in sent(in_progress)
    assert Notification.objects.filter(user=reviewer, text__contains="已逾期").exists()
    assert Notification.objects.filter(user=organizer, text__contains="已逾期").exists()


def test_days_between_milestones_send_nothing(in_progress):
    with at(date(2026, 9, 27)):
        send_material_reminders()
    for day in (date(2026, 9, 28), date(2026, 9, 30), date(2026, 10, 1)):
        with at(day):
            assert send_material_reminders() == 0
    with at(date(2026, 9, 20)):
        assert send_material_reminders() == 0


def test_day_is_taken_in_beijing_time(in_progress):
    # 16:30 UTC on 26 September is already 27 September in Beijing.
    with time_machine.travel(datetime(2026, 9, 26, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert send_material_reminders() == 1


def test_missed_days_catch_up_with_the_latest_reminder_only(in_progress):
    with at(date(2026, 10, 3)):
        assert send_material_reminders() == 1
    assert sent(in_progress) == ["due_in_2"]


def test_submitted_materials_get_no_reminder(complete, organizer):
    materials_submitted(complete, organizer)
    with at(date(2026, 10, 5)):
        assert send_material_reminders() == 0


def test_celery_task_sends_the_reminders(in_progress):
    with at(date(2026, 9, 27)):
        assert reminder_task.delay().get() == 1


def test_beat_runs_the_reminders_daily():
    entry = celery_app.conf.beat_schedule["performance-material-reminders"]
    assert entry["task"] == reminder_task.name
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}


def test_overdue_ids_list_only_projects_past_the_deadline(in_progress):
    with at(DEADLINE):
        assert overdue_application_ids() == frozenset()
    with at(date(2026, 10, 5)):
        assert overdue_application_ids() == {in_progress.pk}
        assert overdue_application_ids(cycle=2025) == frozenset()


def test_overdue_tags_mark_the_row_and_show_a_badge(in_progress, rf):
    template = Template("{% load performance_tags %}<tr class=\"{% overdue_class app %}\">{% overdue_badge app %}</tr>")
    with at(date(2026, 10, 5)):
        html = template.render(Context({"app": in_progress, "request": rf.get("/")}))
    assert 'class="overdue"' in html and "材料逾期" in html
    with at(DEADLINE):
        assert "overdue" not in template.render(Context({"app": in_progress, "request": rf.get("/")}))


def test_audit_queue_highlights_overdue_projects(client, in_progress, reviewer):
    client.force_login(reviewer)
    with at(date(2026, 10, 5)):
        page = client.get(reverse("performance:audit_queue")).content.decode()
    assert 'class="overdue"' in page and 'data-testid="overdue-badge"' in page


def test_audit_queue_query_count_is_constant(client, reviewer, organizer, approver, finance, django_assert_max_num_queries):
    from .stages import in_progress as make

    make(organizer, reviewer, approver, finance)
    client.force_login(reviewer)
    url = reverse("performance:audit_queue")
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    make(organizer, reviewer, approver, finance, "C")
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count('data-testid="queue-row"') == 2
