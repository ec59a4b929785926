"""The department's audit: one decision per submission, recorded; only a pass opens tranche 2."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.workflow_engine import WorkflowError
from haidian_contest.workflow import State
from performance import services
from performance.audit import decide_audit
from performance.models import AuditDecision
from rosters.models import FirstPrizeRecord
from tests.funding.stages import tranche_2_paid

from .stages import audit_passed, materials_submitted

pytestmark = pytest.mark.django_db


def decide(app, reviewer, decision, comment="", **kw):
    kw.setdefault("banner_confirmed", True)
    kw.setdefault("branding_confirmed", True)
    return decide_audit(application=app, actor=reviewer, decision=decision, comment=comment, **kw)


def test_audit_pass_unlocks_tranche_2(submitted, reviewer, finance):
    app = audit_passed(submitted, reviewer)
    assert app.status == State.AUDIT_PASSED
    app = tranche_2_paid(app, finance)
    assert app.status == State.CLOSED


@pytest.mark.parametrize("stop", ["in_progress", "submitted", "returned", "failed"])
def test_nothing_but_the_audit_pass_unlocks_tranche_2(stop, complete, organizer, reviewer, finance):
    app = complete
    if stop != "in_progress":
        app = materials_submitted(app, organizer)
    if stop == "returned":
        decide(app, reviewer, "audit_return", "请补充媒体报道。")
    if stop == "failed":
        decide(app, reviewer, "audit_fail", "未达到预期成效。")
    app.refresh_from_db()
    with pytest.raises((ValidationError, WorkflowError)):
        tranche_2_paid(app, finance)
    app.refresh_from_db()
    assert app.status != State.CLOSED


def test_pass_requires_both_judgement_items(submitted, reviewer):
    with pytest.raises(ValidationError, match="横幅"):
        decide(submitted, reviewer, "audit_pass", banner_confirmed=False)
    with pytest.raises(ValidationError, match="联合主办"):
        decide(submitted, reviewer, "audit_pass", branding_confirmed=False)
    submitted.refresh_from_db()
    assert submitted.status == State.MATERIALS_SUBMITTED


@pytest.mark.parametrize("decision", ["audit_return", "audit_fail"])
def test_return_and_fail_need_a_comment(submitted, reviewer, decision):
    with pytest.raises(WorkflowError, match="须填写意见"):
        decide(submitted, reviewer, decision, "")


def test_only_the_reviewer_decides(submitted, organizer, auditor):
    for user in (organizer, auditor):
        with pytest.raises(PermissionDenied):
            decide(submitted, user, "audit_pass")


def test_returned_materials_can_be_completed_and_submitted_again(submitted, organizer, reviewer):
    decide(submitted, reviewer, "audit_return", "请补充信息简报。")
    submitted.refresh_from_db()
    assert submitted.status == State.AUDIT_RETURNED
    from .media import pdf_upload

    services.add_event_document(
        application=submitted, actor=organizer, kind="briefing", title="信息简报第3期", upload=pdf_upload("简报.pdf")
    )
    app = materials_submitted(submitted, organizer)
    assert app.status == State.MATERIALS_SUBMITTED


def test_every_decision_is_in_the_audit_trail(submitted, organizer, reviewer):
    decide(submitted, reviewer, "audit_return", "请补充信息简报。")
    materials_submitted(submitted, organizer)
    audit_passed(submitted, reviewer, "补充齐全，通过。")
    trail = list(submitted.status_changes.values_list("transition", "comment"))
    assert ("audit_return", "请补充信息简报。") in trail and ("audit_pass", "补充齐全，通过。") in trail
    decisions = list(AuditDecision.objects.filter(application=submitted).values_list("decision", "decided_by"))
    assert decisions == [("audit_return", reviewer.pk), ("audit_pass", reviewer.pk)]
    assert all(d.status_change.actor == reviewer for d in AuditDecision.objects.all())


def test_pass_registers_first_prize_winners(in_progress, with_people, organizer, reviewer):
    from .stages import materials_complete

    app = materials_submitted(materials_complete(with_people, organizer), organizer)
    assert not FirstPrizeRecord.objects.exists()
    audit_passed(app, reviewer)
    records = FirstPrizeRecord.objects.filter(application=app)
    assert records.count() == 3  # one first prize per trade
    assert all(r.recorded_by == reviewer for r in records)


def test_return_registers_no_first_prizes(in_progress, with_people, organizer, reviewer):
    from .stages import materials_complete

    app = materials_submitted(materials_complete(with_people, organizer), organizer)
    decide(app, reviewer, "audit_return", "补充材料")
    assert not FirstPrizeRecord.objects.exists()


def test_audit_page_shows_materials_findings_and_judgement_items(client, submitted, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("performance:audit", args=[submitted.pk])).content.decode()
    assert 'data-testid="audit-form"' in page
    assert "海淀区职工职业技能竞赛" in page and "联合主办" in page
    assert page.count('data-testid="photo-row"') == 50
    assert "选手建议增加实操练习时间" in page  # the report's text itself, read-only


def test_audit_form_passes_the_project(client, submitted, reviewer):
    client.force_login(reviewer)
    url = reverse("performance:audit", args=[submitted.pk])
    client.post(url, {"decision": "audit_pass", "comment": "通过", "banner_confirmed": "on", "branding_confirmed": "on"})
    submitted.refresh_from_db()
    assert submitted.status == State.AUDIT_PASSED


def test_audit_form_error_is_a_message_not_a_500(client, submitted, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("performance:audit", args=[submitted.pk]), {"decision": "audit_fail"}, follow=True)
    assert response.status_code == 200
    assert "须填写意见" in response.content.decode()


def test_auditor_sees_the_audit_page_without_the_form(client, submitted, auditor):
    client.force_login(auditor)
    page = client.get(reverse("performance:audit", args=[submitted.pk])).content.decode()
    assert 'data-testid="audit-form"' not in page


def test_organizer_cannot_open_the_audit_page(client, submitted, organizer):
    client.force_login(organizer)
    assert client.get(reverse("performance:audit", args=[submitted.pk])).status_code == 403


def test_organizer_sees_why_the_materials_were_returned(client, submitted, organizer, reviewer):
    decide(submitted, reviewer, "audit_return", "请补充信息简报。")
    client.force_login(organizer)
    page = client.get(reverse("performance:materials", args=[submitted.pk])).content.decode()
    assert 'data-testid="last-decision"' in page and "请补充信息简报。" in page
    assert 'data-testid="submit-materials"' in page  # editable again
