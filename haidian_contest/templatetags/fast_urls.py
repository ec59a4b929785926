from django import template

from haidian_contest.fast_urls import object_url as _object_url

register = template.Library()


@register.simple_tag
def object_url(name, pk):
    """{% object_url 'applications:detail' a.pk %}: the per-row `{% url %}` of list pages, reversed once."""
    return _object_url(name, pk)
