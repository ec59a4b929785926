from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def plain_select(field, css_class="form-select form-select-sm"):
    """A filter form's <select>, options joined in Python.

    A queue filter lists every unit that has applied (100 and more). Rendered through the widget
    templates, or a template loop comparing each option, it cost 5–8 ms a page; this is the same
    markup in well under 1 ms.
    """
    value = field.value()
    current = "" if value is None else str(value)
    options = []
    for choice, label in field.field.choices:
        choice = "" if choice is None else str(choice)
        selected = " selected" if choice == current else ""
        options.append(f'<option value="{conditional_escape(choice)}"{selected}>{conditional_escape(label)}</option>')
    return mark_safe(f'<select name="{conditional_escape(field.html_name)}" id="{conditional_escape(field.id_for_label)}" '
                     f'class="{conditional_escape(css_class)}">{"".join(options)}</select>')
