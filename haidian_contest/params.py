"""Query parameters that no person types: control characters are refused before any view reads them.

A NUL (``?q=%00``) cannot be stored in or compared against a PostgreSQL text column (the driver
raises), so every search page that passes ``q`` or a filter on to the database would answer 500.
Rather than each view cleaning its own parameters, this middleware answers 400 with a Chinese
page for any query string holding a C0 control character other than tab and line breaks, and for
a form post holding a NUL (Django's form fields refuse those too; this covers views that read
``request.POST`` directly). Other control characters in a post are left to the forms: text pasted
from a word processor may carry them, and refusing the whole form would lose what was typed.
"""

import re

from django.shortcuts import render

QUERY_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
POST_FORBIDDEN = re.compile(r"\x00")
MESSAGE = "请求参数中含有不可见的控制字符（如 %00），无法处理。请检查输入后重试。"


def _holds(params, pattern) -> bool:
    return any(pattern.search(key) or any(pattern.search(v) for v in values) for key, values in params.lists())


def has_control_characters(request) -> bool:
    if _holds(request.GET, QUERY_FORBIDDEN):
        return True
    # Reading request.POST here parses the body a little earlier than CsrfViewMiddleware would
    # anyway (no view sets its own upload handlers); uploaded files are in request.FILES, not checked.
    if request.method == "POST":
        return _holds(request.POST, POST_FORBIDDEN)
    return False


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)
