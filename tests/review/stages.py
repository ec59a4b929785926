"""Stage helpers of the review step, built through the services as the three roles would act.

Signatures are shared with other apps' tests (funding, performance): keep them stable.
"""

from datetime import date
from decimal import Decimal

from applications.models import Application
from review import services
from review.models import CHECKLIST_KEYS, CollectiveDecision, Meeting
from tests.lifecycle import submitted_application

SESSION = "2026年第15次党组会"
MEETING_DATE = date(2026, 6, 5)
COLLECTIVE_DATE = date(2026, 6, 1)
OPINION = "方案完整，工种符合海淀区“1+X+1”产业布局，评委具有权威性，同意提交集体决策。"
ALL_MET = {key: {"met": True, "note": ""} for key in CHECKLIST_KEYS}


def under_review(organizer, reviewer, key: str = "A", **overrides) -> Application:
    """Submitted and taken into review; waivers not yet decided. ``overrides``: application fields (e.g. dates)."""
    app = submitted_application(organizer, key, **overrides)
    services.start_review(application=app, actor=reviewer)
    app.refresh_from_db()
    return app


def accept_all_waivers(app: Application, reviewer, reason: str = "理由充分，同意豁免。") -> None:
    review = services.current_review(application=app)
    for finding in services.version_findings(version=services.current_version(application=app)):
        if finding["waivable"]:
            services.decide_waiver(
                review=review, actor=reviewer, finding_key=finding["key"], accepted=True, reason=reason
            )


def complete_review(app: Application, reviewer, opinion: str = OPINION) -> None:
    services.save_review(
        review=services.current_review(application=app), actor=reviewer, opinion=opinion, checklist=ALL_MET
    )


def reviewed_application(organizer, reviewer, key: str = "A", **overrides) -> Application:
    """Submitted, review started, every waiver accepted, checklist met, recommended (待集体决策)."""
    app = under_review(organizer, reviewer, key, **overrides)
    accept_all_waivers(app, reviewer)
    complete_review(app, reviewer)
    services.recommend(application=app, actor=reviewer)
    app.refresh_from_db()
    return app


def pending_party_application(organizer, reviewer, key: str = "A", **overrides) -> Application:
    """Through the collective decision (待党组会审议)."""
    app = reviewed_application(organizer, reviewer, key, **overrides)
    services.record_collective_decision(
        application=app, actor=reviewer, outcome=CollectiveDecision.Outcome.APPROVED, date=COLLECTIVE_DATE
    )
    app.refresh_from_db()
    return app


def party_meeting(user, session: str = SESSION, day: date = MEETING_DATE) -> Meeting:
    """The meeting of that name, created once."""
    return Meeting.objects.filter(session=session).first() or services.create_meeting(
        actor=user, date=day, session=session
    )


def approved_application(
    organizer,
    reviewer,
    approver,
    key: str = "A",
    union_role: str = "co_host",
    meeting: Meeting | None = None,
    subsidies: dict | None = None,
    **overrides,
) -> Application:
    """Approved by the party group (已立项, State.APPROVED).

    ``subsidies`` maps a trade id (or the trade's name) to the approved amount; trades left out get
    the amount requested. The decision note records the group's reasons, so a waivable subsidy
    share (e.g. C's 中式烹调师 at 50%) is approved as the group's waiver, and an amount above the request
    carries the group's own reason for the raise.
    """
    app = pending_party_application(organizer, reviewer, key, **overrides)
    meeting = meeting or party_meeting(approver)
    item = services.add_to_agenda(meeting=meeting, application=app, actor=approver)
    by_name = {t.name: t.pk for t in app.trades.select_related("occupation")}
    amounts = {t.pk: t.subsidy_requested for t in app.trades.all()}
    for k, value in (subsidies or {}).items():
        amounts[by_name.get(k, k)] = Decimal(value)
    requested = {t.pk: t.subsidy_requested for t in app.trades.all()}
    raised = any(amount > requested[pk] for pk, amount in amounts.items())
    services.record_party_decision(
        item=item, actor=approver, approved=True, union_role=union_role, approved_subsidies=amounts,
        note="经党组会研究，同意立项。", raise_reason="经党组会研究，提高该工种补助。" if raised else "",
    )
    app.refresh_from_db()
    return app
