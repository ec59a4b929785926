"""The department publishes the winners, an anonymous visitor reads the notice and lodges an
objection, the department records how it was handled (issue 18)."""

import pytest

from rosters.models import Objection, Participant
from rosters.publicity import forms as publicity_forms
from tests.factories import PASSWORD
from tests.performance.stages import in_progress
from tests.rosters.stages import make_roster_rows, make_winner_rows, upload_roster, upload_winners

from .conftest import OUTPUT, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_view_object_and_handle(page, browser, live_server, organizer, reviewer, approver, finance,
                                        monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(publicity_forms, "MIN_FILL_SECONDS", 1)  # a person takes longer; the test need not wait 5 s
    project = in_progress(organizer, reviewer, approver, finance, "A")
    rows = make_roster_rows(project, 60)
    upload_roster(project, organizer, rows)
    upload_winners(project, organizer, make_winner_rows(rows, per_trade=(1, 2, 3)))
    OUTPUT.mkdir(exist_ok=True)

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{project.pk}/")
    page.get_by_test_id("tab-rosters").click()
    page.get_by_test_id("publish-notice").click()
    panel = page.get_by_test_id("publicity-panel")
    assert panel.get_by_test_id("notice-status").inner_text() == "公示中"
    panel.screenshot(path=str(OUTPUT / "publicity_panel.png"))

    visitor = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/public/notices/")
    visitor.get_by_role("link", name=project.title).click()
    assert visitor.get_by_test_id("notice-trade").count() == 3
    html = visitor.content()
    for person in Participant.objects.filter(application=project):
        assert person.id_number not in html and person.phone not in html
    visitor.screenshot(path=str(OUTPUT / "publicity_public.png"), full_page=True)
    visitor.fill("#id_name", "张三")
    visitor.fill("#id_contact", "zhangsan@example.com")
    visitor.fill("#id_text", "第一名选手的工作单位填写有误，请核实其参赛资格。")
    visitor.wait_for_timeout(1200)
    visitor.get_by_role("button", name="提交异议").click()
    assert "您的异议已收到" in visitor.locator(".alert").first.inner_text()
    visitor.screenshot(path=str(OUTPUT / "publicity_objection_sent.png"), full_page=True)
    objection = Objection.objects.get()
    assert objection.name == "张三" and objection.outcome == "pending"

    page.goto(f"{live_server.url}/rosters/objections/")
    page.get_by_role("link", name="查看与处理").click()
    page.select_option("#id_outcome", "rejected")
    page.fill("#id_result", "经与承办单位核实，工作单位填写无误，异议不成立，已电话答复异议人。")
    page.get_by_role("button", name="记录处理结果").click()
    assert "不予采纳" in page.get_by_test_id("handling").inner_text()
    page.screenshot(path=str(OUTPUT / "publicity_handled.png"), full_page=True)
    objection.refresh_from_db()
    assert objection.outcome == "rejected"
