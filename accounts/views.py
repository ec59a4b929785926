from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from .models import User
from .navigation import ROLE_HOME
from .permissions import role_required
from .roles import Role


@login_required
def home(request):
    role = request.user.role
    if role is None:
        return render(request, "accounts/no_role.html", status=403)
    return redirect(ROLE_HOME[role])


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean_new_password1(self):
        from .password_validation import validate_new_password_differs

        password = self.cleaned_data.get("new_password1")
        if password:
            validate_new_password_differs(self.user, password)
        return password


class PasswordChangeView(auth_views.PasswordChangeView):
    """Reached only after the second factor (AccountPolicyMiddleware); the change is a security
    event (accounts.security logs every password change, however it is made)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)


@role_required(Role.ADMIN)
def user_list(request):
    from axes.models import AccessAttempt
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.core.paginator import Paginator
    from django.db.models import Q

    users = (User.objects.select_related("organization").prefetch_related("groups").order_by("username")
             .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                       has_failures=Exists(AccessAttempt.objects.filter(username=OuterRef("username")))))
    q = request.GET.get("q", "").strip()
    role, status = request.GET.get("role", ""), request.GET.get("status", "")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q)
                             | Q(organization__name__icontains=q))
    if role in {r.value for r in Role}:
        users = users.filter(is_superuser=True) if role == Role.ADMIN else users.filter(groups__name=Role(role).group_name)
    if status in ("active", "inactive"):
        users = users.filter(is_active=status == "active")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "users": Paginator(users, 50).get_page(request.GET.get("page")),
        "filters": {"q": q, "role": role, "status": status}, "roles": [(r.value, r.label) for r in Role],
        "query": query.urlencode(),
    })


@login_required
def notifications(request):
    from django.utils import timezone

    notices = list(request.user.notifications.all()[:100])
    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    return render(request, "accounts/notifications.html", {"notices": notices})


@role_required(Role.ADMIN)
def security_events(request):
    from django.core.paginator import Paginator

    from .models import SecurityEvent

    events = SecurityEvent.objects.select_related("user")
    kind = request.GET.get("kind", "")
    if kind:
        events = events.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        events = events.filter(username__icontains=q)
    if request.GET.get("format") == "xlsx":
        from .exports import security_events_xlsx
        from .security import log_event

        log_event("export", request=request, detail="导出安全审计日志")
        return security_events_xlsx(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/security_events.html",
                  {"page": page, "kinds": SecurityEvent.KINDS, "kind": kind, "q": q})


def _staff_action(request, pk, action, done: str):
    """POST-only staff action on one user from the user list: parse, call the service, report."""
    from django.shortcuts import get_object_or_404

    from .security import client_ip

    if request.method != "POST":
        return redirect("accounts:users")
    target = get_object_or_404(User, pk=pk)
    try:
        action(target=target, actor=request.user, ip=client_ip(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(username=target.username))
    return redirect("accounts:users")


@role_required(Role.ADMIN)
def set_user_active(request, pk):
    from functools import partial

    from . import services

    active = request.POST.get("active") == "1"
    done = "已启用账号 {username}。" if active else "已停用账号 {username}，其历史记录均保留。"
    return _staff_action(request, pk, partial(services.set_user_active, active=active), done)


@role_required(Role.ADMIN)
def reset_two_factor(request, pk):
    from . import services

    return _staff_action(request, pk, services.reset_two_factor,
                         "已重置账号 {username} 的双因素认证：其下次登录须重新绑定身份验证器。")


@role_required(Role.ADMIN)
def lift_lockout(request, pk):
    from . import services

    return _staff_action(request, pk, services.lift_lockout, "已解除账号 {username} 的登录锁定。")


def permission_denied(request, exception=None):
    from .security import log_event

    log_event("permission_denied", request=request, outcome="failure", detail=str(exception or "")[:200])
    return render(request, "403.html", {"exception": exception}, status=403)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE), with the real wait."""
    import math

    from django.conf import settings

    throttled = getattr(request, "login_throttled_seconds", None)
    minutes = math.ceil(throttled / 60) if throttled else settings.LOGIN_LOCKOUT_MINUTES
    return render(request, "accounts/locked_out.html",
                  {"cooloff_minutes": minutes, "across_addresses": bool(throttled),
                   "failure_limit": settings.AXES_FAILURE_LIMIT}, status=429)
