"""The Content-Security-Policy header, and templates that keep to it (the browser test,
tests/browser/test_csp_browser.py, shows Chromium reports no violation on the main pages)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Rendered to PDF by WeasyPrint, never served as a page: their <style> blocks are not under the policy.
PDF_TEMPLATES = {"review/minutes_pdf.html", "applications/application_pdf.html"}


def served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PDF_TEMPLATES or name.startswith(("performance/pdf/", "review/documents/")):
            continue
        text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(), flags=re.S)
        yield name, text


def directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["accounts:login", "applications:list", "dashboard:search"])
def test_pages_carry_a_strict_content_security_policy(client, organizer, url):
    client.force_login(organizer)
    policy = directives(client.get(reverse(url)))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe" not in " ".join(policy.values())


def test_no_served_template_has_an_inline_script():
    inline = [name for name, text in served_templates() if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
    assert inline == []


def test_no_served_template_has_an_inline_event_handler():
    handlers = [(name, m.group(0)) for name, text in served_templates()
                for m in re.finditer(r"<[^>]*\son[a-z]+\s*=", text)]
    assert handlers == []


def test_no_served_template_has_a_style_attribute_or_block():
    styles = [(name, m.group(0)) for name, text in served_templates()
              for m in re.finditer(r"\sstyle\s*=|<style\b", text)]
    assert styles == []
