from django.core.exceptions import PermissionDenied
from django.db import transaction

from haidian_contest.queue import enqueue_on_commit

from .models import Notification, User
from .roles import Role
from .security import lockout_target, log_event
from .tasks import send_notification_email


def users_with_role(*, role: Role):
    return User.objects.filter(is_active=True, groups__name=role.group_name)


def notify(*, users, text: str, url: str = "") -> None:
    """In-app notice now; e-mail after commit through Celery (never inside the transaction)."""
    users = list({u.pk: u for u in users}.values())
    if not users:
        return
    Notification.objects.bulk_create([Notification(user=u, text=text, url=url) for u in users])
    ids = [u.pk for u in users]
    enqueue_on_commit(send_notification_email, ids, f"【竞赛管理系统】{text[:60]}", f"{text}\n{url}")


def _require_verified_admin(actor: User) -> None:
    from .middleware import second_factor_missing

    if not actor.has_role(Role.ADMIN) or second_factor_missing(actor):
        raise PermissionDenied("只有已完成双因素认证的系统管理员可以执行此操作。")


@transaction.atomic
def set_user_active(*, target: User, actor: User, active: bool, ip: str = "") -> None:
    """Deactivation keeps every record the user authored; nothing is deleted."""
    _require_verified_admin(actor)
    if target.pk == actor.pk and not active:
        raise ValueError("不能停用自己的账号。")
    User.objects.filter(pk=target.pk).update(is_active=active)
    log_event("user_activated" if active else "user_deactivated", user=actor, ip=ip,
              detail=f"目标账号：{target.username}")


@transaction.atomic
def reset_two_factor(*, target: User, actor: User, ip: str = "") -> int:
    """A lost phone: remove the user's authenticators, so that the next sign-in enrols a new one.

    The only way to a second device: a user can never enrol another one alone (accounts.otp_views).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_verified_admin(actor)
    if target.pk == actor.pk:
        raise ValueError("不能重置自己的双因素认证，请由另一位系统管理员操作。")
    removed, _ = TOTPDevice.objects.filter(user=target).delete()
    if not removed:
        raise ValueError(f"账号 {target.username} 尚未绑定身份验证器，无需重置。")
    log_event("otp_reset", user=actor, ip=ip, detail=f"目标账号：{target.username}，已移除 {removed} 个身份验证器，须重新绑定")
    return removed


@transaction.atomic
def new_enrolment_key(*, actor: User):
    """A fresh secret for the user's first authenticator, each time the enrolment page shows one, until
    it is confirmed: a copy taken earlier (by whoever looked first, holding the password) stops working.

    Kept on the user's one unconfirmed device, so that django-otp's check of the code and its
    throttling apply as to any device; match_token (sign-in) never considers an unconfirmed one.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    User.objects.select_for_update().filter(pk=actor.pk).first()  # one enrolment at a time per user
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValueError("您已绑定身份验证器。如需更换手机，请联系系统管理员重置后重新绑定。")
    pending = list(TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk"))
    if not pending:
        return TOTPDevice.objects.create(user=actor, name="身份验证器", confirmed=False)
    device, *stale = pending
    TOTPDevice.objects.filter(pk__in=[d.pk for d in stale]).delete()
    device.key, device.last_t, device.drift = default_key(), -1, 0
    device.throttle_reset(commit=False)
    device.save()
    return device


@transaction.atomic
def lift_lockout(*, target: User, actor: User, ip: str = "") -> None:
    """Ends every login lock-out of the user: per address (django-axes) and across addresses
    (accounts.throttle counts failures only after the last lift)."""
    from axes.utils import reset

    _require_verified_admin(actor)
    reset(username=target.username)
    log_event("lockout_lifted", user=actor, ip=ip, detail=lockout_target(target.username))
