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
        notify(users=[organizer], text="申报已提交")
    assert organizer.notifications.count() == 1
    deferred = DeferredTask.objects.get()
    assert deferred.task_name == "accounts.tasks.send_notification_email" and deferred.sent_at is None


def test_deferred_tasks_stay_pending_while_the_broker_is_down(use_broker, organizer, django_capture_on_commit_callbacks):
    use_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[organizer], text="申报已提交")
    assert resend_deferred_tasks() == 0
    assert DeferredTask.objects.filter(sent_at__isnull=True).count() == 1


@pytest.mark.redis
def test_deferred_tasks_are_sent_once_the_broker_is_back(use_broker, organizer, django_capture_on_commit_callbacks):
    use_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[organizer], text="申报已提交")
    use_broker(os.environ["TEST_REDIS_URL"])
    assert resend_deferred_tasks() == 1
    assert DeferredTask.objects.get().sent_at is not None


@pytest.fixture
def running_project(organizer, reviewer, approver, finance):
    from tests.performance.stages import in_progress

    return in_progress(organizer, reviewer, approver, finance, "A")


def _upload_roster_page(client, project, organizer, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from demo.rosters import workbook_bytes
    from tests.rosters.stages import make_roster_rows, upload_file

    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("rosters:upload", args=[project.pk, "roster"]),
                           {"file": upload_file(workbook_bytes(make_roster_rows(project, 20)))}, follow=True)


def test_roster_upload_during_broker_outage_is_saved_and_its_import_kept_for_later(
        use_broker, client, running_project, organizer, django_capture_on_commit_callbacks):
    from rosters.models import RosterVersion

    use_broker(DEAD_BROKER)
    response = _upload_roster_page(client, running_project, organizer, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert RosterVersion.objects.get(application=running_project).status == RosterVersion.Status.PENDING
    assert DeferredTask.objects.get(sent_at__isnull=True).task_name == "rosters.process_version"


# Committing for real: the job is queued when the service's transaction commits, inside the request,
# which is when the notice can still reach the user's next page.
@pytest.mark.django_db(transaction=True)
def test_roster_upload_during_broker_outage_tells_the_user_the_work_is_delayed(
        use_broker, client, running_project, organizer, django_capture_on_commit_callbacks):
    from haidian_contest.queue import DELAYED_MESSAGE

    use_broker(DEAD_BROKER)
    response = _upload_roster_page(client, running_project, organizer, django_capture_on_commit_callbacks)
    assert DELAYED_MESSAGE in response.content.decode()


def test_pages_still_work_while_the_broker_is_down(use_broker, client, running_project, organizer):
    from django.urls import reverse

    use_broker(DEAD_BROKER)
    client.force_login(organizer)
    for url in (reverse("applications:list"), reverse("applications:detail", args=[running_project.pk]),
                reverse("rosters:project", args=[running_project.pk])):
        assert client.get(url).status_code == 200, url
