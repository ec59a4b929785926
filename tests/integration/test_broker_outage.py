"""Redis down: the action that queued background work still succeeds; the work waits in the database."""

import os

import pytest

from accounts.services import notify
from haidian_contest.models import DeferredTask
from haidian_contest.tasks import resend_deferred_tasks

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_notification_during_broker_outage_is_kept_for_later(use_broker, organizer, django_capture_on_commit_callbacks):
    use_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        notify([organizer], "申报已提交")
    assert organizer.notifications.count() == 1
    deferred = DeferredTask.objects.get()
    assert deferred.task_name == "accounts.tasks.send_notification_email" and deferred.sent_at is None


def test_deferred_tasks_stay_pending_while_the_broker_is_down(use_broker, organizer, django_capture_on_commit_callbacks):
    use_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        notify([organizer], "申报已提交")
    assert resend_deferred_tasks() == 0
    assert DeferredTask.objects.filter(sent_at__isnull=True).count() == 1


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_deferred_tasks_are_sent_once_the_broker_is_back(use_broker, organizer, django_capture_on_commit_callbacks):
    use_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        notify([organizer], "申报已提交")
    use_broker(os.environ["TEST_REDIS_URL"])
    assert resend_deferred_tasks() == 1
    assert DeferredTask.objects.get().sent_at is not None
