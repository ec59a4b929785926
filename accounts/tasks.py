from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(user_ids: list[int], subject: str, body: str) -> int:
    recipients = list(User.objects.filter(id__in=user_ids, is_active=True).exclude(email="").values_list("email", flat=True))
    if not recipients:
        return 0
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plain_email(recipients: list[str], subject: str, body: str) -> int:
    """Mail to an address that has no account yet (a registering unit's contact)."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
