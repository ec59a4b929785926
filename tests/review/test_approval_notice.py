"""立项通知书: the 发文字号 given once per project and counted per year, and the notice read back as text."""

import threading
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from review.documents import approval_notice as notices
from review.models import ApprovalNotice

from .documents_helpers import (
    compact,
    convert_with_soffice,
    docx_text,
    needs_soffice,
    pdf_text,
)
from .stages import approved_application, pending_party_application
from .test_meeting_packet import first_trade_name

pytestmark = pytest.mark.django_db

# A: 128,000.00 and 100,000.10 on the two innovative trades, 40,000.00 on the traditional one.
ODD_FEN = "100000.10"


@pytest.fixture
def approved_a(organizer, reviewer, approver):
    from applications.models import Occupation
    from demo.scenario_data import APPLICATIONS

    second = Occupation.objects.get(code=APPLICATIONS["A"]["trades"][1]["code"]).name
    return approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A",
                                subsidies={first_trade_name("A"): "128000.00", second: ODD_FEN})


@pytest.fixture
def approved_b(association_organizer, reviewer, approver):
    return approved_application(organizer=association_organizer, reviewer=reviewer, approver=approver, key="B",
                                union_role="support")


def test_first_issue_gives_number_one_of_the_year_and_records_who(approved_a, reviewer):
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        notice = notices.issue_notice(actor=reviewer, application=approved_a)
    assert notice.number == "海工发〔2026〕1号"
    assert (notice.year, notice.sequence, notice.issued_by) == (2026, 1, reviewer)
    assert notice.issued_at is not None


def test_reissue_gives_the_same_number(approved_a, reviewer):
    first = notices.issue_notice(actor=reviewer, application=approved_a)
    again = notices.issue_notice(actor=reviewer, application=approved_a)
    assert again.pk == first.pk and again.number == first.number
    assert ApprovalNotice.objects.count() == 1


def test_numbers_follow_each_other_within_a_year_and_restart_next_year(approved_a, approved_b, reviewer, street_organizer, approver):
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        a = notices.issue_notice(actor=reviewer, application=approved_a)
        b = notices.issue_notice(actor=reviewer, application=approved_b)
    c = approved_application(organizer=street_organizer, reviewer=reviewer, approver=approver, key="C")
    with time_machine.travel("2027-01-05 10:00 +0800", tick=False):
        next_year = notices.issue_notice(actor=reviewer, application=c)
    assert [a.sequence, b.sequence] == [1, 2]
    assert next_year.number == "海工发〔2027〕1号"


def test_prefix_is_a_setting(approved_a, reviewer, settings):
    settings.NOTICE_NUMBER_PREFIX = "京海工发"
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        assert notices.issue_notice(actor=reviewer, application=approved_a).number == "京海工发〔2026〕1号"


def test_notice_needs_the_party_groups_approval(organizer, reviewer):
    app = pending_party_application(organizer=organizer, reviewer=reviewer, key="A")
    with pytest.raises(ValidationError, match="党组会批准立项后"):
        notices.issue_notice(actor=reviewer, application=app)
    assert not ApprovalNotice.objects.exists()


@pytest.mark.parametrize("who", ["organizer", "approver", "finance"])
def test_only_the_department_issues(request, approved_a, who):
    with pytest.raises(PermissionDenied):
        notices.issue_notice(actor=request.getfixturevalue(who), application=approved_a)


def test_notice_pdf_states_amounts_in_figures_and_capitals(approved_a, reviewer):
    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    text = compact(pdf_text(notices.notice_pdf(notices.notice_data(notice))))
    assert notice.number in text
    assert "128,000.00" in text and "壹拾贰万捌仟元整" in text
    assert "100,000.10" in text and "壹拾万元零壹角" in text
    # Total 268,000.10; tranches 134,000.05 each (2.3b, the first takes the odd fen).
    assert "268,000.10" in text and "贰拾陆万捌仟元零壹角" in text
    assert "134,000.05" in text and "壹拾叁万肆仟元零伍分" in text


def test_notice_states_role_branding_materials_rule_and_chinese_date(approved_a, reviewer):
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        notice = notices.issue_notice(actor=reviewer, application=approved_a)
    text = compact(pdf_text(notices.notice_pdf(notices.notice_data(notice))))
    assert "联合主办" in text and "会徽" in text  # 1.5 for a co-host
    assert "两周" in text and "二〇二六年十月四日" in text  # 3.5: A ends 2026-09-20
    assert "二〇二六年六月十日" in text  # 成文日期 in Chinese numerals
    assert "—1—" in text  # GB/T 9704 page number


def test_supporting_role_names_the_union_in_the_signoff(approved_b, reviewer):
    notice = notices.issue_notice(actor=reviewer, application=approved_b)
    data = notices.notice_data(notice)
    assert "协办" in data["branding"] and "落款" in data["branding"]


def test_notice_docx_says_what_the_pdf_says(approved_a, reviewer):
    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    text = docx_text(notices.notice_docx(notices.notice_data(notice)))
    assert notice.number in text
    assert "壹拾贰万捌仟元整" in text and "壹拾万元零壹角" in text and "268,000.10" in text


def test_notice_docx_uses_the_gbt9704_page(approved_a, reviewer):
    import io

    import docx

    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    doc = docx.Document(io.BytesIO(notices.notice_docx(notices.notice_data(notice))))
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm, 1) for m in margins) == (37, 35, 28, 26)  # stored in twips: 0.1 mm is exact enough
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.styles["Normal"].font.size.pt == 16


@needs_soffice
def test_notice_docx_opens_in_libreoffice(approved_a, reviewer, tmp_path):
    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    converted = convert_with_soffice(notices.notice_docx(notices.notice_data(notice)), tmp_path, "notice.docx")
    assert "壹拾贰万捌仟元整" in compact(pdf_text(converted.read_bytes()))


def test_organizer_downloads_its_notice_once_issued(client, approved_a, organizer, reviewer):
    client.force_login(organizer)
    url = reverse("review:notice_pdf", args=[approved_a.pk])
    assert client.get(url).status_code == 404
    notices.issue_notice(actor=reviewer, application=approved_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(reverse("review:notice_docx", args=[approved_a.pk])).status_code == 200


def test_another_unit_cannot_download_the_notice(client, approved_a, reviewer, other_organizer):
    notices.issue_notice(actor=reviewer, application=approved_a)
    client.force_login(other_organizer)
    assert client.get(reverse("review:notice_pdf", args=[approved_a.pk])).status_code == 404


def test_department_issues_from_the_project_page(client, approved_a, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("funding:project", args=[approved_a.pk])).content.decode()
    assert reverse("review:notice_issue", args=[approved_a.pk]) in page
    response = client.post(reverse("review:notice_issue", args=[approved_a.pk]), follow=True)
    notice = ApprovalNotice.objects.get(application=approved_a)
    assert notice.number in response.content.decode()
    assert reverse("review:notice_pdf", args=[approved_a.pk]) in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_issues_at_once_get_two_different_numbers(organizer, association_organizer, reviewer, approver):
    a = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A")
    b = approved_application(organizer=association_organizer, reviewer=reviewer, approver=approver, key="B")
    barrier = threading.Barrier(3)
    results, errors = [], []

    def issue(app):
        try:
            barrier.wait(timeout=30)
            results.append(notices.issue_notice(actor=reviewer, application=app).sequence)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(app,)) for app in (a, b, a)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert sorted(set(results)) == [1, 2]
    assert ApprovalNotice.objects.count() == 2


def test_notice_states_the_performance_targets(approved_a, reviewer):
    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    data = notices.notice_data(notice)
    target = approved_a.performance_targets.get(key="participants")
    for text in (compact(pdf_text(notices.notice_pdf(data))), compact(docx_text(notices.notice_docx(data)))):
        assert "绩效目标" in text and compact(target.target_text) in text


def test_meeting_page_leads_the_department_from_an_approved_item_to_its_documents(client, approved_a, reviewer):
    item = approved_a.agenda_items.get()
    client.force_login(reviewer)
    page = client.get(reverse("review:meeting", args=[item.meeting_id])).content.decode()
    assert 'data-testid="item-documents"' in page
    assert reverse("funding:project", args=[approved_a.pk]) in page


def test_targets_and_notice_follow_the_approved_amounts_not_the_requested(organizer, reviewer, approver):

    app = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A",
                               subsidies={first_trade_name("A"): "111999.99"})
    approved = sum(t.approved_subsidy for t in app.trades.all())
    requested = sum(t.subsidy_requested for t in app.trades.all())
    assert approved != requested
    participants = app.performance_targets.get(key="participants").target_value
    line = app.performance_targets.get(key="subsidy_per_participant")
    assert line.target_value == (approved / participants).quantize(Decimal("0.01"), ROUND_HALF_UP)
    notice = notices.issue_notice(actor=reviewer, application=app)
    text = compact(docx_text(notices.notice_docx(notices.notice_data(notice))))
    assert compact(line.target_text) in text
    stale = (requested / participants).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert f"{stale.normalize():f}元/人" not in text


@pytest.mark.parametrize("page", ["review_tab", "review_page"])
def test_the_notice_is_downloadable_from_the_review_tab_and_the_review_page(client, approved_a, reviewer, organizer,
                                                                             page):
    urls = {"review_tab": reverse("applications:detail", args=[approved_a.pk]) + "?tab=review",
            "review_page": reverse("review:detail", args=[approved_a.pk])}
    client.force_login(reviewer)
    before = client.get(urls[page]).content.decode()
    assert reverse("review:notice_issue", args=[approved_a.pk]) in before
    notice = notices.issue_notice(actor=reviewer, application=approved_a)
    for user in (reviewer, organizer) if page == "review_tab" else (reviewer,):
        client.force_login(user)
        html = client.get(urls[page]).content.decode()
        assert notice.number in html
        assert reverse("review:notice_pdf", args=[approved_a.pk]) in html
        assert reverse("review:notice_docx", args=[approved_a.pk]) in html
