"""{{ n|filesize }}: the one size formatter (haidian_contest.inspection.format_size) in templates.

Django's filesizeformat shows 10 MB and 10 MB + 1 byte alike as "10.0 MB"; this one does not."""

from django import template

from haidian_contest.inspection.sizes import format_size

register = template.Library()


@register.filter
def filesize(value):
    try:
        return format_size(int(value))
    except (TypeError, ValueError):
        return ""
