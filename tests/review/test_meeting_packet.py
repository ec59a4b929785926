"""上会材料: the party group's packet for one meeting, as PDF and .docx, read back as text."""

import pytest
from django.urls import reverse

from review import services
from review.documents import packet

from .documents_helpers import (
    ID_NUMBER,
    compact,
    convert_with_soffice,
    docx_text,
    needs_soffice,
    pdf_pages,
    pdf_text,
)
from .stages import (
    OPINION,
    approved_application,
    party_meeting,
    pending_party_application,
)

pytestmark = pytest.mark.django_db

@pytest.fixture
def meeting_with_agenda(organizer, reviewer, approver, association_organizer):
    """A approved at the meeting (128,000.00 for its first trade), B still on the agenda."""
    meeting = party_meeting(approver)
    a = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A", meeting=meeting,
                             subsidies={first_trade_name("A"): "128000.00"})
    b = pending_party_application(organizer=association_organizer, reviewer=reviewer, key="B")
    services.add_to_agenda(meeting=meeting, application=b, actor=approver)
    return meeting, a, b


def first_trade_name(key):
    from applications.models import Occupation
    from demo.scenario_data import APPLICATIONS

    return Occupation.objects.get(code=APPLICATIONS[key]["trades"][0]["code"]).name


def test_packet_pdf_has_cover_contents_marking_and_numbered_pages(meeting_with_agenda):
    meeting, a, b = meeting_with_agenda
    content = packet.packet_pdf(packet.packet_data(meeting))
    text = pdf_text(content)
    flat = compact(text)
    pages = pdf_pages(content)
    assert "上会材料" in text and "目" in text and "录" in text
    assert text.count("内部资料 注意保存") == pages
    assert f"第 1 页 共 {pages} 页" in text and f"第 {pages} 页 共 {pages} 页" in text
    assert a.title in flat and b.title in flat


def test_packet_prints_approved_subsidy_in_figures_and_capitals(meeting_with_agenda):
    meeting, _a, _b = meeting_with_agenda
    text = compact(pdf_text(packet.packet_pdf(packet.packet_data(meeting))))
    assert "128,000.00" in text
    # A's total: 128,000.00 + 90,000.00 + 40,000.00 requested for the other two trades.
    assert "258,000.00" in text and "贰拾伍万捌仟元整" in text


def test_packet_shows_findings_with_reason_and_decision_opinion_and_collective_decision(meeting_with_agenda):
    meeting, _a, b = meeting_with_agenda
    data = packet.packet_data(meeting)
    project_b = next(p for p in data["projects"] if p["title"] == b.title)
    assert project_b["findings"], "B's waivable findings are decided in review"
    text = compact(pdf_text(packet.packet_pdf(data)))
    finding = project_b["findings"][0]
    assert finding["clause"] in text
    assert "该项目具有行业特殊性" in text  # the organizer's written reason
    assert "同意豁免" in text  # the department's decision
    assert compact(OPINION) in text
    assert "通过，提交党组会" in text  # the collective decision


def test_packet_portfolio_before_and_after_the_whole_agenda(meeting_with_agenda):
    meeting, _a, b = meeting_with_agenda
    # Even with B switched out of the meeting page's projection, the packet counts the whole agenda.
    item = meeting.items.get(application=b)
    services.set_projection(item=item, actor=item.meeting.created_by, include=False)
    data = packet.packet_data(meeting)
    assert data["portfolio"]["before"]["total"] == 3  # A's three trades, approved
    assert data["portfolio"]["after"]["total"] == 7  # plus B's four
    text = compact(pdf_text(packet.packet_pdf(data)))
    assert "会前（已立项）" in text and "会后（含全部待审议议题）" in text


def test_packet_holds_no_id_number(meeting_with_agenda):
    meeting, _a, _b = meeting_with_agenda
    data = packet.packet_data(meeting)
    assert not ID_NUMBER.search(pdf_text(packet.packet_pdf(data)))
    assert not ID_NUMBER.search(docx_text(packet.packet_docx(data)))


def test_packet_docx_says_what_the_pdf_says(meeting_with_agenda):
    meeting, a, b = meeting_with_agenda
    text = docx_text(packet.packet_docx(packet.packet_data(meeting)))
    assert "内部资料 注意保存" in text
    assert a.title in text and b.title in text
    assert "128,000.00" in text and "贰拾伍万捌仟元整" in text


@needs_soffice
def test_packet_docx_opens_in_libreoffice(meeting_with_agenda, tmp_path):
    meeting, a, _b = meeting_with_agenda
    converted = convert_with_soffice(packet.packet_docx(packet.packet_data(meeting)), tmp_path, "packet.docx")
    text = compact(pdf_text(converted.read_bytes()))
    assert a.title in text and "128,000.00" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_department_and_party_group_download_the_packet(client, meeting_with_agenda, reviewer, approver, fmt):
    meeting, _a, _b = meeting_with_agenda
    for user in (reviewer, approver):
        client.force_login(user)
        response = client.get(reverse(f"review:packet_{fmt}", args=[meeting.pk]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("role_user", ["organizer", "finance", "auditor"])
def test_others_may_not_download_the_packet(client, request, meeting_with_agenda, role_user):
    meeting, _a, _b = meeting_with_agenda
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("review:packet_pdf", args=[meeting.pk])).status_code == 403


def test_meeting_page_links_the_packet(client, meeting_with_agenda, approver):
    meeting, _a, _b = meeting_with_agenda
    client.force_login(approver)
    page = client.get(reverse("review:meeting", args=[meeting.pk])).content.decode()
    assert reverse("review:packet_pdf", args=[meeting.pk]) in page
    assert reverse("review:packet_docx", args=[meeting.pk]) in page


def test_packet_lists_each_projects_performance_targets(meeting_with_agenda):
    meeting, a, _b = meeting_with_agenda
    target = a.performance_targets.get(key="participants")
    data = packet.packet_data(meeting)
    for text in (compact(pdf_text(packet.packet_pdf(data))), compact(docx_text(packet.packet_docx(data)))):
        assert "六、绩效目标" in text
        assert compact(f"{target.name}") in text and compact(target.target_text) in text
