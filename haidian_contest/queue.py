"""Enqueue background work so that a broker outage delays it instead of breaking the page.

With Redis down, `task.delay()` raises after kombu's retries; the request has usually already
committed its data, so an exception there would show an error for work that was in fact saved.
`enqueue` keeps the task in the database instead, tells the user it is delayed, and a periodic
task sends it once the broker answers again.
"""

import contextvars
import logging

from django.contrib import messages
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

DELAYED_MESSAGE = "后台任务队列暂时不可用，该任务已记录，服务恢复后将自动继续处理，无需重复提交。"
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# The request being served, so that a service deep down (which has no request) can still tell the
# user that the work it queued is delayed.
_current_request = contextvars.ContextVar("queue_request", default=None)


class QueueNoticeMiddleware:
    """Makes the current request known to `enqueue` (after MessageMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def enqueue(task, *args, **kwargs) -> bool:
    """Send now; on a broker outage keep it for later. Returns whether it reached the broker."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY)
        return True
    except (OperationalError, ConnectionError, OSError) as exc:
        from .models import DeferredTask

        logger.warning("broker unavailable, deferring %s: %s", task.name, exc)
        DeferredTask.objects.create(task_name=task.name, args=list(args), kwargs=kwargs, error=str(exc)[:300])
        request = _current_request.get()
        if request is not None and hasattr(request, "_messages"):
            messages.warning(request, DELAYED_MESSAGE)
        return False


def enqueue_on_commit(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
