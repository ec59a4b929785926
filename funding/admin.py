"""Read-only in the admin: the books are written by the services and never edited (2.3b)."""

from django.contrib import admin

from .models import Agreement, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["number", "application", "signed_on", "union_role", "total", "recorded_by", "recorded_at"]
    search_fields = ["number", "application__title"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["tranche", "kind", "amount", "paid_on", "voucher_no", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["voucher_no", "tranche__application__title"]
