"""Unit self-registration (public), the department's queue, a unit's own accounts, staff unit pages."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_POST

from haidian_contest import rules

from . import registration as services
from .forms_registration import AccountRequestForm, DecisionForm, UnitRegistrationForm
from .models import AccountRequest, Organization, UnitRegistration, User
from .permissions import role_required
from .roles import Role
from .security import client_ip, log_event
from .throttle import Unavailable, add_hit

REGISTRATIONS_PER_ADDRESS_PER_HOUR = 10
PAGE_SIZE = 30


def _over_rate(request) -> bool:
    # The hour starts with this address's first registration.
    return add_hit(f"registration-rate:{client_ip(request)}", seconds=3600) > REGISTRATIONS_PER_ADDRESS_PER_HOUR


# Registrations not for the department: unconfirmed ones, and duplicates kept only for the record.
NOT_IN_QUEUE = (UnitRegistration.Status.EMAIL_PENDING, UnitRegistration.Status.DUPLICATE)


def register(request):
    if request.method == "POST":
        form = UnitRegistrationForm(request.POST, request.FILES)
        try:
            over_rate = _over_rate(request)
        except Unavailable as exc:
            form.add_error(None, str(exc))
            over_rate = None
        if over_rate:
            form.add_error(None, "提交过于频繁，请一小时后再试。")
        elif over_rate is False and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "letter"}
            services.register_unit(data=data, letter=form.cleaned_data["letter"])
            return redirect("accounts:registration_sent")
        if form.errors.get("letter") is None and request.FILES.get("letter"):
            form.add_error("letter", "为安全起见，请重新选择授权委托书文件。")
    else:
        form = UnitRegistrationForm()
    return render(request, "accounts/register.html", {"form": form})


def registration_sent(request):
    return render(request, "accounts/registration_sent.html")


def registration_confirm(request, token):
    registration = services.confirm_email(token=token)
    return render(request, "accounts/registration_confirmed.html", {"registration": registration})


def activate(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/activate.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        form.save()
        log_event("password_set", user=user, detail="通过开通链接首次设置密码")
        messages.success(request, "密码已设置，请登录。")
        return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form, "account": user})


@role_required(Role.REVIEWER)
def registrations(request):
    show = request.GET.get("show", "pending")
    regs = UnitRegistration.objects.select_related("decided_by").order_by("-created_at")
    reqs = AccountRequest.objects.select_related("organization", "requested_by", "decided_by").order_by("-created_at")
    if show == "pending":
        regs = regs.filter(status=UnitRegistration.Status.PENDING)
        reqs = reqs.filter(status=AccountRequest.Status.PENDING)
    else:
        regs = regs.exclude(status__in=NOT_IN_QUEUE)
    return render(request, "accounts/registrations.html", {
        "registrations": Paginator(regs, PAGE_SIZE).get_page(request.GET.get("page")),
        "account_requests": reqs[:200], "show": show, "decision_form": DecisionForm(),
    })


@role_required(Role.REVIEWER)
def registration_detail(request, pk):
    registration = get_object_or_404(UnitRegistration.objects.exclude(status__in=NOT_IN_QUEUE), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "approve":
                user = services.approve_registration(registration=registration, actor=request.user)
                messages.success(request, f"已通过并开通账号 {user.username}，开通链接已发送至 {user.email}。")
            else:
                services.return_registration(registration=registration, actor=request.user,
                                             reason=form.cleaned_data["reason"])
                messages.success(request, "已退回，并已邮件告知联系人。")
            return redirect("accounts:registrations")
        except ValidationError as exc:
            form.add_error("reason", " ".join(exc.messages))
    return render(request, "accounts/registration_detail.html", {"registration": registration, "form": form})


@role_required(Role.REVIEWER)
def registration_letter(request, pk):
    registration = get_object_or_404(UnitRegistration, pk=pk)
    if not registration.letter:
        raise Http404
    return FileResponse(registration.letter.open("rb"), as_attachment=False,
                        filename=registration.letter_name or "授权委托书")


@require_POST
@role_required(Role.REVIEWER)
def account_request_decide(request, pk):
    account_request = get_object_or_404(AccountRequest, pk=pk)
    approve = request.POST.get("action") == "approve"
    try:
        services.decide_account_request(account_request=account_request, actor=request.user, approve=approve,
                                        reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "已通过，开通链接已发送。" if approve else "已处理：不予通过。")
    return redirect("accounts:registrations")


@role_required(Role.ORGANIZER)
def unit_accounts(request):
    organization = request.user.organization
    if organization is None:
        raise Http404
    form = AccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_account(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            messages.success(request, "申请已提交，职工发展部审核通过后，新账号将收到设置密码的邮件。")
            return redirect("accounts:unit_accounts")
    return render(request, "accounts/unit_accounts.html", {
        "organization": organization,
        "members": organization.users.order_by("-is_active", "full_name"),
        "requests": organization.account_requests.select_related("requested_by").order_by("-created_at")[:50],
        "form": form,
    })


@role_required(Role.REVIEWER, Role.ADMIN)
def units(request):
    q = request.GET.get("q", "").strip()
    org_type, status = request.GET.get("type", ""), request.GET.get("status", "")
    qs = Organization.objects.annotate(
        user_count=Count("users", distinct=True), project_count=Count("applications", distinct=True))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q.upper()) | Q(contact_person__icontains=q))
    if org_type in dict(rules.ORG_TYPES):
        qs = qs.filter(org_type=org_type)
    if status in ("active", "inactive"):
        qs = qs.filter(is_active=status == "active")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/units.html", {
        "page": Paginator(qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": {"q": q, "type": org_type, "status": status}, "org_types": rules.ORG_TYPES,
        "query": query.urlencode(),
    })


@role_required(Role.REVIEWER, Role.ADMIN)
def unit_detail(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        services.set_organization_active(organization=organization, actor=request.user, active=active)
        messages.success(request, "单位已启用。" if active else "单位及其账号已停用；其项目仍保留在该单位名下。")
        return redirect("accounts:unit_detail", pk=pk)
    return render(request, "accounts/unit_detail.html", {
        "organization": organization,
        "members": organization.users.prefetch_related("groups").order_by("-is_active", "full_name"),
        "registrations": organization.registrations.order_by("-created_at"),
        "projects": organization.applications.order_by("-cycle", "-pk")[:50],
    })
