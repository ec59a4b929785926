from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organization, SecurityEvent, User
from .security import lockout_target, log_event


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "org_type", "credit_code", "contact_person", "contact_phone", "is_active")
    list_filter = ("org_type", "is_active")
    search_fields = ("name", "credit_code")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "organization", "is_active", "last_login")
    list_filter = ("groups", "is_active")
    search_fields = ("username", "full_name", "organization__name")
    fieldsets = BaseUserAdmin.fieldsets + (("单位与联系方式", {"fields": ("full_name", "phone", "organization")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("单位与联系方式", {"fields": ("full_name", "phone", "organization", "groups")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: a user's records (applications, decisions, payments) must keep their author.
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "outcome", "detail")
    list_filter = ("kind", "outcome")
    search_fields = ("username", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- second factors: the secret is never shown again after enrolment --------------------------------
# django-otp's own admin shows the key, a QR code page (<id>/config/) and lets an administrator add a
# device with a key of their choosing. Imported first so that its registration is done and can be
# replaced, whatever the order of INSTALLED_APPS.
from axes import admin as axes_admin  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # noqa: E402, F401
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Read-only list: who has enrolled, when last used. A lost phone is reset on the staff page
    用户管理 (accounts.services.reset_two_factor), verified and logged; the key is never displayed."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- lock-outs: lifting one from the admin is logged like the staff page's 解除锁定 ---------------------
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    def has_change_permission(self, request, obj=None):
        return False  # lowering a failure count would lift a lock-out unlogged

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        log_event("lockout_lifted", request=request, detail=lockout_target(obj.username))

    def delete_queryset(self, request, queryset):
        names = sorted(set(queryset.values_list("username", flat=True)))
        super().delete_queryset(request, queryset)
        for name in names:
            log_event("lockout_lifted", request=request, detail=lockout_target(name))
