"""A changed waiver decision is a new row: the latest is in force, the earlier ones stay on the record."""

import pytest
from django.urls import reverse

from review import services
from review.models import WaiverDecision

from .stages import complete_review, under_review

pytestmark = pytest.mark.django_db

PARTICIPANTS = "too_few_participants:集成电路工程技术人员"
REFUSAL = "计划参赛人数明显少于 200 人，且未说明扩大参赛范围的措施。"
ACCEPTANCE = "申报单位补充说明了行业规模，同意豁免。"


@pytest.fixture
def changed_mind(association_organizer, reviewer):
    """B under review: the participants waiver first refused, then accepted after a call with the organizer."""
    app = under_review(association_organizer, reviewer, "B")
    review = services.current_review(application=app)
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=False, reason=REFUSAL)
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=True, reason=ACCEPTANCE)
    return app


def test_changing_a_waiver_decision_keeps_the_old_one_on_the_record(changed_mind):
    rows = list(WaiverDecision.objects.filter(finding_key=PARTICIPANTS).order_by("id"))
    assert [(w.accepted, w.reason) for w in rows] == [(False, REFUSAL), (True, ACCEPTANCE)]
    assert rows[1].supersedes_id == rows[0].pk


def test_the_latest_decision_is_the_one_in_force(changed_mind):
    review = services.current_review(application=changed_mind)
    current = {w.finding_key: w for w in review.current_waivers()}
    assert current[PARTICIPANTS].accepted is True
    assert [h.reason for h in current[PARTICIPANTS].history] == [REFUSAL]
    assert list(WaiverDecision.objects.current().filter(finding_key=PARTICIPANTS).values_list("accepted", flat=True)) == [True]


def test_review_gaps_read_the_decision_in_force(changed_mind, reviewer):
    review = services.current_review(application=changed_mind)
    for finding in services.version_findings(version=services.current_version(application=changed_mind)):
        if finding["waivable"] and finding["key"] != PARTICIPANTS:
            services.decide_waiver(
                review=review, actor=reviewer, finding_key=finding["key"], accepted=True, reason="同意。"
            )
    complete_review(changed_mind, reviewer)
    assert services.review_gaps(application=changed_mind) == []


def test_the_same_answer_sent_again_adds_no_row(changed_mind, reviewer):
    review = services.current_review(application=changed_mind)
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=True, reason=ACCEPTANCE)
    assert WaiverDecision.objects.filter(finding_key=PARTICIPANTS).count() == 2


def test_the_review_page_shows_the_earlier_decision(client, changed_mind, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("review:detail", args=[changed_mind.pk])).content.decode()
    finding = html.split(f'data-key="{PARTICIPANTS}"')[1].split('data-testid="finding"')[0]
    assert "同意豁免" in finding and ACCEPTANCE in finding
    history = finding.split('data-testid="waiver-history"')[1]
    assert "此前" in history and REFUSAL in history


def test_the_project_page_shows_the_decision_in_force_with_its_history(client, changed_mind, association_organizer,
                                                                        reviewer):
    complete_review(changed_mind, reviewer)
    services.return_for_revision(application=changed_mind, actor=reviewer, comment="请补充说明。")
    client.force_login(association_organizer)
    html = client.get(reverse("applications:detail", args=[changed_mind.pk]) + "?tab=review").content.decode()
    rows = [chunk.split("</tr>")[0] for chunk in html.split('data-testid="panel-waiver"')[1:]]
    participants = [row for row in rows if ACCEPTANCE in row or REFUSAL in row]
    assert len(participants) == 1  # one row per finding, not one per decision
    assert "同意豁免" in participants[0] and "此前" in participants[0] and REFUSAL in participants[0]


def test_a_waiver_accepted_then_refused_is_not_on_the_dashboard_list(association_organizer, reviewer):
    from datetime import date

    from django.http import QueryDict

    from dashboard.lists import waivers
    from dashboard.figures import Overview
    from dashboard.scope import scope_from

    app = under_review(association_organizer, reviewer, "B")
    review = services.current_review(application=app)
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=True, reason=ACCEPTANCE)
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=False, reason=REFUSAL)

    rows = waivers(Overview(reviewer, scope_from(QueryDict("cycle=2026")), today=date(2026, 11, 1)))

    assert not [row for row in rows if row.reason == ACCEPTANCE]
