"""No template leaks its own syntax into what a person reads.

Django's {# #} comment ends at the end of its line: one spread over two lines is printed as text
(it once stood on page 1 of the auditor's PDF). Every template of the project is tokenised as Django
does it, and the real outputs (the PDF summary's HTML of a finished project, the pages of it) are
read for left-over tag delimiters.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.base import Lexer, TokenType
from django.urls import reverse

LEAKS = ("{#", "#}", "{%", "%}")


def _template_files() -> list[Path]:
    engine = engines["django"].engine
    dirs = [Path(d) for d in engine.dirs]
    for app_dir in settings.BASE_DIR.iterdir():
        if (app_dir / "templates").is_dir() and app_dir.name != "templates":
            dirs.append(app_dir / "templates")
    files = {p for d in dirs if d.is_dir() for p in d.rglob("*") if p.suffix in {".html", ".txt", ".xml", ".svg"}}
    return sorted(files)


TEMPLATES = _template_files()


def leaked(text: str) -> list[str]:
    return [mark for mark in LEAKS if mark in text]


def test_the_project_has_templates_to_check():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_template_text_has_no_unclosed_tag_or_comment(path):
    """The text between tags is what gets printed: it must hold no tag delimiter."""
    tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
    bad = [(t.lineno, t.contents.strip()[:80]) for t in tokens if t.token_type == TokenType.TEXT and leaked(t.contents)]
    assert not bad, bad


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def finished(private_media, organizer, reviewer, approver, finance):
    """Scenario A through the services: roster, winners, materials, audit passed, tranche 2 paid."""
    from tests.funding.stages import tranche_2_paid
    from tests.performance.stages import audit_passed, in_progress, materials_complete, materials_submitted
    from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

    app = in_progress(organizer, reviewer, approver, finance)
    rows = make_roster_rows(app, 30)
    upload_roster(app, organizer, rows)
    upload_winners(app, organizer, make_winner_rows(rows, per_trade=(1, 1, 1)))
    app = audit_passed(materials_submitted(materials_complete(app, organizer), organizer), reviewer)
    return tranche_2_paid(app, finance)


@pytest.mark.django_db
def test_pdf_summary_html_of_a_finished_project_prints_no_template_syntax(finished):
    from django.template.loader import render_to_string

    from performance.summary import project_summary

    html = render_to_string("performance/pdf/summary.html", project_summary(finished))
    assert finished.title in html
    assert not leaked(html), [html[max(0, html.find(m) - 80):html.find(m) + 80] for m in leaked(html)]


@pytest.mark.django_db
def test_year_pdf_html_prints_no_template_syntax(finished):
    from django.template.loader import render_to_string

    from performance.year_summary import year_summary

    html = render_to_string("performance/pdf/year.html", year_summary(finished.cycle))
    assert not leaked(html)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organizer", "reviewer", "auditor"])
def test_project_pages_print_no_template_syntax(client, finished, role, request):
    client.force_login(request.getfixturevalue(role))
    for url in (reverse("applications:detail", args=[finished.pk]), reverse("applications:list")):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert not leaked(response.content.decode()), url
