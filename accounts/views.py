from django.contrib import messages
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


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)


@role_required(Role.ADMIN)
def user_list(request):
    users = User.objects.select_related("organization").prefetch_related("groups").order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})


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


@role_required(Role.ADMIN)
def set_user_active(request, pk):
    from django.shortcuts import get_object_or_404

    from .services import set_user_active as set_active

    if request.method != "POST":
        return redirect("accounts:users")
    target = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        set_active(request, target, active)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{'启用' if active else '停用'}账号 {target.username}，其历史记录均保留。")
    return redirect("accounts:users")


def permission_denied(request, exception=None):
    from .security import log_event

    log_event("permission_denied", request=request, outcome="failure", detail=str(exception or "")[:200])
    return render(request, "403.html", {"exception": exception}, status=403)
