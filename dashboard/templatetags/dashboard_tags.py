from decimal import Decimal

from django import template

from haidian_contest.rules.base import limit_percent
from review.templatetags import review_tags

register = template.Library()


# The same money and share formats as the review pages: one definition, registered here too.
register.filter("money", review_tags.money)
register.filter("pct", review_tags.pct)


@register.filter
def rule_pct(share):
    """A threshold as the measures write it: 0.40 → "40%"."""
    return limit_percent(Decimal(share))
