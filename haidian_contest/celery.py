import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidian_contest.settings")

app = Celery("haidian_contest")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "resend-deferred-tasks": {"task": "haidian_contest.tasks.resend_deferred_tasks", "schedule": 60.0},
    # Daily at 08:00 Asia/Shanghai (CELERY_TIMEZONE): deadline reminders for the audit materials (3.5).
    "performance-material-reminders": {
        "task": "performance.tasks.send_material_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # The year's call: opening notice and the three-days-before-closing reminder, each sent once.
    "call-notices": {"task": "applications.tasks.send_call_notices", "schedule": 15 * 60.0},
}


@beat_init.connect
def _one_beat_only(sender=None, **kwargs):
    from django.conf import settings

    from .beat_lock import hold_or_exit

    hold_or_exit(app.conf.broker_url or "", settings.BEAT_LOCK_TTL_SECONDS)
