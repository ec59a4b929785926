"""合作协议草稿: the .docx filled from the approved data, read back as text, opened by LibreOffice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding import agreement_draft as drafts
from review.documents import approval_notice as notices
from tests.review.documents_helpers import (
    compact,
    convert_with_soffice,
    docx_text,
    needs_soffice,
    pdf_text,
)
from tests.review.stages import approved_application, pending_party_application
from tests.review.test_meeting_packet import first_trade_name

from .stages import agreement_signed

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def approved_odd(organizer, reviewer, approver):
    """A with 128,000.00 on its first trade and 39,999.99 on the traditional one: 257,999.99 in all."""
    from applications.models import Occupation
    from demo.scenario_data import APPLICATIONS

    third = Occupation.objects.get(code=APPLICATIONS["A"]["trades"][2]["code"]).name
    return approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A", union_role="host",
                                subsidies={first_trade_name("A"): "128000.00", third: "39999.99"})


def draft_text(application) -> str:
    return docx_text(drafts.agreement_draft_docx(drafts.agreement_draft_data(application)))


def test_draft_names_both_parties(approved_odd):
    text = draft_text(approved_odd)
    assert "甲方：海淀区总工会" in text
    assert f"乙方：{approved_odd.lead_organization.name}" in text
    assert approved_odd.lead_organization.credit_code in text


def test_draft_states_amounts_in_figures_and_capitals(approved_odd):
    text = draft_text(approved_odd)
    assert "128,000.00" in text and "壹拾贰万捌仟元整" in text
    assert "39,999.99" in text and "叁万玖仟玖佰玖拾玖元玖角玖分" in text
    assert "257,999.99" in text and "贰拾伍万柒仟玖佰玖拾玖元玖角玖分" in text


def test_draft_schedule_splits_the_total_in_two_tranches(approved_odd):
    text = draft_text(approved_odd)
    # 257,999.99 / 2: the first tranche takes the odd fen (rules.split_tranches).
    assert "129,000.00" in text and "壹拾贰万玖仟元整" in text
    assert "128,999.99" in text and "壹拾贰万捌仟玖佰玖拾玖元玖角玖分" in text


def test_draft_lists_the_organizers_duties_from_the_measures(approved_odd):
    text = draft_text(approved_odd)
    assert "海淀区总工会主办" in text and "会徽" in text  # 1.5, host
    assert "实名制" in text and "至少保存一年" in text  # 1.7, 1.8
    assert "两周" in text  # 3.5


def test_draft_cites_the_approval_notice_once_issued(approved_odd, reviewer):
    notice = notices.issue_notice(actor=reviewer, application=approved_odd)
    assert notice.number in draft_text(approved_odd)


def test_no_draft_before_approval(organizer, reviewer):
    app = pending_party_application(organizer=organizer, reviewer=reviewer, key="A")
    with pytest.raises(ValidationError, match="批准立项后"):
        drafts.agreement_draft_data(app)


@needs_soffice
def test_draft_opens_in_libreoffice(approved_odd, tmp_path):
    content = drafts.agreement_draft_docx(drafts.agreement_draft_data(approved_odd))
    converted = convert_with_soffice(content, tmp_path, "agreement.docx")
    text = compact(pdf_text(converted.read_bytes()))
    assert "壹拾贰万捌仟元整" in text and "257,999.99" in text


@pytest.mark.parametrize("who", ["reviewer", "finance"])
def test_department_and_finance_download_the_draft(client, request, approved_odd, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("funding:agreement_draft", args=[approved_odd.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "壹拾贰万捌仟元整" in docx_text(response.content)


@pytest.mark.parametrize("who", ["organizer", "approver", "auditor"])
def test_others_may_not_download_the_draft(client, request, approved_odd, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("funding:agreement_draft", args=[approved_odd.pk])).status_code == 403


def test_draft_before_approval_is_refused_with_a_message(client, organizer, reviewer):
    app = pending_party_application(organizer=organizer, reviewer=reviewer, key="A")
    client.force_login(reviewer)
    response = client.get(reverse("funding:agreement_draft", args=[app.pk]), follow=True)
    assert "批准立项后才能生成合作协议草稿" in response.content.decode()


def test_project_page_links_the_draft_and_the_signed_scan_is_recorded_as_before(client, approved_odd, reviewer):
    client.force_login(reviewer)
    url = reverse("funding:agreement_draft", args=[approved_odd.pk])
    assert url in client.get(reverse("funding:project", args=[approved_odd.pk])).content.decode()
    signed = agreement_signed(application=approved_odd, reviewer=reviewer)
    assert signed.status == "agreement_signed"
    assert client.get(url).status_code == 200  # still there to reprint after signing
