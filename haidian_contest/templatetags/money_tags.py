"""{% load money_tags %}: `money` ("12,345.60", for a column headed （元）) and `yuan` ("12,345.60 元")."""

from django import template

from haidian_contest import formatting

register = template.Library()
register.filter("money", formatting.money)
register.filter("yuan", formatting.yuan)
