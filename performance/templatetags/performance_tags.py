"""Overdue highlighting for any queue: `{% load performance_tags %}`.

    <tr class="{% overdue_class app %}">…<td>{{ app.title }} {% overdue_badge app %}</td>

The set of overdue project ids is read once per request (one query however many rows), so list
pages keep a constant query count.
"""

from django import template
from django.utils.html import format_html

from haidian_contest import formatting

from ..selectors import deadline_of, overdue_application_ids

register = template.Library()
CACHE_ATTR = "_performance_overdue_ids"


def _overdue_ids(context) -> frozenset[int]:
    if "overdue_ids" in context:
        return context["overdue_ids"]
    request = context.get("request")
    if request is None:
        return overdue_application_ids()
    if not hasattr(request, CACHE_ATTR):
        setattr(request, CACHE_ATTR, overdue_application_ids())
    return getattr(request, CACHE_ATTR)


def _pk(application) -> int | None:
    return getattr(application, "pk", application)


@register.simple_tag(takes_context=True)
def is_overdue(context, application) -> bool:
    return _pk(application) in _overdue_ids(context)


@register.simple_tag(takes_context=True)
def overdue_class(context, application) -> str:
    """The CSS class (static/css/app.css `.overdue`) for a row of an overdue project."""
    return "overdue" if is_overdue(context, application) else ""


@register.simple_tag(takes_context=True)
def overdue_badge(context, application) -> str:
    if not is_overdue(context, application):
        return ""
    return format_html('<span class="badge text-bg-danger" data-testid="overdue-badge" title="{}">{}</span>',
                       "三（五）绩效审核材料须在竞赛结束后两周内提交", "材料逾期")


@register.inclusion_tag("performance/partials/deadline_badge.html")
def deadline_badge(application):
    """Due date and days left (or overdue) for one project; one page, not a list (it reads the rules).
    Once submitted, a late submission keeps its red badge (3.5: a waivable finding, see evaluation)."""
    from haidian_contest import rules

    from ..evaluation import handed_in_on
    from ..models import AuditMaterials

    materials = AuditMaterials.objects.filter(application=application, submitted_at__isnull=False).first()
    late_days = rules.materials_late_days(application.end_date, handed_in_on(materials)) if materials else 0
    return {"deadline": deadline_of(application), "application": application, "late_days": late_days,
            "submitted_on": handed_in_on(materials) if materials else None}


@register.filter
def money(value) -> str:
    """Decimal yuan with thousands separators and two places; blank for None (the one money formatter)."""
    return formatting.money(value, blank="")


@register.filter
def dpi_text(photo) -> str:
    if photo.dpi_x is None:
        return "无"
    if round(photo.dpi_x) == round(photo.dpi_y):
        return f"{round(photo.dpi_x)}"
    return f"{round(photo.dpi_x)}×{round(photo.dpi_y)}"


@register.filter
def duration(seconds) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    return f"{seconds // 60} 分 {seconds % 60} 秒"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "")
