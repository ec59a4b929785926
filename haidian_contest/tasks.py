from celery import current_app, shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from .queue import PUBLISH_RETRY


@shared_task
def resend_deferred_tasks(limit: int = 500) -> int:
    from .models import DeferredTask

    sent = 0
    for item in DeferredTask.objects.filter(sent_at__isnull=True)[:limit]:
        try:
            current_app.send_task(item.task_name, args=item.args, kwargs=item.kwargs, retry=True, retry_policy=PUBLISH_RETRY)
        except (OperationalError, ConnectionError, OSError):
            break
        DeferredTask.objects.filter(pk=item.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
