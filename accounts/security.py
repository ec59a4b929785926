"""Security events (MLPS 2.0 audit): logins, failures, lock-outs, denials, full-ID views, exports,
and every change to who may do what (users created, roles granted or removed, passwords changed,
second factors reset, lock-outs lifted).

Append-only: the model refuses updates and deletes, and the admin offers neither.
"""

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

# The request being served, so that events raised by model signals (the Django admin saving a user,
# a shell-less service call) still name who did it and from where. Set by AccountPolicyMiddleware.
_current_request: ContextVar = ContextVar("current_request", default=None)


def current_request():
    return _current_request.get()


def _address(value: str):
    """An address as ipaddress reads it (an IPv4 address mapped into IPv6 as IPv4), or None."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


@lru_cache(maxsize=8)
def _networks(entries: tuple) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxy(address) -> bool:
    return any(address in network for network in _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


def from_trusted_proxy(request) -> bool:
    """Whether the connection itself comes from one of TRUSTED_PROXIES."""
    address = _address(request.META.get("REMOTE_ADDR", ""))
    return address is not None and trusted_proxy(address)


def client_ip(request) -> str:
    """The client's address, for the security log and for django-axes (AXES_CLIENT_IP_CALLABLE).

    Each reverse proxy appends the address it saw to X-Forwarded-For, so the header is read from the
    right, one hop per proxy, and only while the hop being looked at is one of TRUSTED_PROXIES (at
    most TRUSTED_PROXY_COUNT hops): the connecting address must be a trusted proxy for the header to
    count at all, so a client talking to gunicorn directly cannot name itself, and whatever a client
    wrote into the header before it reached the proxies is never reached.
    """
    if request is None:
        return ""
    address = _address(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return ""
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for _ in range(getattr(settings, "TRUSTED_PROXY_COUNT", 0)):
        if not hops or not trusted_proxy(address):
            break
        previous = _address(hops.pop())
        if previous is None:
            break  # the proxy passed on something that is not an address: it is the last one known
        address = previous
    return str(address)


def lockout_target(username: str) -> str:
    """The detail of a lockout_lifted event: accounts.throttle finds the last lift by it."""
    return f"目标账号：{username}"


def log_event(kind: str, *, request=None, user=None, username: str = "", outcome: str = "success", detail: str = "",
              ip: str = ""):
    from .models import SecurityEvent

    if request is None:
        request = current_request()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=(ip or client_ip(request)) or None,
        outcome=outcome,
        detail=detail[:500],
        path=(request.path[:300] if request is not None else ""),
    )


def _actor():
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_event("logout", request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # An attempt refused by a lock-out never reached the password check: it is logged as a lock-out
    # (below), not as one more wrong password, so it does not prolong the per-user count.
    username = credentials.get("username", "")
    if request is not None and getattr(request, "login_refused", False):
        if getattr(request, "login_throttled_seconds", None):
            detail = "该账号在各地址累计失败过多，暂停尝试，未核对密码"
        else:
            detail = "锁定期间再次尝试登录，未核对密码"
        log_event("lockout", request=request, username=username, outcome="failure", detail=detail)
        return
    log_event("login_failed", request=request, username=username, outcome="failure")


def connect_axes_signal():
    from axes.signals import user_locked_out

    @receiver(user_locked_out, weak=False)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        log_event("lockout", request=request, username=username or "", outcome="failure",
                  detail=f"连续登录失败，已锁定（IP {ip_address}）")


# --- changes to who may do what: logged however they are made (staff pages, Django admin, shell) ---


def connect_account_signals():
    from django.contrib.auth.models import Group

    from .models import User

    @receiver(post_save, sender=User, weak=False, dispatch_uid="security_user_created")
    def _user_created(sender, instance, created, raw=False, **kwargs):
        if created and not raw:
            log_event("user_created", user=_actor(), detail=f"新建账号：{instance.username}")

    @receiver(pre_save, sender=User, weak=False, dispatch_uid="security_superuser_changed")
    def _superuser_changed(sender, instance, raw=False, update_fields=None, **kwargs):
        # A superuser is a system administrator (User.role) without being in the group.
        if raw or instance._state.adding or (update_fields is not None and "is_superuser" not in update_fields):
            return
        before = User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
        if before is None or before == instance.is_superuser:
            return
        kind, verb = ("role_granted", "授予") if instance.is_superuser else ("role_removed", "撤销")
        log_event(kind, user=_actor(), detail=f"目标账号：{instance.username}，{verb}角色：系统管理员（超级用户）")

    @receiver(pre_save, sender=User, weak=False, dispatch_uid="security_password_changed")
    def _password_changed(sender, instance, raw=False, **kwargs):
        # set_password() leaves the raw password on _password until the save; a rehash on login
        # clears it before saving, so only a real change is logged. A new user's first password is
        # part of "user_created".
        if raw or instance._state.adding or getattr(instance, "_password", None) is None:
            return
        actor = _actor()
        by = "本人修改" if actor is None or actor.pk == instance.pk else "由他人重置"
        log_event("password_changed", user=actor or instance, detail=f"目标账号：{instance.username}（{by}）")

    @receiver(m2m_changed, sender=User.groups.through, weak=False, dispatch_uid="security_groups_changed")
    def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
            users = instance.user_set.all() if action == "pre_clear" else User.objects.filter(pk__in=pk_set or ())
            pairs = [(u.username, instance.name) for u in users]
        elif action == "pre_clear":
            pairs = [(instance.username, g.name) for g in instance.groups.all()]
        else:
            pairs = [(instance.username, g.name) for g in Group.objects.filter(pk__in=pk_set or ())]
        kind = "role_granted" if action == "post_add" else "role_removed"
        for username, group in pairs:
            verb = "授予" if kind == "role_granted" else "撤销"
            log_event(kind, user=_actor(), detail=f"目标账号：{username}，{verb}角色：{group}")
