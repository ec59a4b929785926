from haidian_contest.queue import enqueue_on_commit

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
    enqueue_on_commit(send_notification_email, ids, f"【竞赛管理系统】{text[:60]}", f"{text}\n{url}")


def set_user_active(request, target: User, active: bool) -> None:
    """Deactivation keeps every record the user authored; nothing is deleted."""
    from .security import log_event

    if target.pk == request.user.pk and not active:
        raise ValueError("不能停用自己的账号。")
    User.objects.filter(pk=target.pk).update(is_active=active)
    log_event("user_activated" if active else "user_deactivated", request=request, detail=f"目标账号：{target.username}")
