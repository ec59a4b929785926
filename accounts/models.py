from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from haidian_contest import rules
from haidian_contest.records import AppendOnlyModel

from .roles import STAFF_ROLES, Role, role_of
from .validators import validate_credit_code


class Organization(models.Model):
    """A unit (单位): applicant, co-applicant, or the union's own departments."""

    name = models.CharField(_("单位名称"), max_length=200, unique=True)
    org_type = models.CharField(_("单位类型"), max_length=32, choices=rules.ORG_TYPES)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.credit_code = self.credit_code.strip().upper()
        super().save(*args, **kwargs)


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=30, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("申报单位账号必须属于一个单位。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @cached_property
    def role(self) -> Role | None:
        """The user's one role; a superuser is a system admin."""
        # The prefetched groups on list pages (or accounts.selectors.attach_roles), one query otherwise.
        # Lazy: a superuser's groups are never read.
        return role_of(self.is_superuser, (group.name for group in self.groups.all()))

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self) -> bool:
        from django.conf import settings

        days = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
        return bool(days) and (timezone.now() - self.password_changed_at).days >= days

    def has_role(self, *roles: Role) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles

    @property
    def is_union_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def role_label(self) -> str:
        return self.role.label if self.role else "未分配角色"


class Notification(models.Model):
    """In-app notice; the e-mail copy is sent by a Celery task."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]


class SecurityEvent(AppendOnlyModel):
    """Append-only (haidian_contest.records): kept indefinitely, never edited or deleted."""

    KINDS = [
        ("login", "登录"),
        ("logout", "退出"),
        ("login_failed", "登录失败"),
        ("lockout", "账号锁定"),
        ("permission_denied", "越权访问被拒绝"),
        ("full_id_view", "查看完整身份证号"),
        ("export", "导出数据"),
        ("otp_enrolled", "绑定双因素认证"),
        ("otp_failed", "双因素认证失败"),
        ("user_deactivated", "停用账号"),
        ("user_activated", "启用账号"),
        ("password_changed", "修改密码"),
        ("user_created", "新建账号"),
        ("role_granted", "授予角色"),
        ("role_removed", "撤销角色"),
        ("otp_reset", "重置双因素认证"),
        ("lockout_lifted", "解除登录锁定"),
        ("password_set", "首次设置密码"),
        ("registration_submitted", "单位注册提交"),
        ("registration_duplicate", "单位注册重复（未受理）"),
        ("registration_email_confirmed", "单位注册邮箱确认"),
        ("registration_approved", "单位注册通过"),
        ("registration_returned", "单位注册退回"),
        ("account_requested", "申请新增账号"),
        ("account_request_approved", "新增账号申请通过"),
        ("account_request_refused", "新增账号申请未通过"),
        ("unit_activated", "启用单位"),
        ("unit_deactivated", "停用单位"),
    ]
    kind = models.CharField(_("事件"), max_length=32, choices=KINDS, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="success")
    detail = models.CharField(_("详情"), max_length=500, blank=True)
    path = models.CharField(_("地址"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("安全审计日志")
        verbose_name_plural = _("安全审计日志")
        ordering = ["-at", "-id"]


def registration_letter_path(instance, filename):
    from haidian_contest.private_files import stored_name

    return stored_name("registrations", filename)


class UnitRegistration(models.Model):
    """A unit's self-registration (单位注册): confirmed by e-mail, then approved by the department."""

    class Status(models.TextChoices):
        EMAIL_PENDING = "email_pending", _("待确认邮箱")
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回")
        # A form for a credit code or e-mail address already registered: kept like a new one so that the
        # page costs the same either way (accounts.registration), never shown to the department.
        DUPLICATE = "duplicate", _("重复注册（未受理）")

    name = models.CharField(_("单位名称"), max_length=200)
    org_type = models.CharField(_("单位类型"), max_length=32, choices=rules.ORG_TYPES)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    address = models.CharField(_("单位地址"), max_length=200)
    contact_person = models.CharField(_("联系人"), max_length=50)
    contact_mobile = models.CharField(_("手机号"), max_length=11)
    contact_email = models.EmailField(_("电子邮箱"))
    letter = models.FileField(_("授权委托书"), upload_to=registration_letter_path)
    letter_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.EMAIL_PENDING,
                              db_index=True)
    email_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(_("邮箱确认时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("审核意见"), blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="registrations")
    user = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("单位注册申请")
        verbose_name_plural = _("单位注册申请")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.get_status_display()}）"


class AccountRequest(models.Model):
    """A further organizer account for a unit: asked for by one of its users, approved by the department."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="account_requests")
    requested_by = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11)
    email = models.EmailField(_("电子邮箱"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField(_("审核意见"), blank=True)
    user = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("新增账号申请")
        verbose_name_plural = _("新增账号申请")
        ordering = ["-created_at", "-id"]


class RateCounter(models.Model):
    """One rate limit's count in its current window (accounts.throttle): in the database, so that every
    web process and node counts together whatever the cache setting, and a Redis outage lifts no limit."""

    key = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends = models.DateTimeField(db_index=True)
    last_at = models.DateTimeField()

    class Meta:
        verbose_name = _("频率限制计数")
        verbose_name_plural = _("频率限制计数")
