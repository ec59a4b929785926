import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidian_contest.settings")

app = Celery("haidian_contest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "resend-deferred-tasks": {"task": "haidian_contest.tasks.resend_deferred_tasks", "schedule": 60.0},
}
