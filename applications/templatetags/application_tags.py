from decimal import Decimal, InvalidOperation

from django import template

from haidian_contest import formatting
from haidian_contest.rules.base import percent

register = template.Library()


@register.filter
def money(value):
    """12345.5 → 12,345.50; blank for None (the one money formatter)."""
    return formatting.money(value, blank="")


@register.filter
def pct(value):
    """A share 0..1 as the rules print it: Decimal("0.7") → 70.00%."""
    if value in (None, ""):
        return "—"
    try:
        return percent(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def limit_pct(value):
    """A threshold as the measures write it: Decimal("0.30") → 30%."""
    from haidian_contest.rules.base import limit_percent

    return limit_percent(Decimal(str(value)))


@register.filter
def org_type(key):
    from haidian_contest.rules.choices import ORG_TYPE_LABELS

    return ORG_TYPE_LABELS.get(key, key)
