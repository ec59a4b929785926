"""The review pages: who may open them, what a POST does, and that user errors never 500."""

from datetime import date
from decimal import Decimal
import io

import pypdf
import pytest
from django.urls import reverse

from applications.models import Application
from haidian_contest.workflow import State
from review import services
from review.models import CHECKLIST_KEYS, Meeting

from .stages import approved_application, party_meeting, pending_party_application, reviewed_application, under_review
from tests.lifecycle import submitted_application

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("name", ["review:queue", "review:collective", "review:meetings"])
def test_organizer_may_not_open_the_review_pages(client, organizer, name):
    client.force_login(organizer)
    assert client.get(reverse(name)).status_code == 403


def test_organizer_may_not_open_a_review_page_even_of_its_own_project(client, organizer, reviewer):
    app = under_review(organizer, reviewer)
    client.force_login(organizer)
    assert client.get(reverse("review:detail", args=[app.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302 and "login" in response.url


def test_queue_lists_submitted_and_filters_by_category(client, organizer, street_organizer, reviewer):
    a = submitted_application(organizer, "A")
    c = submitted_application(street_organizer, "C")
    client.force_login(reviewer)
    rows = list(client.get(reverse("review:queue")).context["page"])
    assert {r.pk for r in rows} == {a.pk, c.pk}
    rows = list(client.get(reverse("review:queue"), {"category": "innovative"}).context["page"])
    assert [r.pk for r in rows] == [a.pk]
    rows = list(client.get(reverse("review:queue"), {"organization": street_organizer.organization_id}).context["page"])
    assert [r.pk for r in rows] == [c.pk]


def test_queue_sorts_by_budget(client, organizer, street_organizer, reviewer):
    a = submitted_application(organizer, "A")
    c = submitted_application(street_organizer, "C")
    client.force_login(reviewer)
    rows = list(client.get(reverse("review:queue"), {"sort": "-budget"}).context["page"])
    assert [r.pk for r in rows] == [a.pk, c.pk]
    assert rows[0].budget_total == Decimal("430000.00")


def test_queue_keeps_a_constant_query_count_as_rows_grow(client, reviewer, django_assert_max_num_queries):
    from tests.factories import OrganizationFactory, user_with_role
    from accounts.roles import Role

    def add(n):
        for i in range(n):
            user = user_with_role(Role.ORGANIZER, organization=OrganizationFactory(org_type="park"))
            app = submitted_application(user, "A")
            if i % 2:
                services.start_review(application=app, actor=reviewer)

    client.force_login(reviewer)
    add(2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse("review:queue"), {"status": "all"}).status_code == 200
    add(4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("review:queue"), {"status": "all"})
    assert len(response.context["page"]) == 6


def test_meeting_list_keeps_a_constant_query_count_as_rows_grow(client, approver, django_assert_max_num_queries):
    client.force_login(approver)
    for i in range(2):
        services.create_meeting(actor=approver, date=date(2026, 5, i + 1), session=f"2026年第{i + 1}次党组会")
    # 11: with the year's budget from the year's call (one query) beside the portfolio's.
    with django_assert_max_num_queries(11) as small:
        client.get(reverse("review:meetings"))
    for i in range(2, 8):
        services.create_meeting(actor=approver, date=date(2026, 5, i + 1), session=f"2026年第{i + 1}次党组会")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("review:meetings"))
    assert len(response.context["meetings"]) == 8


def test_meeting_page_keeps_a_constant_query_count_as_items_grow(client, organizer, association_organizer, street_organizer,
                                                                 reviewer, approver, django_assert_max_num_queries):
    meeting = party_meeting(approver)
    services.add_to_agenda(
        meeting=meeting, application=pending_party_application(organizer, reviewer, "A"), actor=approver
    )
    client.force_login(approver)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("review:meeting", args=[meeting.pk]))
    services.add_to_agenda(
        meeting=meeting, application=pending_party_application(association_organizer, reviewer, "B"), actor=approver
    )
    services.add_to_agenda(
        meeting=meeting, application=pending_party_application(street_organizer, reviewer, "C"), actor=approver
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("review:meeting", args=[meeting.pk]))
    assert len(response.context["rows"]) == 3


def test_reviewer_takes_b_through_review_in_the_pages(client, association_organizer, reviewer):
    app = submitted_application(association_organizer, "B")
    client.force_login(reviewer)
    page = reverse("review:detail", args=[app.pk])
    assert "一（七）" in client.get(page).content.decode()
    client.post(reverse("review:start", args=[app.pk]))
    for key in ("certifiable_share_low:", "first_prize_over_cap:集成电路工程技术人员"):
        client.post(reverse("review:waiver", args=[app.pk]), {"finding_key": key, "accepted": "1", "reason": ""})
    response = client.post(reverse("review:waiver", args=[app.pk]),
                           {"finding_key": "too_few_participants:集成电路工程技术人员", "accepted": "0", "reason": ""}, follow=True)
    assert any("须写明理由" in m for m in messages_of(response))
    client.post(reverse("review:waiver", args=[app.pk]),
                {"finding_key": "too_few_participants:集成电路工程技术人员", "accepted": "0", "reason": "人数不足 200"})
    data = {"opinion": "需补足参赛人数。", **{f"met_{k}": "1" for k in CHECKLIST_KEYS}}
    client.post(reverse("review:save", args=[app.pk]), data)
    response = client.post(reverse("review:transition", args=[app.pk]), {"transition": "recommend"}, follow=True)
    assert response.status_code == 200
    assert any("未获同意" in m for m in messages_of(response))
    response = client.post(reverse("review:transition", args=[app.pk]),
                           {"transition": "return_for_revision", "comment": "请将参赛人数提高到 200 人。"}, follow=True)
    app.refresh_from_db()
    assert app.status == State.RETURNED
    assert response.redirect_chain[-1][0] == reverse("review:queue")


def test_review_page_prefills_the_return_comment_with_refused_waivers(client, association_organizer, reviewer):
    app = under_review(association_organizer, reviewer, "B")
    services.decide_waiver(
        review=services.current_review(application=app),
        actor=reviewer,
        finding_key="too_few_participants:集成电路工程技术人员",
        accepted=False,
        reason="人数不足 200",
    )
    client.force_login(reviewer)
    form = client.get(reverse("review:detail", args=[app.pk])).context["transition_form"]
    assert "人数不足 200" in form["comment"].value()


def test_approver_cannot_post_a_review_transition(client, organizer, reviewer, approver):
    app = under_review(organizer, reviewer)
    client.force_login(approver)
    assert client.post(reverse("review:transition", args=[app.pk]), {"transition": "reject", "comment": "x"}).status_code == 403


def test_collective_decision_through_the_page(client, organizer, reviewer):
    app = reviewed_application(organizer, reviewer)
    client.force_login(reviewer)
    assert app.title in client.get(reverse("review:collective")).content.decode()
    client.post(reverse("review:collective_decide", args=[app.pk]),
                {f"c{app.pk}-outcome": "approved", f"c{app.pk}-date": "2026-06-01", f"c{app.pk}-note": ""})
    app.refresh_from_db()
    assert app.status == State.PENDING_PARTY


def test_collective_rejection_without_reason_shows_a_message_not_an_error(client, organizer, reviewer):
    app = reviewed_application(organizer, reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("review:collective_decide", args=[app.pk]),
                           {f"c{app.pk}-outcome": "rejected", f"c{app.pk}-date": "2026-06-01"})
    assert response.status_code == 200
    assert any("理由" in m for m in messages_of(response))
    app.refresh_from_db()
    assert app.status == State.RECOMMENDED


def test_party_group_cuts_c_and_approves_it_through_the_pages(client, street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    client.force_login(approver)
    response = client.post(reverse("review:meetings"), {"date": "2026-06-05", "session": "2026年第15次党组会"})
    meeting = Meeting.objects.get()
    assert response.url == reverse("review:meeting", args=[meeting.pk])
    client.post(reverse("review:meeting_add", args=[meeting.pk]), {"application": app.pk})
    item = meeting.items.get()
    # C is the year's only project here (3 traditional of 3, over the 40% cap): the group gives its reason.
    data = {f"i{item.pk}-approved": "1", f"i{item.pk}-union_role": "support",
            f"i{item.pk}-note": "生活服务业技能人才需求迫切，同意本年度传统类工种占比暂超 40%。"}
    for trade in app.trades.all():
        data[f"i{item.pk}-subsidy_{trade.pk}"] = "24000.00" if trade.name == "中式烹调师" else str(trade.subsidy_requested)
    client.post(reverse("review:item_decide", args=[item.pk]), data)
    app.refresh_from_db()
    assert (app.status, app.union_role) == (State.APPROVED, "support")
    assert app.trades.get(occupation__name="中式烹调师").approved_subsidy == Decimal("24000.00")


def test_a_decision_the_service_refuses_keeps_the_entered_amounts(client, street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    client.force_login(approver)
    data = {f"i{item.pk}-approved": "1", f"i{item.pk}-union_role": "support", f"i{item.pk}-note": ""}
    for trade in app.trades.all():
        data[f"i{item.pk}-subsidy_{trade.pk}"] = "29000.00" if trade.name == "中式烹调师" else str(trade.subsidy_requested)
    response = client.post(reverse("review:item_decide", args=[item.pk]), data)
    assert response.status_code == 200
    assert any("写明理由" in m for m in messages_of(response))
    assert 'value="29000.00"' in response.content.decode()
    assert Application.objects.get(pk=app.pk).status == State.PENDING_PARTY


def test_minutes_pdf_lists_the_decisions(client, organizer, reviewer, approver):
    app = approved_application(organizer, reviewer, approver)
    meeting = app.agenda_items.get().meeting
    client.force_login(approver)
    response = client.get(reverse("review:minutes", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "2026年第15次党组会" in text
    assert "批准立项" in text and "联合主办" in text
    assert app.title in text.replace("\n", "")


def test_auditor_may_read_a_meeting_but_sees_no_decision_form(client, organizer, reviewer, approver, auditor):
    app = pending_party_application(organizer, reviewer)
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    client.force_login(auditor)
    response = client.get(reverse("review:meeting", args=[item.meeting_id]))
    assert response.status_code == 200
    assert 'data-testid="decision-form"' not in response.content.decode()


def _second_round(organizer, reviewer):
    from applications import services as application_services

    app = under_review(organizer, reviewer)
    services.return_for_revision(application=app, actor=reviewer, comment="请补充竞赛方案。")
    app.refresh_from_db()
    application_services.submit_application(application=app, actor=organizer)
    app.refresh_from_db()
    assert app.submitted_version == 2
    return app


def test_round_two_review_page_links_to_the_diff_against_the_previous_version(client, organizer, reviewer):
    app = _second_round(organizer, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("review:detail", args=[app.pk])).content.decode()
    assert f'href="{reverse("applications:version_diff", args=[app.pk, 2])}"' in page
    assert "与第 1 版比较" in page


def test_first_round_review_page_has_no_diff_link(client, organizer, reviewer):
    app = under_review(organizer, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("review:detail", args=[app.pk])).content.decode()
    assert "version-diff-link" not in page


def test_return_comment_is_prefilled_with_unmet_checklist_items_for_the_reviewer_to_edit(client, organizer, reviewer):
    app = under_review(organizer, reviewer)
    services.save_review(review=services.current_review(application=app), actor=reviewer, opinion="",
                         checklist={"venue": {"met": False, "note": "未说明决赛场地"}})
    client.force_login(reviewer)
    response = client.get(reverse("review:detail", args=[app.pk]))
    assert "未说明决赛场地" in response.context["transition_form"]["comment"].value()
    assert 'data-testid="comment-prefilled"' in response.content.decode()


def test_return_with_the_prefilled_box_emptied_is_refused_as_required(client, organizer, reviewer):
    app = under_review(organizer, reviewer)
    services.save_review(review=services.current_review(application=app), actor=reviewer, opinion="",
                         checklist={"venue": {"met": False, "note": "未说明决赛场地"}})
    client.force_login(reviewer)
    response = client.post(reverse("review:transition", args=[app.pk]),
                           {"transition": "return_for_revision", "comment": "  "}, follow=True)
    app.refresh_from_db()
    assert app.status == State.UNDER_REVIEW
    assert any("须填写意见或理由" in m for m in messages_of(response))
    assert "未说明决赛场地" in response.context["transition_form"]["comment"].value()
