from django.contrib import admin

from .models import AgendaItem, CollectiveDecision, Meeting, Review, WaiverDecision


class ReadOnly:
    """Decisions are made through the review pages (services write the audit trail); the admin only looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WaiverInline(ReadOnly, admin.TabularInline):
    model = WaiverDecision
    extra = 0
    readonly_fields = ("finding_key", "clause_label", "message", "justification", "accepted", "reason", "decided_by")


@admin.register(Review)
class ReviewAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("application", "round", "reviewer", "outcome", "decided_at")
    list_filter = ("outcome",)
    inlines = [WaiverInline]
    raw_id_fields = ("application",)


@admin.register(CollectiveDecision)
class CollectiveDecisionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("application", "outcome", "date", "recorded_by")
    raw_id_fields = ("application",)


class AgendaInline(ReadOnly, admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ("application",)
    fields = ("application", "decision", "union_role", "note")
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("session", "date", "created_by")
    inlines = [AgendaInline]
