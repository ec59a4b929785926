"""Materials and the audit wait for the event (3.5, 2.3b); late materials are a waivable finding (3.5).

Project held 2026-12-10 to 2026-12-20; days are Beijing local days (time_machine).
"""

from datetime import UTC, date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as application_services
from applications.workflow_engine import WorkflowError
from haidian_contest.workflow import State
from performance import services
from performance.audit import decide_audit
from performance.evaluation import materials_state
from performance.summary import project_summary
from tests.clock import travel

from .stages import future_in_progress, materials_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def future(organizer, reviewer, approver, finance):
    app = future_in_progress(organizer, reviewer, approver, finance)
    with travel(date(2026, 12, 1)):
        return materials_complete(app, organizer)


def decide(app, reviewer, decision="audit_pass", comment="材料齐全。", **kw):
    return decide_audit(
        application=app,
        actor=reviewer,
        decision=decision,
        comment=comment,
        banner_confirmed=True,
        branding_confirmed=True,
        **kw,
    )


def test_materials_on_2026_12_01_for_an_event_ending_12_20_are_refused_naming_the_date(future, organizer):
    with travel(date(2026, 12, 1)), pytest.raises(ValidationError) as refused:
        services.submit_materials(application=future, actor=organizer)
    assert "2026年12月20日" in str(refused.value) and "提交绩效审核材料" in str(refused.value)
    future.refresh_from_db()
    assert future.status == State.IN_PROGRESS


def test_materials_on_the_last_day_of_the_event_are_refused(future, organizer):
    with travel(date(2026, 12, 20), hour=23), pytest.raises(ValidationError):
        services.submit_materials(application=future, actor=organizer)


def test_materials_the_day_after_the_event_are_accepted(future, organizer):
    with travel(date(2026, 12, 21), hour=0):
        services.submit_materials(application=future, actor=organizer)
    future.refresh_from_db()
    assert future.status == State.MATERIALS_SUBMITTED


def test_the_gate_counts_beijing_days_not_utc(future, organizer):
    # 2026-12-20 23:30 UTC is already 12-21 07:30 in Beijing.
    from datetime import datetime

    import time_machine

    with time_machine.travel(datetime(2026, 12, 20, 23, 30, tzinfo=UTC), tick=True):
        services.submit_materials(application=future, actor=organizer)


def test_audit_pass_waits_for_a_moved_end_date_and_the_move_is_on_the_record(future, organizer, reviewer):
    with travel(date(2026, 12, 21)):
        services.set_recording(application=future, actor=organizer, location="档案室", kept_until=date(2028, 12, 31))
        services.submit_materials(application=future, actor=organizer)
        application_services.adjust_dates(application=future, actor=reviewer, start_date=date(2026, 12, 10),
                                          end_date=date(2026, 12, 24), reason="决赛因场地检修顺延至 12 月 24 日。")
    with travel(date(2026, 12, 24)), pytest.raises(ValidationError) as refused:
        decide(future, reviewer)
    assert "2026年12月24日" in str(refused.value)
    with travel(date(2026, 12, 25)):
        decide(future, reviewer)
    future.refresh_from_db()
    assert future.status == State.AUDIT_PASSED
    change = future.status_changes.get(transition="adjust_dates")
    assert change.actor == reviewer and "顺延" in change.comment and "2026年12月24日" in change.comment


def test_the_bare_audit_pass_button_is_gated_too(future, organizer, reviewer):
    with travel(date(2026, 12, 21)):
        services.submit_materials(application=future, actor=organizer)
        application_services.adjust_dates(application=future, actor=reviewer, start_date=date(2026, 12, 10),
                                          end_date=date(2026, 12, 24), reason="顺延。")
    with travel(date(2026, 12, 22)), pytest.raises(WorkflowError):
        application_services.take_transition(application=future, actor=reviewer, name="audit_pass")


def test_a_date_adjustment_needs_a_reason(future, reviewer):
    with pytest.raises(ValidationError, match="理由"):
        application_services.adjust_dates(application=future, actor=reviewer, start_date=date(2026, 12, 10),
                                          end_date=date(2026, 12, 24), reason=" ")


# 3.5: lateness

def test_late_materials_need_the_organizers_reason_before_submission(future, organizer):
    with travel(date(2027, 1, 4)):  # deadline 2027-01-03
        state = materials_state(future)
        [late] = [f for f in state.findings if f.code == "materials_late"]
        assert late.waivable and late.clause == "3.5" and "逾期 1 天" in late.message
        with pytest.raises(WorkflowError, match="豁免理由"):
            services.submit_materials(application=future, actor=organizer)
        services.set_justifications(application=future, actor=organizer, justifications={late.key: "决赛录像剪辑外包单位延误交付。"})
        services.submit_materials(application=future, actor=organizer)


@pytest.fixture
def late(future, organizer):
    with travel(date(2027, 1, 4)):
        key = next(f.key for f in materials_state(future).findings if f.code == "materials_late")
        services.set_justifications(application=future, actor=organizer, justifications={key: "决赛录像剪辑外包单位延误交付。"})
        services.submit_materials(application=future, actor=organizer)
    future.refresh_from_db()
    return future


def test_after_submission_lateness_stays_a_finding(late):
    with travel(date(2027, 3, 1)):
        assert [f.code for f in materials_state(late).findings if f.waivable] == ["materials_late"]


def test_audit_pass_of_late_materials_needs_the_reviewers_decision(late, reviewer):
    with travel(date(2027, 1, 6)):
        with pytest.raises(ValidationError, match="逾期"):
            decide(late, reviewer)
        with pytest.raises(ValidationError, match="未获同意"):
            decide(late, reviewer, lateness_accepted=False, lateness_reason="无正当理由。")
        decide(late, reviewer, lateness_accepted=True, lateness_reason="外包延误属实，同意豁免。")
    late.refresh_from_db()
    assert late.status == State.AUDIT_PASSED


def test_the_pdf_summary_prints_the_lateness_waiver(late, reviewer):
    with travel(date(2027, 1, 6)):
        decide(late, reviewer, lateness_accepted=True, lateness_reason="外包延误属实，同意豁免。")
    [decision] = project_summary(late)["audit"]["decisions"]
    assert decision["lateness"]["decision"] == "同意豁免"
    assert decision["lateness"]["reason"] == "外包延误属实，同意豁免。"
    assert "外包单位延误" in decision["lateness"]["justification"]


def test_audit_page_asks_the_reviewer_about_lateness(late, client, reviewer):
    with travel(date(2027, 1, 6)):
        client.force_login(reviewer)
        page = client.get(reverse("performance:audit", args=[late.pk]))
        assert 'data-testid="lateness-decision"' in page.content.decode()
        client.post(reverse("performance:audit", args=[late.pk]), {
            "decision": "audit_pass", "comment": "通过。", "banner_confirmed": "on", "branding_confirmed": "on",
            "lateness": "accept", "lateness_reason": "同意。"})
    late.refresh_from_db()
    assert late.status == State.AUDIT_PASSED


def test_after_a_late_submission_the_materials_page_keeps_a_red_badge(late, client, organizer):
    with travel(date(2027, 2, 1)):
        client.force_login(organizer)
        html = client.get(reverse("performance:materials", args=[late.pk])).content.decode()
    assert 'data-testid="late-submission-badge"' in html and "逾期 1 天提交" in html


def test_the_pdf_renders_the_lateness_waiver(late, reviewer):
    import io

    from pypdf import PdfReader

    from performance.exports import build_summary_pdf

    with travel(date(2027, 1, 6)):
        decide(late, reviewer, lateness_accepted=True, lateness_reason="外包延误属实，同意豁免。")
    _name, pdf = build_summary_pdf(late, lambda *a, **k: None)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "逾期提交" in text and "同意豁免" in text and "外包延误属实" in text


def _tag(html: str, testid: str) -> str:
    import re

    return re.search(rf'<[^>]*data-testid="{testid}"[^>]*>', html).group(0)


def test_the_materials_page_shows_the_date_gate_and_disables_the_button_before_the_click(client, future, organizer):
    url = reverse("performance:materials", args=[future.pk])
    with travel(date(2026, 12, 1)):
        client.force_login(organizer)
        html = client.get(url).content.decode()
    assert "材料符合办法要求，但现在还不能提交" in html
    assert 'data-testid="submit-block"' in html and "2026年12月20日" in html.split('data-testid="submit-block"')[1]
    assert "disabled" in _tag(html, "submit-materials")
    with travel(date(2026, 12, 21)):
        client.force_login(organizer)  # a session of 12-01 has expired by then
        html = client.get(url).content.decode()
    assert 'data-testid="submit-block"' not in html and "disabled" not in _tag(html, "submit-materials")


def test_the_audit_page_shows_why_it_cannot_pass_yet_and_disables_pass(client, future, organizer, reviewer):
    with travel(date(2026, 12, 21)):
        services.submit_materials(application=future, actor=organizer)
        application_services.adjust_dates(application=future, actor=reviewer, start_date=date(2026, 12, 10),
                                          end_date=date(2026, 12, 24), reason="顺延。")
    url = reverse("performance:audit", args=[future.pk])
    with travel(date(2026, 12, 24)):
        client.force_login(reviewer)
        html = client.get(url).content.decode()
    assert "现在还不能通过" in html and "2026年12月24日" in html.split('data-testid="pass-block"')[1]
    assert "disabled" in html.split('id="decision_audit_pass"')[1].split(">")[0]
    assert "disabled" not in html.split('id="decision_audit_return"')[1].split(">")[0]
    with travel(date(2026, 12, 25)):
        client.force_login(reviewer)
        html = client.get(url).content.decode()
    assert 'data-testid="pass-block"' not in html
    assert "disabled" not in html.split('id="decision_audit_pass"')[1].split(">")[0]
