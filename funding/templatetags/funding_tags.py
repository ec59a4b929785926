from django import template

from haidian_contest import formatting

register = template.Library()


# Funding's tables head their columns （元）: the figure alone, from the one money formatter.
register.filter("yuan", formatting.money)
