from celery import shared_task


@shared_task
def send_call_notices() -> int:
    from .calls import send_due_notices

    return send_due_notices()
