from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organization, SecurityEvent, User


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
