"""The year's call for applications: published by the department, read by every unit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.permissions import role_required
from accounts.roles import Role

from . import calls
from .forms_calls import CallForm, ExtendCallForm
from .models import Call, CallAttachment

ALL_ROLES = tuple(Role)


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(*ALL_ROLES)
def call_list(request):
    now = timezone.now()
    return render(request, "applications/calls.html", {
        "calls": Call.objects.prefetch_related("extensions").order_by("-cycle"), "now": now,
        "can_manage": request.user.has_role(*calls.MANAGING_ROLES),
    })


@role_required(*ALL_ROLES)
def call_detail(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    form = ExtendCallForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_role(*calls.MANAGING_ROLES):
            return redirect("applications:call", call_pk=call_pk)
        if form.is_valid():
            try:
                calls.extend_call(call=call, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"申报截止时间已延长，申报时间：{calls.window_text(Call.objects.get(pk=call_pk))}。")
                return redirect("applications:call", call_pk=call_pk)
    return render(request, "applications/call_detail.html", {
        "call": call, "window": calls.window_text(call), "is_open": call.is_open(timezone.now()),
        "extensions": call.extensions.select_related("actor"), "attachments": call.attachments.all(),
        "form": form, "can_manage": request.user.has_role(*calls.MANAGING_ROLES),
    })


@role_required(Role.REVIEWER)
def call_edit(request, call_pk=None):
    call = get_object_or_404(Call, pk=call_pk) if call_pk else None
    form = CallForm(request.POST or None, request.FILES or None, instance=call)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "notice", "opens_at", "closes_at", "planned_competitions", "budget")}
        try:
            if call is None:
                call = calls.create_call(actor=request.user, cycle=form.cleaned_data["cycle"],
                                         attachments=form.cleaned_data["attachments"], **data)
            else:
                call = calls.update_call(call=call, actor=request.user, attachments=form.cleaned_data["attachments"], **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "年度申报通知已保存。")
            return redirect("applications:call", call_pk=call.pk)
    return render(request, "applications/call_edit.html", {"form": form, "call": call})


@role_required(*ALL_ROLES)
def call_attachment(request, call_pk, attachment_pk):
    attachment = get_object_or_404(CallAttachment, pk=attachment_pk, call_id=call_pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
