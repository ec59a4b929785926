from decimal import ROUND_HALF_UP, Decimal

from django import template

from haidian_contest.rules.base import limit_percent

register = template.Library()


@register.filter
def money(value):
    """Decimal → "12,345.60"; "—" for nothing."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def pct(share):
    """A share 0..1 → "40.00%"."""
    if share is None or share == "":
        return "—"
    return f"{(Decimal(share) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


@register.filter
def rule_pct(share):
    """A threshold as the measures write it: 0.40 → "40%"."""
    return limit_percent(Decimal(share))
