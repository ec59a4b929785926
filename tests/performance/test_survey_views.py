"""The survey's pages: the public questionnaire on a phone, the results and the poster for staff."""

from __future__ import annotations

import io

import pytest
import segno
from django.test import Client
from django.urls import reverse

from performance.survey import services
from performance.survey.models import SurveyAnswer

from .survey_stages import answer_as, post_data

pytestmark = pytest.mark.django_db


def _url(survey):
    return reverse("performance:survey_answer", args=[survey.token])


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_questionnaire_opens_without_an_account_with_the_production_2fa_setting(survey, settings):
    from haidian_contest import settings as shipped

    settings.REQUIRE_2FA_ROLES = set(shipped.REQUIRE_2FA_ROLES)
    page = Client().get(_url(survey))
    assert page.status_code == 200
    body = page.content.decode()
    assert survey.application.title in body and "身份证号后6位" in body
    assert "<script" not in body and "style=" not in body  # the strict CSP: nothing inline
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]


def test_an_unknown_token_or_a_project_number_finds_nothing(survey):
    assert Client().get(reverse("performance:survey_answer", args=["x" * 22])).status_code == 404
    assert Client().get(f"/performance/survey/{survey.application_id}/").status_code == 404


def test_answering_on_the_page_ends_on_the_thanks_page(survey, with_people):
    response = Client().post(_url(survey), post_data(with_people.roster_rows[0], suggestion="很好"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("performance:survey_thanks", args=[survey.token])
    assert "感谢您的参与" in response.content.decode()
    assert SurveyAnswer.objects.get().suggestion == "很好"


def test_a_second_answer_on_the_page_is_refused(survey, with_people):
    row = with_people.roster_rows[0]
    Client().post(_url(survey), post_data(row))
    page = Client().post(_url(survey), post_data(row, ratings=(1, 1, 1, 1, 1)))
    assert page.status_code == 200 and services.ALREADY_ANSWERED in page.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_a_wrong_tail_and_an_unknown_person_see_the_same_page(survey, with_people):
    row = with_people.roster_rows[0]
    tail = row["id_number"][-6:]
    wrong = ("1" if tail[0] != "1" else "2") + tail[1:]
    pages = []
    for data in (post_data(row, tail=wrong), post_data({**row, "name": "查无此人"})):
        page = Client().post(_url(survey), data)
        pages.append(page.content.decode())
        assert page.status_code == 200 and services.IDENTITY_REFUSED in pages[-1]
    # The only differences are what the visitor typed (their name) and the form's CSRF token.
    strip = [p.replace(row["name"], "").replace("查无此人", "").replace(wrong, "").replace(tail, "") for p in pages]
    import re

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", strip[0]) == token.sub("", strip[1])
    assert not SurveyAnswer.objects.exists()


def test_a_refused_answer_keeps_what_was_chosen(survey, with_people):
    row = with_people.roster_rows[0]
    page = Client().post(_url(survey), post_data({**row, "name": "查无此人"}, ratings=(2, 2, 2, 2, 2),
                                                 suggestion="保留我的建议"))
    body = page.content.decode()
    assert "保留我的建议" in body and body.count('value="2" autocomplete="off" checked') == 5


def test_the_page_is_rate_limited_per_address(survey, with_people, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.23")
    for _ in range(services.FREE_FAILURES):
        client.post(_url(survey), post_data({**with_people.roster_rows[0], "name": "查无此人"}))
    page = client.post(_url(survey), post_data(with_people.roster_rows[0]))
    assert "核验失败次数较多" in page.content.decode() and "秒后）再试" in page.content.decode()
    other = Client(HTTP_X_FORWARDED_FOR="198.51.100.24").post(_url(survey), post_data(with_people.roster_rows[0]))
    assert other.status_code == 302


def test_results_show_the_rate_its_rule_the_charts_and_the_suggestions(survey, with_people, organizer):
    rows = with_people.roster_rows
    answer_as(survey, rows[0], ratings=(5, 5, 5, 5, 5), suggestion="希望每年举办")
    answer_as(survey, rows[1], ratings=(1, 2, 3, 4, 5), again="no")
    page = _logged_in(organizer).get(reverse("performance:survey", args=[with_people.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="survey-rate">70.00%' in body and "满意率 = 5 道评分题中" in body
    assert "希望每年举办" in body and body.count("<svg") == 6 * 5 - 2  # 5 bars a rating, 3 for “again”
    assert rows[0]["name"] not in body


def test_the_organizer_of_another_unit_cannot_see_the_results(survey, other_organizer):
    client = _logged_in(other_organizer)
    for name in ("performance:survey", "performance:survey_qr", "performance:survey_poster"):
        assert client.get(reverse(name, args=[survey.application_id])).status_code == 404, name


def test_the_department_and_the_auditor_see_every_projects_results(survey, reviewer, auditor, approver):
    url = reverse("performance:survey", args=[survey.application_id])
    assert _logged_in(reviewer).get(url).status_code == 200
    assert _logged_in(auditor).get(url).status_code == 200
    assert _logged_in(approver).get(url).status_code == 403


def test_the_results_page_makes_the_same_queries_for_2_or_40_answers(survey, with_people, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _logged_in(reviewer)
    url = reverse("performance:survey", args=[with_people.pk])
    client.get(url)  # the first request of a session sets it up
    counts = []
    for rows in (with_people.roster_rows[:2], with_people.roster_rows[2:40]):
        for row in rows:
            answer_as(survey, row, suggestion=f"建议{row['name']}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[0] <= 12, counts


def test_the_qr_code_holds_the_absolute_address_from_site_url(survey, organizer, settings):
    settings.SITE_URL = "https://contest.example.gov.cn/"
    response = _logged_in(organizer).get(reverse("performance:survey_qr", args=[survey.application_id]))
    assert response["Content-Type"] == "image/png"
    url = f"https://contest.example.gov.cn/performance/survey/{survey.token}/"
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="png", scale=12, border=4)
    assert response.content == expected.getvalue()


def test_the_poster_is_an_a4_pdf_with_the_project_and_the_address(survey, organizer, settings):
    from pypdf import PdfReader

    settings.SITE_URL = "https://contest.example.gov.cn"
    response = _logged_in(organizer).get(reverse("performance:survey_poster", args=[survey.application_id]))
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert len(reader.pages) == 1 and round(float(page.mediabox.width)) == 595
    text = page.extract_text()
    assert "参赛职工满意度调查" in text and survey.token in text.replace("\n", "")


def test_the_organizer_opens_the_survey_from_the_results_page(with_people, organizer):
    client = _logged_in(organizer)
    url = reverse("performance:survey", args=[with_people.pk])
    assert 'data-testid="survey-open"' in client.get(url).content.decode()
    page = client.post(reverse("performance:survey_open", args=[with_people.pk]), follow=True)
    assert "满意度调查已开启" in page.content.decode() and 'data-testid="survey-url"' in page.content.decode()


def test_the_fill_button_puts_the_suggestions_into_the_report(survey, with_people, organizer):
    answer_as(survey, with_people.roster_rows[0], suggestion="提前公布评分细则")
    client = _logged_in(organizer)
    page = client.post(reverse("performance:survey_fill_report", args=[with_people.pk]), follow=True)
    assert page.redirect_chain[-1][0].endswith("#report")
    assert "提前公布评分细则" in page.content.decode()


def test_after_the_audit_passes_the_questionnaire_says_it_is_closed(survey, with_people, organizer, reviewer):
    from .stages import audit_passed, materials_complete, materials_submitted

    audit_passed(materials_submitted(materials_complete(with_people, organizer), organizer), reviewer)
    page = Client().get(_url(survey))
    assert 'data-testid="survey-closed"' in page.content.decode()
    refused = Client().post(_url(survey), post_data(with_people.roster_rows[0]))
    assert 'data-testid="survey-closed"' in refused.content.decode() and not SurveyAnswer.objects.exists()
