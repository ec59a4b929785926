"""Two-factor sign-in (TOTP) with django-otp: enrolment and verification after the password."""

import base64
import math

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .middleware import needs_two_factor
from .security import log_event


class TokenForm(forms.Form):
    token = forms.RegexField(label="6 位动态验证码", regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": "请输入 6 位数字验证码。"})


def _throttled(devices) -> str | None:
    """Why no code is checked now, when every device is in django-otp's pause after wrong codes.

    Told apart from a wrong code: a right code typed during the pause is refused too, and "check the
    phone's time" would send the user after the wrong cause."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return None
        until = (data or {}).get("locked_until")
        if until is None:
            return None  # refused for a reason that is not the pause: let the check answer
        waits.append(until)
    if not waits:
        return None
    seconds = max(1, math.ceil((min(waits) - timezone.now()).total_seconds()))
    return f"输错次数较多，验证暂停中：请 {seconds} 秒后再输入当前的验证码（本次未核对）。"


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def otp_setup(request):
    """First enrolment only: a second authenticator would let a stolen password replace the phone.

    Every showing of the page is a new secret (services.new_enrolment_key) until a code confirms it.
    A role that does not need the second factor is offered it: nothing is created before 开始设置.
    A user who lost the phone asks an administrator to reset the device (accounts.services.reset_two_factor).
    """
    if user_has_device(request.user):
        if request.user.is_verified():
            messages.info(request, "您已绑定身份验证器。如需更换手机，请联系系统管理员重置后重新绑定。")
            return redirect("home")
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next(request)})}")
    here = f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next(request)})}"
    required = needs_two_factor(request.user)
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    start = request.method == "POST" and "start" in request.POST
    if request.method != "POST" or start:
        if not (start or required or pending):
            return render(request, "accounts/otp_setup.html", {"offer": True, "next": _next(request)})
        try:
            device = services.new_enrolment_key(actor=request.user)
        except ValueError as refused:  # confirmed meanwhile, from another session
            messages.info(request, str(refused))
            return redirect("home")
        if start:
            return redirect(here)
        form = TokenForm()
    elif pending is None:
        return redirect(here)  # no secret shown yet: nothing to confirm
    else:
        device, form = pending, TokenForm(request.POST)
        paused = _throttled([device]) if form.is_valid() else None
        if paused:
            form.add_error("token", paused)
        elif form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save()
                otp_login(request, device)
                log_event("otp_enrolled", request=request)
                messages.success(request, "双因素认证已启用。")
                return redirect(_next(request))
            log_event("otp_failed", request=request, outcome="failure", detail="绑定时验证码错误")
            form.add_error("token", "验证码不正确，请核对手机时间后重试。")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret,
                                                       "required": required, "next": _next(request)})


@login_required
def otp_verify(request):
    if not user_has_device(request.user):
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    paused = _throttled(devices_for_user(request.user)) if request.method == "POST" and form.is_valid() else None
    if paused:
        form.add_error("token", paused)
    elif request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        log_event("otp_failed", request=request, outcome="failure")
        form.add_error("token", "验证码不正确。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})
