"""A real Celery worker consuming from a real Redis broker (CI starts redis-server)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.tasks import send_notification_email
from haidian_contest.celery import app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_celery(use_broker):
    use_broker(REDIS_URL, result_backend=REDIS_URL)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app


def test_notification_email_is_sent_by_a_worker_through_redis(redis_celery, organizer):
    organizer.email = "wangfang@example.org"
    organizer.save()
    result = send_notification_email.delay([organizer.pk], "测试通知", "正文")
    assert result.get(timeout=30) == 1
    assert mail.outbox[-1].to == ["wangfang@example.org"]
