"""Every review-step transition: allowed to its role, refused otherwise, audited and notified."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from accounts.models import Notification
from applications.models import ApplicationVersion, StatusChange
from applications.workflow_engine import WorkflowError, perform
from haidian_contest.workflow import State
from review import services
from review.models import CollectiveDecision

from .stages import accept_all_waivers, complete_review, pending_party_application, reviewed_application, under_review

pytestmark = pytest.mark.django_db


def last_change(app) -> StatusChange:
    return app.status_changes.order_by("-at", "-id").first()


# ---------------------------------------------------------------- allowed, by their role

def test_reviewer_starts_review_and_it_is_audited(organizer, reviewer):
    app = under_review(organizer, reviewer)
    change = last_change(app)
    assert app.status == State.UNDER_REVIEW
    assert (change.transition, change.from_status, change.to_status, change.actor) == (
        "start_review", State.SUBMITTED, State.UNDER_REVIEW, reviewer)
    assert services.current_review(application=app).round == 1


def test_reviewer_recommends_complete_review_and_it_is_audited(organizer, reviewer):
    app = reviewed_application(organizer, reviewer)
    change = last_change(app)
    assert (change.transition, change.from_status, change.to_status, change.actor) == (
        "recommend", State.UNDER_REVIEW, State.RECOMMENDED, reviewer)
    assert services.current_review(application=app).outcome == "recommended"


def test_reviewer_returns_for_revision_with_comment_and_it_is_audited(organizer, reviewer):
    app = under_review(organizer, reviewer)
    services.return_for_revision(application=app, actor=reviewer, comment="请补充评委资质证明。")
    app.refresh_from_db()
    change = last_change(app)
    assert app.status == State.RETURNED
    assert (change.transition, change.actor, change.comment) == ("return_for_revision", reviewer, "请补充评委资质证明。")


def test_reviewer_rejects_with_comment_and_it_is_audited(organizer, reviewer):
    app = under_review(organizer, reviewer)
    services.reject(application=app, actor=reviewer, comment="不符合申报条件。")
    app.refresh_from_db()
    assert app.status == State.REJECTED
    assert last_change(app).to_status == State.REJECTED


def test_collective_approval_moves_to_party_group_and_is_recorded(organizer, reviewer):
    app = pending_party_application(organizer, reviewer)
    decision = app.collective_decisions.get()
    assert app.status == State.PENDING_PARTY
    assert (decision.outcome, decision.date, decision.recorded_by) == ("approved", date(2026, 6, 1), reviewer)
    assert last_change(app).transition == "collective_approve"


def test_collective_rejection_needs_a_reason_then_ends_the_project(organizer, reviewer):
    app = reviewed_application(organizer, reviewer)
    with pytest.raises(ValidationError):
        services.record_collective_decision(
            application=app, actor=reviewer, outcome=CollectiveDecision.Outcome.REJECTED, date=date(2026, 6, 1)
        )
    services.record_collective_decision(
        application=app, actor=reviewer, outcome="rejected", date=date(2026, 6, 1), note="年度资金已用完。"
    )
    app.refresh_from_db()
    assert app.status == State.NOT_APPROVED
    assert last_change(app).transition == "collective_reject"


def test_party_group_approves_and_it_is_audited(organizer, reviewer, approver):
    from .stages import approved_application

    app = approved_application(organizer, reviewer, approver)
    change = last_change(app)
    assert (change.transition, change.from_status, change.to_status, change.actor) == (
        "party_approve", State.PENDING_PARTY, State.APPROVED, approver)
    assert "联合主办" in change.comment


def test_party_group_rejects_with_reason(organizer, reviewer, approver):
    app = pending_party_application(organizer, reviewer)
    meeting = services.create_meeting(actor=approver, date=date(2026, 6, 5), session="2026年第15次党组会")
    item = services.add_to_agenda(meeting=meeting, application=app, actor=approver)
    with pytest.raises(ValidationError):
        services.record_party_decision(item=item, actor=approver, approved=False)
    services.record_party_decision(item=item, actor=approver, approved=False, note="与区重点产业关联不足。")
    app.refresh_from_db()
    assert app.status == State.NOT_APPROVED
    assert last_change(app).transition == "party_reject"


def test_every_transition_of_the_step_leaves_one_audit_record(organizer, reviewer, approver):
    from .stages import approved_application

    app = approved_application(organizer, reviewer, approver)
    names = list(app.status_changes.order_by("at", "id").values_list("transition", flat=True))
    assert names == ["submit", "start_review", "recommend", "collective_approve", "party_approve"]


# ---------------------------------------------------------------- refused: wrong role

@pytest.mark.parametrize("role", ["organizer", "approver", "finance", "auditor", "admin_user"])
def test_only_the_reviewer_may_start_a_review(request, organizer, role):
    from tests.lifecycle import submitted_application

    app = submitted_application(organizer)
    with pytest.raises(PermissionDenied):
        services.start_review(application=app, actor=request.getfixturevalue(role))
    app.refresh_from_db()
    assert app.status == State.SUBMITTED


@pytest.mark.parametrize("action", ["recommend", "return_for_revision", "reject"])
def test_approver_cannot_conclude_a_review(organizer, reviewer, approver, action):
    app = under_review(organizer, reviewer)
    accept_all_waivers(app, reviewer)
    complete_review(app, reviewer)
    with pytest.raises(PermissionDenied):
        getattr(services, action)(application=app, actor=approver, comment="意见")
    app.refresh_from_db()
    assert app.status == State.UNDER_REVIEW


def test_engine_refuses_a_reviewer_transition_taken_by_an_organizer(organizer, reviewer):
    app = under_review(organizer, reviewer)
    with pytest.raises(PermissionDenied):
        perform(application=app, name="return_for_revision", actor=organizer, comment="想自己退回")


def test_approver_cannot_record_the_collective_decision(organizer, reviewer, approver):
    app = reviewed_application(organizer, reviewer)
    with pytest.raises(PermissionDenied):
        services.record_collective_decision(application=app, actor=approver, outcome="approved", date=date(2026, 6, 1))


def test_reviewer_cannot_record_the_party_decision(organizer, reviewer, approver):
    app = pending_party_application(organizer, reviewer)
    meeting = services.create_meeting(actor=reviewer, date=date(2026, 6, 5), session="2026年第15次党组会")
    item = services.add_to_agenda(meeting=meeting, application=app, actor=reviewer)
    with pytest.raises(PermissionDenied):
        services.record_party_decision(item=item, actor=reviewer, approved=True, union_role="host",
                                       approved_subsidies={t.pk: t.subsidy_requested for t in app.trades.all()})
    app.refresh_from_db()
    assert app.status == State.PENDING_PARTY


def test_organizer_cannot_create_a_meeting(organizer):
    with pytest.raises(PermissionDenied):
        services.create_meeting(actor=organizer, date=date(2026, 6, 5), session="2026年第15次党组会")


# ---------------------------------------------------------------- refused: wrong state

def test_a_review_cannot_start_twice(organizer, reviewer):
    app = under_review(organizer, reviewer)
    with pytest.raises(WorkflowError):
        services.start_review(application=app, actor=reviewer)


def test_a_submitted_application_cannot_be_recommended_before_review_starts(organizer, reviewer):
    from tests.lifecycle import submitted_application

    app = submitted_application(organizer)
    with pytest.raises((WorkflowError, ValidationError)):
        services.recommend(application=app, actor=reviewer)


def test_collective_decision_needs_a_recommended_application(organizer, reviewer):
    app = under_review(organizer, reviewer)
    with pytest.raises(WorkflowError):
        services.record_collective_decision(application=app, actor=reviewer, outcome="approved", date=date(2026, 6, 1))
    assert not app.collective_decisions.exists()


def test_only_projects_through_collective_decision_go_on_the_agenda(organizer, reviewer, approver):
    app = reviewed_application(organizer, reviewer)
    meeting = services.create_meeting(actor=approver, date=date(2026, 6, 5), session="2026年第15次党组会")
    with pytest.raises(ValidationError):
        services.add_to_agenda(meeting=meeting, application=app, actor=approver)


def test_a_decided_agenda_item_cannot_be_decided_again(organizer, reviewer, approver):
    from .stages import approved_application

    app = approved_application(organizer, reviewer, approver)
    item = app.agenda_items.get()
    with pytest.raises(ValidationError):
        services.record_party_decision(item=item, actor=approver, approved=False, note="改变主意")


# ---------------------------------------------------------------- refused: guards

def test_recommend_is_refused_while_a_waiver_is_undecided(association_organizer, reviewer):
    app = under_review(association_organizer, reviewer, "B")
    complete_review(app, reviewer)
    with pytest.raises(WorkflowError, match="尚未审核"):
        services.recommend(application=app, actor=reviewer)


def test_recommend_is_refused_when_a_waiver_is_refused(association_organizer, reviewer):
    app = under_review(association_organizer, reviewer, "B")
    accept_all_waivers(app, reviewer)
    review = services.current_review(application=app)
    services.decide_waiver(
        review=review,
        actor=reviewer,
        finding_key="too_few_participants:集成电路工程技术人员",
        accepted=False,
        reason="人数不足",
    )
    complete_review(app, reviewer)
    with pytest.raises(WorkflowError, match="未获同意"):
        services.recommend(application=app, actor=reviewer)


def test_recommend_is_refused_without_an_opinion(organizer, reviewer):
    app = under_review(organizer, reviewer)
    complete_review(app, reviewer, opinion="")
    with pytest.raises(WorkflowError, match="审核意见"):
        services.recommend(application=app, actor=reviewer)


def test_recommend_is_refused_while_a_checklist_item_is_not_met(organizer, reviewer):
    app = under_review(organizer, reviewer)
    complete_review(app, reviewer)
    services.save_review(review=services.current_review(application=app), actor=reviewer, opinion="意见",
                         checklist={"venue": {"met": False, "note": "场地为临时租用，未落实"}})
    with pytest.raises(WorkflowError, match="不符合"):
        services.recommend(application=app, actor=reviewer)


def test_a_checklist_item_judged_not_met_needs_a_note(organizer, reviewer):
    app = under_review(organizer, reviewer)
    with pytest.raises(ValidationError):
        services.save_review(
            review=services.current_review(application=app),
            actor=reviewer,
            opinion="",
            checklist={"venue": {"met": False}},
        )


def test_recommend_is_refused_when_the_submitted_version_has_a_hard_finding(organizer, reviewer):
    app = under_review(organizer, reviewer)
    # As if the version had been judged under stricter measures: a hard finding on the record.
    hard = {"clause": "1.2", "clause_label": "一（二）", "code": "nonstandard_trade", "key": "nonstandard_trade:x",
            "subject": "x", "message": "一（二）非标准职业未注明行业标准（不可豁免）", "waivable": False, "justification": ""}
    # Versions are append-only; a plain QuerySet steps past the guard (SQLite only) to plant the finding.
    QuerySet(ApplicationVersion).filter(application=app).update(findings=[hard])
    complete_review(app, reviewer)
    with pytest.raises(WorkflowError, match="不可豁免"):
        services.recommend(application=app, actor=reviewer)
    with pytest.raises(ValidationError, match="不可豁免"):
        services.decide_waiver(
            review=services.current_review(application=app),
            actor=reviewer,
            finding_key="nonstandard_trade:x",
            accepted=True,
        )


def test_return_and_reject_need_a_comment(organizer, reviewer):
    app = under_review(organizer, reviewer)
    with pytest.raises(WorkflowError, match="须填写"):
        services.return_for_revision(application=app, actor=reviewer, comment="  ")
    with pytest.raises(WorkflowError, match="须填写"):
        services.reject(application=app, actor=reviewer, comment="")


def test_refusing_a_waiver_needs_a_written_reason(association_organizer, reviewer):
    app = under_review(association_organizer, reviewer, "B")
    with pytest.raises(ValidationError, match="理由"):
        services.decide_waiver(
            review=services.current_review(application=app),
            actor=reviewer,
            finding_key="certifiable_share_low:",
            accepted=False,
            reason="",
        )


# ---------------------------------------------------------------- notifications

def test_recommendation_notifies_the_organizer_and_the_next_role_in_app(organizer, reviewer):
    app = reviewed_application(organizer, reviewer)
    notice = Notification.objects.filter(user=organizer, text__contains="审核通过").get()
    assert app.title in notice.text
    # Next: the collective decision is the department's own step.
    assert Notification.objects.filter(user=reviewer, text__contains="待集体决策").exists()


def test_collective_approval_notifies_the_party_group(organizer, reviewer, approver):
    pending_party_application(organizer, reviewer)
    assert Notification.objects.filter(user=approver, text__contains="待党组会审议").exists()


def test_return_for_revision_emails_the_organizer_with_the_comment(organizer, reviewer, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    organizer.email = "wangfang@example.com"
    organizer.save()
    app = under_review(organizer, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_revision(application=app, actor=reviewer, comment="请补充场地租赁合同。")
    sent = [m for m in mailoutbox if "wangfang@example.com" in m.to]
    assert sent and "请补充场地租赁合同" in sent[-1].body


def test_party_approval_emails_the_organizer(organizer, reviewer, approver, mailoutbox, django_capture_on_commit_callbacks):
    from .stages import approved_application

    organizer.email = "wangfang@example.com"
    organizer.save()
    with django_capture_on_commit_callbacks(execute=True):
        approved_application(organizer, reviewer, approver)
    assert any("已立项" in m.body and "wangfang@example.com" in m.to for m in mailoutbox)
