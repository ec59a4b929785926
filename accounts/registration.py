"""Units register themselves; the development department approves (issue 16).

A public form creates a registration that waits for its contact's e-mail confirmation; only then does
it reach the department's queue. Approval creates the unit and an organizer account without a
usable password: the contact sets one through a signed link, as with a password reset. Every step is
a security event or a notice, so it is on the record.

The public side never says whether a credit code or an e-mail address is already known: a form with
a duplicate gets the same answer as a new one, and the mail to the typed address says what happened.
Nor does the time it takes: both lookups always run, and a duplicate is stored with its letter like a
new registration (status DUPLICATE, which the department never sees and which claims no code or
address), so that both paths do the same work — the same statements, one file written, one mail queued.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from haidian_contest.queue import enqueue_on_commit

from .models import AccountRequest, Organization, UnitRegistration, User
from .roles import Role
from .security import log_event
from .services import notify, users_with_role
from .tasks import send_plain_email

LETTER_MAX_BYTES = 10 * 1024 * 1024
LETTER_TYPES = {".pdf": "PDF", ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG"}
LETTER_HINT = "授权委托书须为加盖单位公章的 PDF 文件或 JPG/PNG 图片。"
STAFF_DECIDING = (Role.REVIEWER,)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# A returned registration frees its code and address; a duplicate never held them (else anyone could
# squat a unit's code by registering it with an address already known).
NOT_CLAIMING = (UnitRegistration.Status.RETURNED, UnitRegistration.Status.DUPLICATE)


def _known_credit_code(code: str) -> bool:
    # Both queries always run: a short cut would answer a known code sooner.
    known = [Organization.objects.filter(credit_code=code).exists(),
             UnitRegistration.objects.filter(credit_code=code).exclude(status__in=NOT_CLAIMING).exists()]
    return any(known)


def _known_email(email: str) -> bool:
    known = [User.objects.filter(email__iexact=email).exists(),
             UnitRegistration.objects.filter(contact_email__iexact=email).exclude(status__in=NOT_CLAIMING).exists()]
    return any(known)


def check_letter(uploaded) -> None:
    """The letter of authorisation, inspected as every upload is: a PDF, or a photo/scan whose size in
    pixels and structure are read before it is stored (the page's form calls this, before it is known
    whether the unit is registered, so that both answers cost the same)."""
    from haidian_contest import inspection

    try:
        checked = inspection.check_document(uploaded, allowed=LETTER_TYPES, max_bytes=LETTER_MAX_BYTES,
                                            what="授权委托书")
        if checked.extension != ".pdf":
            inspection.inspect_image(uploaded)
    except inspection.FileRefused as exc:
        raise ValidationError(f"{exc} {LETTER_HINT}") from exc


@transaction.atomic
def register_unit(*, data: dict, letter) -> UnitRegistration:
    """The public form's submit. A unit or address already registered gets a DUPLICATE record and a mail
    saying why it was not taken, by the same steps as a new one, so the page cannot be used to probe."""
    code = data["credit_code"]
    email = data["contact_email"]
    duplicate = any([_known_credit_code(code), _known_email(email)])
    token = secrets.token_urlsafe(32)
    status = UnitRegistration.Status.DUPLICATE if duplicate else UnitRegistration.Status.EMAIL_PENDING
    registration = UnitRegistration(**data, letter_name=letter.name[:200], email_token_hash=_token_hash(token),
                                    status=status)
    registration.letter.save(letter.name, letter, save=False)
    registration.save()
    link = _absolute(reverse("accounts:registration_confirm", args=[token]))
    if duplicate:
        subject, body = "【竞赛管理系统】单位注册未受理", (
            f"您好：\n\n您为“{registration.name}”提交的单位注册未受理：该统一社会信用代码或电子邮箱已有注册记录。\n"
            "如需为本单位增加账号，请由本单位已有账号在系统中“本单位账号”页申请；如有疑问请联系区总工会职工发展部。")
    else:
        subject, body = "【竞赛管理系统】请确认单位注册邮箱", (
            f"您好：\n\n您为“{registration.name}”提交了单位注册申请。请点击以下链接确认电子邮箱，"
            f"确认后申请将提交区总工会职工发展部审核：\n{link}\n\n如非本人操作，请忽略本邮件。")
    enqueue_on_commit(send_plain_email, [email], subject, body)
    log_event("registration_duplicate" if duplicate else "registration_submitted", username=email,
              outcome="failure" if duplicate else "success", detail=f"{registration.name} {code}")
    return registration


@transaction.atomic
def confirm_email(*, token: str) -> UnitRegistration | None:
    registration = (UnitRegistration.objects.select_for_update()
                    .filter(email_token_hash=_token_hash(token)).first())
    if registration is None:
        return None
    if registration.status == UnitRegistration.Status.EMAIL_PENDING:
        registration.status = UnitRegistration.Status.PENDING
        registration.email_confirmed_at = timezone.now()
        registration.save(update_fields=["status", "email_confirmed_at"])
        log_event("registration_email_confirmed", username=registration.contact_email,
                  detail=registration.name)
        notify(users=users_with_role(role=Role.REVIEWER), text=f"新的单位注册待审核：{registration.name}",
               url=reverse("accounts:registration_detail", args=[registration.pk]))
    return registration


def _require_staff(user) -> None:
    if not user.has_role(*STAFF_DECIDING):
        raise PermissionDenied("只有职工发展部可以审核单位注册。")


def _new_organizer(*, username: str, full_name: str, email: str, mobile: str, organization: Organization) -> User:
    user = User(username=username, full_name=full_name, email=email, phone=mobile, organization=organization)
    user.set_unusable_password()
    user.save()
    # accounts.security's signals record the new account and the role granted, with the acting user.
    user.groups.add(Group.objects.get(name=Role.ORGANIZER.group_name))
    return user


def activation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return _absolute(reverse("accounts:activate", args=[uid, default_token_generator.make_token(user)]))


def _send_activation(user: User, organization: Organization) -> None:
    enqueue_on_commit(send_plain_email, [user.email], "【竞赛管理系统】账号已开通，请设置密码", (
        f"{user.full_name}，您好：\n\n“{organization.name}”的申报单位账号已开通，用户名：{user.username}。\n"
        f"请点击以下链接设置登录密码（链接仅可使用一次）：\n{activation_link(user)}"))


def _unique_username(email: str) -> str:
    base = email.split("@")[0][:100] or "unit"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


@transaction.atomic
def approve_registration(*, registration: UnitRegistration, actor) -> User:
    _require_staff(actor)
    registration = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != UnitRegistration.Status.PENDING:
        raise ValidationError("该注册申请不在待审核状态。")
    if Organization.objects.filter(credit_code=registration.credit_code).exists():
        raise ValidationError("该统一社会信用代码的单位已存在，不能重复开通。")
    if Organization.objects.filter(name=registration.name).exists():
        raise ValidationError("同名单位已存在，请核实后退回。")
    organization = Organization.objects.create(
        name=registration.name, org_type=registration.org_type, credit_code=registration.credit_code,
        contact_person=registration.contact_person, contact_phone=registration.contact_mobile,
        address=registration.address)
    user = _new_organizer(username=_unique_username(registration.contact_email), full_name=registration.contact_person,
                          email=registration.contact_email, mobile=registration.contact_mobile,
                          organization=organization)
    registration.status = UnitRegistration.Status.APPROVED
    registration.decided_at, registration.decided_by = timezone.now(), actor
    registration.organization, registration.user = organization, user
    registration.save(update_fields=["status", "decided_at", "decided_by", "organization", "user"])
    log_event("registration_approved", user=actor, detail=f"{organization.name} {organization.credit_code}")
    notify(users=[user], text=f"单位注册已通过：{organization.name}", url=reverse("home"))
    _send_activation(user, organization)
    return user


@transaction.atomic
def return_registration(*, registration: UnitRegistration, actor, reason: str) -> None:
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("退回须填写理由。")
    registration = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != UnitRegistration.Status.PENDING:
        raise ValidationError("该注册申请不在待审核状态。")
    registration.status = UnitRegistration.Status.RETURNED
    registration.decided_at, registration.decided_by, registration.decision_reason = timezone.now(), actor, reason
    registration.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    log_event("registration_returned", user=actor, detail=f"{registration.name}：{reason}"[:500])
    enqueue_on_commit(send_plain_email, [registration.contact_email], "【竞赛管理系统】单位注册被退回", (
        f"您好：\n\n“{registration.name}”的单位注册申请被退回，理由：{reason}\n"
        "请按意见准备材料后重新注册。"))


@transaction.atomic
def request_account(*, actor, full_name: str, mobile: str, email: str) -> AccountRequest:
    """A unit's user asks for a colleague's account; the department decides."""
    if not actor.has_role(Role.ORGANIZER) or not actor.organization_id:
        raise PermissionDenied("只有申报单位账号可以为本单位申请新增账号。")
    if User.objects.filter(email__iexact=email).exists() or AccountRequest.objects.filter(
            email__iexact=email, status=AccountRequest.Status.PENDING).exists():
        raise ValidationError({"email": "该电子邮箱已有账号或待审核的申请。"})
    account_request = AccountRequest.objects.create(organization=actor.organization, requested_by=actor,
                                                    full_name=full_name, mobile=mobile, email=email)
    log_event("account_requested", user=actor, detail=f"{actor.organization.name}：{full_name} {email}")
    notify(users=users_with_role(role=Role.REVIEWER), text=f"{actor.organization.name} 申请新增账号：{full_name}",
           url=reverse("accounts:registrations"))
    return account_request


@transaction.atomic
def decide_account_request(*, account_request: AccountRequest, actor, approve: bool, reason: str = "",
                           ) -> User | None:
    _require_staff(actor)
    account_request = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if account_request.status != AccountRequest.Status.PENDING:
        raise ValidationError("该申请已处理。")
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError("不予通过须填写理由。")
    user = None
    if approve:
        user = _new_organizer(username=_unique_username(account_request.email), full_name=account_request.full_name,
                              email=account_request.email, mobile=account_request.mobile,
                              organization=account_request.organization)
    account_request.status = AccountRequest.Status.APPROVED if approve else AccountRequest.Status.REFUSED
    account_request.decided_at, account_request.decided_by = timezone.now(), actor
    account_request.decision_reason, account_request.user = reason, user
    account_request.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "user"])
    log_event("account_request_approved" if approve else "account_request_refused", user=actor,
              detail=f"{account_request.organization.name}：{account_request.full_name}")
    text = (f"新增账号申请已通过：{account_request.full_name}" if approve
            else f"新增账号申请未通过：{account_request.full_name}（{reason}）")
    notify(users=[account_request.requested_by], text=text, url=reverse("accounts:unit_accounts"))
    if user is not None:
        _send_activation(user, account_request.organization)
    return user


@transaction.atomic
def set_organization_active(*, organization: Organization, actor, active: bool) -> None:
    """A unit that stops applying is deactivated with its users; its projects stay with it."""
    if not actor.has_role(Role.REVIEWER, Role.ADMIN):
        raise PermissionDenied("无权停用单位。")
    Organization.objects.filter(pk=organization.pk).update(is_active=active)
    if not active:
        for user in organization.users.filter(is_active=True):
            User.objects.filter(pk=user.pk).update(is_active=False)
            log_event("user_deactivated", user=actor, detail=f"目标账号：{user.username}（单位停用）")
    log_event("unit_activated" if active else "unit_deactivated", user=actor,
              detail=f"{organization.name} {organization.credit_code}")
