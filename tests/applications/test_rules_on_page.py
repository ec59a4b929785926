"""The rule panel and the submit button: findings of rules.evaluate_application decide what may be submitted."""

import pytest
from django.urls import reverse

from applications import services
from applications.evaluation import findings_for
from applications.selectors import application_with_trades
from haidian_contest.workflow import State
from tests.lifecycle import build_application

from .posts import application_post, trade_post

pytestmark = pytest.mark.django_db


def _panel(client, app, data):
    return client.post(reverse("applications:rules_panel", args=[app.pk]), data).content.decode()


def test_panel_reacts_to_unsaved_participants(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    trade = app.trades.first()
    html = _panel(client, app, trade_post(participants="150", trade_key=trade.pk))
    assert 'data-clause="一（七）"' in html and "参赛人数 150 人，少于 200 人" in html and "可豁免" in html
    assert 'data-clause="一（七）"' not in _panel(client, app, trade_post(participants="250", trade_key=trade.pk))
    trade.refresh_from_db()
    assert trade.planned_participants == 320  # the panel never saves


def test_panel_shows_totals_and_shares_as_typed(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    budget = [{"item": "venue", "description": "", "amount": "60000.00"},
              {"item": "prizes", "description": "", "amount": "40000.00"}]
    html = _panel(client, app, trade_post(budget=budget, subsidy="70000.00", certifiable="0"))
    # A (430,000 budget, 256,000 subsidy, 3 certifiable) plus the new trade.
    assert "530,000.00" in html and "326,000.00" in html
    assert "3/4 = 75.00%" in html and "70.00%" in html


def test_panel_tolerates_half_typed_numbers(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    html = _panel(client, app, trade_post(participants="2x", subsidy="1,2.", prizes=(("-", "abc"),) * 3))
    assert 'data-testid="rule-panel-body"' in html


def test_panel_reads_the_page_as_saving_it_would(client, organizer):
    # "250.0" pasted from a spreadsheet: the form saves 250, so the panel must not warn of 0 participants.
    app = build_application(organizer, "A")
    client.force_login(organizer)
    trade = app.trades.first()
    post = trade_post(participants="250.0", trade_key=trade.pk)
    assert 'data-clause="一（七）"' not in _panel(client, app, post)
    client.post(reverse("applications:trade_edit", args=[app.pk, trade.pk]), post)
    trade.refresh_from_db()
    assert trade.planned_participants == 250


def test_panel_for_the_application_page_counts_unsaved_plan_sections(client, organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    html = _panel(client, app, application_post(purpose="", location=""))
    assert "竞赛方案缺少以下内容：竞赛目的、竞赛地点" in html and "不可豁免" in html


def test_panel_before_the_first_save(client, organizer):
    client.force_login(organizer)
    html = client.post(reverse("applications:rules_panel_new"), application_post()).content.decode()
    assert "至少申报一个职业（工种）" in html


def test_hard_finding_blocks_submit(client, organizer):
    app = build_application(organizer, "A")
    trade = app.trades.first()
    services.save_trade(application=app, actor=organizer, trade=trade, field="",
                        judges=[{"name": "甲", "employer": "乙", "title": "丙"}] * 3,
                        prizes=[], budget_lines=[{"item": "venue", "amount": 180000}])
    client.force_login(organizer)
    response = client.post(reverse("applications:edit", args=[app.pk]), application_post("submit"), follow=True)
    app.refresh_from_db()
    assert app.status == State.DRAFT and not app.versions.exists()
    text = response.content.decode()
    assert "尚不能提交" in text and "二（二）创新类职业（工种）须注明所属领域" in text


def test_waivable_finding_needs_a_justification(client, organizer):
    app = build_application(organizer, "B", justify=False)
    waivable = [f for f in findings_for(application_with_trades(app)) if f.waivable]
    assert waivable and all(f.waivable for f in findings_for(application_with_trades(app)))
    client.force_login(organizer)
    url = reverse("applications:edit", args=[app.pk])
    response = client.post(url, application_post("submit"), follow=True)
    app.refresh_from_db()
    assert app.status == State.DRAFT and "须填写豁免理由" in response.content.decode()
    reasons = {f"justification__{f.key}": "行业特点，已与主管部门沟通。" for f in waivable}
    # One reason short: still blocked.
    short = dict(list(reasons.items())[:-1])
    client.post(url, application_post("submit", **short))
    app.refresh_from_db()
    assert app.status == State.DRAFT
    response = client.post(url, application_post("submit", **reasons))
    app.refresh_from_db()
    assert app.status == State.SUBMITTED
    assert response["Location"] == reverse("applications:detail", args=[app.pk])
    recorded = app.versions.get().findings
    assert {f["key"]: f["justification"] for f in recorded if f["waivable"]} == {
        f.key: "行业特点，已与主管部门沟通。" for f in waivable}


def test_justifications_typed_in_the_panel_are_saved_with_the_draft(client, organizer):
    app = build_application(organizer, "B", justify=False)
    key = next(f.key for f in findings_for(application_with_trades(app)) if f.code == "too_few_participants")
    client.force_login(organizer)
    client.post(reverse("applications:edit", args=[app.pk]), application_post(**{f"justification__{key}": "理由甲"}))
    app.refresh_from_db()
    assert app.justifications[key] == "理由甲"
    html = client.get(reverse("applications:edit", args=[app.pk])).content.decode()
    assert "理由甲" in html and f'name="justification__{key}"' in html


def test_submitted_application_reaches_the_reviewers(client, organizer, reviewer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    client.post(reverse("applications:edit", args=[app.pk]), application_post("submit", title=app.title))
    assert reviewer.notifications.filter(text__contains=app.title).exists()
