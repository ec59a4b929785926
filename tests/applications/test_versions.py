"""Submitting freezes a version; a returned application is edited, resubmitted, and both versions stay."""

import pytest
from django.urls import reverse

from applications import services, workflow_engine
from applications.models import ApplicationVersion
from demo.scenario_data import APPLICATIONS
from haidian_contest.workflow import State
from tests.lifecycle import submitted_application

pytestmark = pytest.mark.django_db


def _return(app, reviewer, comment="集成电路工种参赛人数不足 200 人，请补充。"):
    workflow_engine.perform(application=app, name="start_review", actor=reviewer)
    workflow_engine.perform(application=app, name="return_for_revision", actor=reviewer, comment=comment)
    app.refresh_from_db()


def _raise_participants(app, organizer, name, to):
    trade = next(t for t in app.trades.all() if t.name == name)
    services.save_trade(
        application=app, actor=organizer, trade=trade, planned_participants=to,
        judges=[{f: getattr(j, f) for f in ("name", "employer", "title", "experience")} for j in trade.judges.all()],
        prizes=[{"rank": p.rank, "count": p.count, "amount": p.amount} for p in trade.prize_tiers.all()],
        budget_lines=[{"item": b.item, "description": b.description, "amount": b.amount} for b in trade.budget_lines.all()],
    )


def test_frozen_snapshot_unchanged_after_later_edits(organizer, reviewer):
    app = submitted_application(organizer, "B")
    frozen = ApplicationVersion.objects.get(application=app, number=1).data
    _return(app, reviewer)
    _raise_participants(app, organizer, "集成电路工程技术人员", 200)
    services.update_application(application=app, actor=organizer, title="改过的名称")
    first = ApplicationVersion.objects.get(application=app, number=1)
    assert first.data == frozen
    chip = next(t for t in first.data["trades"] if t["name"] == "集成电路工程技术人员")
    assert (chip["planned_participants"], first.data["title"]) == (180, APPLICATIONS["B"]["title"])


def test_resubmission_keeps_both_versions_and_shows_the_diff(client, organizer, reviewer):
    app = submitted_application(organizer, "B")
    _return(app, reviewer)
    _raise_participants(app, organizer, "集成电路工程技术人员", 200)
    services.submit_application(application=app, actor=organizer)
    assert list(app.versions.values_list("number", flat=True)) == [1, 2]
    client.force_login(reviewer)
    html = client.get(reverse("applications:version_diff", args=[app.pk, 2])).content.decode()
    assert "工种「集成电路工程技术人员」 › 计划参赛人数" in html
    assert '<span class="diff-del">180</span>' in html and '<span class="diff-ins">200</span>' in html
    assert "工种「人工智能训练师」" not in html  # unchanged rows are not listed
    for number, participants in ((1, "计划参赛人数：180"), (2, "计划参赛人数：200")):
        page = client.get(reverse("applications:version", args=[app.pk, number])).content.decode()
        assert participants in page


def test_returned_application_shows_the_comment_to_the_organizer(client, organizer, reviewer):
    app = submitted_application(organizer, "B")
    _return(app, reviewer, "请补充集成电路工种的参赛人数。")
    client.force_login(organizer)
    for url in (reverse("applications:detail", args=[app.pk]), reverse("applications:edit", args=[app.pk])):
        html = client.get(url).content.decode()
        assert 'data-testid="return-comment"' in html and "请补充集成电路工种的参赛人数。" in html


def test_draft_changes_against_the_last_version(client, organizer, reviewer):
    app = submitted_application(organizer, "B")
    _return(app, reviewer)
    _raise_participants(app, organizer, "集成电路工程技术人员", 200)
    client.force_login(organizer)
    html = client.get(reverse("applications:draft_changes", args=[app.pk])).content.decode()
    assert "当前内容" in html and '<span class="diff-ins">200</span>' in html


def test_detail_page_lists_history_and_versions(client, organizer, reviewer):
    app = submitted_application(organizer, "A")
    workflow_engine.perform(application=app, name="start_review", actor=reviewer)
    client.force_login(organizer)
    html = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "草稿 → <strong>已提交</strong>" in html and "已提交 → <strong>可行性审核中</strong>" in html
    content = client.get(reverse("applications:detail", args=[app.pk]), {"tab": "content"}).content.decode()
    assert reverse("applications:version", args=[app.pk, 1]) in content  # the versions go with the content
    assert 'data-testid="workflow-actions"' not in html  # organizers act on the edit page


def test_staff_take_a_workflow_step_from_the_project_page(client, organizer, reviewer):
    app = submitted_application(organizer, "A")
    client.force_login(reviewer)
    html = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert 'value="start_review"' in html
    client.post(reverse("applications:transition", args=[app.pk]), {"name": "start_review"})
    app.refresh_from_db()
    assert app.status == State.UNDER_REVIEW
    response = client.post(reverse("applications:transition", args=[app.pk]), {"name": "return_for_revision"},
                           follow=True)
    app.refresh_from_db()
    assert app.status == State.UNDER_REVIEW and "须填写意见或理由" in response.content.decode()


def test_service_only_transitions_are_refused_as_buttons(client, organizer):
    from tests.lifecycle import build_application

    app = build_application(organizer, "A")
    client.force_login(organizer)
    client.post(reverse("applications:transition", args=[app.pk]), {"name": "submit"})
    app.refresh_from_db()
    assert app.status == State.DRAFT
