from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from haidian_contest import rules
from haidian_contest.records import AppendOnlyModel

from .roles import GROUP_TO_ROLE, STAFF_ROLES, Role
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
        if self.is_superuser:
            return Role.ADMIN
        for name in self.groups.values_list("name", flat=True):
            if name in GROUP_TO_ROLE:
                return GROUP_TO_ROLE[name]
        return None

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
