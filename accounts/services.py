from django.db import transaction

from .models import Notification, User
from .roles import Role
from .tasks import send_notification_email


def users_with_role(role: Role):
    return User.objects.filter(is_active=True, groups__name=role.group_name)


def notify(users, text: str, url: str = "") -> None:
    """In-app notice now; e-mail after commit through Celery (never inside the transaction)."""
    users = list({u.pk: u for u in users}.values())
    if not users:
        return
    Notification.objects.bulk_create([Notification(user=u, text=text, url=url) for u in users])
    ids = [u.pk for u in users]
    transaction.on_commit(lambda: send_notification_email.delay(ids, f"【竞赛管理系统】{text[:60]}", f"{text}\n{url}"))
