from decimal import Decimal

from django import template

from haidian_contest import formatting

register = template.Library()


money = register.filter("money", formatting.money)  # the one money formatter: "12,345.60"; "—" for nothing


@register.filter
def pct(share):
    """A share 0..1 → "40.00%"."""
    if share is None or share == "":
        return "—"
    return formatting.percent(Decimal(share))


@register.filter
def pct_number(share):
    """A share 0..1 → "40.00" for a CSS width, always with a dot whatever the locale."""
    return formatting.percent_number(Decimal(share or 0))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def transition_label(name):
    from haidian_contest.workflow import record_label

    return record_label(name)


@register.simple_tag(takes_context=True)
def review_panel_data(context):
    """The review panel's data however the project page hands it over: flattened into the
    context, or inside the panel dict from applications.panels.render_context."""
    if isinstance(context.get("review"), dict):
        return context["review"]
    for name in ("panel", "p", "section", "item"):
        holder = context.get(name)
        if isinstance(holder, dict):
            inner = holder.get("context") if "context" in holder else holder
            if isinstance(inner, dict) and isinstance(inner.get("review"), dict):
                return inner["review"]
    for name in ("ctx", "context", "panel_context"):
        inner = context.get(name)
        if isinstance(inner, dict) and isinstance(inner.get("review"), dict):
            return inner["review"]
    return {}
