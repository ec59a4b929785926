from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value):
    """12345.6 → "12,345.60"; blank for nothing. Money is shown to the fen, grouped by thousands."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"
