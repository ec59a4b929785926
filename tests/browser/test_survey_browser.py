"""A participant on a phone: opens the questionnaire's address (what the QR code holds), is refused with a
wrong ID tail, answers, and sees the thanks page; the page fits a narrow screen with nothing blocked by the CSP."""

import pytest

from tests.performance.stages import in_progress
from tests.rosters.stages import make_roster_rows, upload_roster

from .conftest import OUTPUT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_a_participant_answers_the_survey_on_a_phone(phone, live_server, settings, organizer, reviewer, approver,
                                                      finance):
    from performance.survey.models import SurveyAnswer
    from performance.survey.services import open_survey

    app = in_progress(organizer, reviewer, approver, finance)
    rows = make_roster_rows(app, 30)
    upload_roster(app, organizer, rows)
    survey = open_survey(actor=organizer, application=app)
    settings.SITE_URL = live_server.url
    blocked = []
    phone.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)

    row = rows[4]
    phone.goto(f"{live_server.url}/performance/survey/{survey.token}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    OUTPUT.mkdir(exist_ok=True)
    phone.screenshot(path=str(OUTPUT / "survey_phone_form.png"), full_page=True)

    def fill(tail):
        phone.fill("#id_name", row["name"])
        phone.fill("#id_id_tail", tail)
        for question in ("organisation", "judging", "venue", "usefulness", "overall"):
            phone.get_by_test_id(f"question-{question}").get_by_text("满意", exact=True).tap()
        phone.get_by_test_id("question-again").get_by_text("愿意", exact=True).tap()
        phone.fill("#id_suggestion", "希望增加实操练习时间")
        phone.get_by_test_id("survey-submit").tap()

    tail = row["id_number"][-6:]
    fill(("1" if tail[0] != "1" else "2") + tail[1:])
    assert "未能核实您的参赛身份" in phone.get_by_test_id("survey-refused").inner_text()
    assert not SurveyAnswer.objects.exists()
    # What was chosen is kept: the tail is corrected and the form sent again.
    assert phone.locator("input[name=overall][value='4']").is_checked()
    phone.fill("#id_id_tail", tail)
    phone.get_by_test_id("survey-submit").tap()
    phone.get_by_test_id("survey-thanks").wait_for()
    phone.screenshot(path=str(OUTPUT / "survey_phone_thanks.png"), full_page=True)
    answer = SurveyAnswer.objects.get()
    assert (answer.overall, answer.again, answer.suggestion) == (4, "yes", "希望增加实操练习时间")
    assert blocked == []
