from django.contrib import admin

from .models import Occupation


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "minor", "marks", "source", "is_active")
    list_filter = ("source", "marks", "is_active")
    search_fields = ("code", "name", "minor")
    ordering = ("code",)
    # Adds a link to the staff import page, which validates the whole file before writing.
    change_list_template = "admin/applications/occupation/change_list.html"
