"""The auditor's PDF summary (WeasyPrint, embedded CJK font), audit bundle and year summary."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from haidian_contest.workflow import State
from performance.exports import request_export
from performance.models import ExportJob
from tests.funding.stages import TRANCHE_1_VOUCHER, tranche_2_paid

from .media import pdf_upload
from .stages import audit_passed, materials_complete, materials_submitted

pytestmark = pytest.mark.django_db
FULL_ID = re.compile(r"(?<![0-9*])\d{17}[\dX](?![0-9])")


@pytest.fixture
def closed(with_people, organizer, reviewer, finance):
    """Scenario A all the way: roster and winners, materials, audit passed, tranche 2 paid."""
    from performance import services

    app = materials_complete(with_people, organizer)
    services.add_event_document(
        application=app, actor=organizer, kind="agenda", title="决赛议程", upload=pdf_upload("议程.pdf")
    )
    app = audit_passed(materials_submitted(app, organizer), reviewer)
    app = tranche_2_paid(app, finance)
    assert app.status == State.CLOSED
    app.roster_rows = with_people.roster_rows
    return app


def built(user, kind, django_capture_on_commit_callbacks, **scope):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_export(actor=user, kind=kind, **scope)
    job.refresh_from_db()
    return job


def pdf_of(job):
    with job.file.open("rb") as fh:
        return PdfReader(io.BytesIO(fh.read()))


def fonts(reader):
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_summary_pdf_embeds_a_cjk_font_and_names_the_project(closed, auditor, django_capture_on_commit_callbacks):
    job = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    assert (job.status, job.progress) == ("done", 100)
    reader = pdf_of(job)
    assert any("NotoSansCJK" in name.replace("-", "") for name in fonts(reader)), fonts(reader)
    text = "".join(page.extract_text() for page in reader.pages)
    assert closed.title in text.replace("\n", "")


def test_summary_pdf_has_no_unmasked_id_number(closed, auditor, django_capture_on_commit_callbacks):
    job = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    reader = pdf_of(job)
    text = "".join(page.extract_text() for page in reader.pages)
    assert not FULL_ID.search(text.replace(" ", ""))
    assert all(row["id_number"] not in text for row in closed.roster_rows)
    assert "********" in text  # the winners are listed, masked


def test_summary_pdf_shows_vouchers_union_role_and_audit(closed, auditor, django_capture_on_commit_callbacks):
    job = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    text = "".join(page.extract_text() for page in pdf_of(job).pages).replace("\n", "")
    for expected in (TRANCHE_1_VOUCHER, "记-2026-1015-01", "联合主办", "2026年第15次党组会", "绩效审核通过", "非会员"):
        assert expected in text, expected


def test_summary_is_cached_until_the_project_changes(closed, auditor, finance, django_capture_on_commit_callbacks):
    from funding import services as funding_services

    first = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    again = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    assert again.pk == first.pk
    funding_services.reverse_payment(application=closed, number=2, actor=finance, reason="凭证录入有误，冲销后重新拨付。")
    changed = built(auditor, "summary_pdf", django_capture_on_commit_callbacks, application=closed)
    assert changed.pk != first.pk and changed.status == "done"


def test_bundle_holds_the_summary_and_every_document_named_for_the_auditor(closed, auditor,
                                                                          django_capture_on_commit_callbacks):
    job = built(auditor, "bundle", django_capture_on_commit_callbacks, application=closed)
    with job.file.open("rb") as fh:
        names = zipfile.ZipFile(io.BytesIO(fh.read())).namelist()
    assert "00_项目审计摘要.pdf" in names
    assert any(n.startswith("02_合作协议/合作协议_HDZGH-") for n in names)
    assert any(n.startswith("03_绩效审核材料/竞赛总结报告（盖章扫描件）") for n in names)
    assert any(n.startswith("04_赛事文件/01_议程_决赛议程") for n in names)
    assert "目录.txt" in names


def test_year_summary_xlsx_has_the_split_and_totals(closed, auditor, django_capture_on_commit_callbacks):
    job = built(auditor, "year_xlsx", django_capture_on_commit_callbacks, cycle=2026)
    with job.file.open("rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    summary = {row[0]: row[1] for row in wb["年度汇总"].iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert summary["立项项目（项）"] == 1
    assert summary["传统类占比（二（一）1，≤40%）"] == "33.33%"
    assert summary["已拨付（元）"] == 256000
    assert wb["项目明细"].cell(row=2, column=1).value == closed.title


def test_year_summary_pdf_embeds_a_cjk_font(closed, auditor, django_capture_on_commit_callbacks):
    job = built(auditor, "year_pdf", django_capture_on_commit_callbacks, cycle=2026)
    reader = pdf_of(job)
    assert any("NotoSansCJK" in name.replace("-", "") for name in fonts(reader))
    assert "2026年度" in reader.pages[0].extract_text()


def test_xlsx_escapes_text_that_would_run_as_a_formula():
    from performance.xlsx import cell

    assert [cell(v) for v in ("=SUM(A1)", "+1", "-2", "@x", "正常", 5)] == ["'=SUM(A1)", "'+1", "'-2", "'@x", "正常", 5]


def test_auditor_downloads_the_pdf_through_the_views(client, closed, auditor, django_capture_on_commit_callbacks):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("performance:export_project", args=[closed.pk, "summary_pdf"]))
    job = ExportJob.objects.get()
    assert response.url == reverse("performance:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page
    download = client.get(reverse("performance:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_organizer_cannot_request_audit_exports(client, closed, organizer):
    client.force_login(organizer)
    response = client.post(reverse("performance:export_project", args=[closed.pk, "summary_pdf"]))
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_project_page_offers_the_auditor_the_downloads(client, closed, auditor):
    client.force_login(auditor)
    page = client.get(reverse("applications:detail", args=[closed.pk]) + "?tab=performance_exports").content.decode()
    assert 'data-testid="performance-exports-panel"' in page
    assert reverse("performance:export_project", args=[closed.pk, "summary_pdf"]) in page



def test_year_summary_page_is_for_union_staff_only(client, auditor, organizer):
    client.force_login(auditor)
    page = client.get(reverse("performance:year_summary")).content.decode()
    assert reverse("performance:export_year", args=[2026, "year_xlsx"]) in page
    client.force_login(organizer)
    assert client.get(reverse("performance:year_summary")).status_code == 403


@pytest.fixture
def project_b(db, reviewer):
    """B through the review pages' services: two waivers accepted, the 180-participant one refused."""
    from review import services as review_services
    from tests.factories import OrganizationFactory, user_with_role
    from tests.review.stages import under_review

    from accounts.roles import Role

    org = OrganizationFactory(name="海淀区电子信息行业协会", org_type="industry_association")
    organizer = user_with_role(Role.ORGANIZER, organization=org, full_name="李强")
    app = under_review(organizer, reviewer, "B")
    review = review_services.current_review(application=app)
    for finding in review_services.version_findings(version=review_services.current_version(application=app)):
        if finding["waivable"]:
            refused = finding["key"].startswith("too_few_participants")
            review_services.decide_waiver(
                review=review,
                actor=reviewer,
                finding_key=finding["key"],
                accepted=not refused,
                reason="每场不少于 200 人" if refused else "理由充分，同意豁免。",
            )
    return app


def summary_text(app) -> str:
    from performance.exports import build_summary_pdf

    _name, pdf = build_summary_pdf(app, lambda *args: None)
    # Spaces vanish where a table cell wraps: compare without them.
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "").replace(" ", "")


def test_summary_pdf_lists_every_waiver_decision_of_the_project(project_b):
    from performance.summary import project_summary
    from review.models import WaiverDecision

    decisions = WaiverDecision.objects.filter(review__application=project_b)
    rows = project_summary(project_b)["waivers"]
    assert len(rows) == decisions.count() == 3
    assert {(r["clause"], r["decision"], r["by"]) for r in rows} == {
        (w.clause_label, "同意豁免" if w.accepted else "不同意豁免", "陈静") for w in decisions}
    assert all(r["at"] and r["justification"] and r["stage"] == "申报审核（第 1 轮）" for r in rows)


def test_summary_pdf_prints_the_waiver_section_with_reasons_and_decider(project_b):
    text = summary_text(project_b)
    assert "豁免事项" in text
    assert "不同意豁免" in text and "每场不少于200人" in text
    from review.models import WaiverDecision

    refused = WaiverDecision.objects.get(review__application=project_b, accepted=False)
    assert refused.justification.replace(" ", "")[:12] in text and "陈静" in text


def test_summary_pdf_says_when_a_project_has_no_waiver(with_people, organizer, reviewer):
    # Audited, before the 2.3b outcome: the test project's self-evaluation scores under 80, so paying
    # tranche 2 would need the department's waiver, which the summary then lists (next test).
    app = audit_passed(materials_submitted(materials_complete(with_people, organizer), organizer), reviewer)
    assert "本项目无豁免事项" in summary_text(app)


def test_summary_pdf_lists_the_expected_results_waiver_before_tranche_2(closed):
    text = summary_text(closed)
    assert "本项目无豁免事项" not in text
    assert "绩效自评得分" in text and "同意豁免，全额拨付剩余资金" in text


def test_summary_pdf_heads_every_money_column_in_yuan(closed):
    from django.template.loader import render_to_string

    from performance.summary import project_summary

    html = render_to_string("performance/pdf/summary.html", project_summary(closed))
    money_heads = re.findall(r'<th class="money">([^<]*)</th>', html)
    counts = {"计划人数", "参赛人数", "工会会员", "非会员"}
    assert money_heads and all("（元）" in h for h in money_heads if h not in counts and not h.isdigit()), money_heads
    assert "¥" not in html and "￥" not in html


def test_summary_pdf_shows_what_became_of_each_materials_finding(closed):
    from performance.summary import project_summary

    findings = project_summary(closed)["materials"]["findings"]
    assert all(f["outcome"] for f in findings)


def test_one_money_formatter_behind_every_money_filter():
    from applications.templatetags import application_tags
    from dashboard.templatetags import dashboard_tags
    from funding.templatetags import funding_tags
    from haidian_contest import formatting
    from performance.templatetags import performance_tags
    from review.templatetags import review_tags

    from decimal import Decimal

    amount = Decimal("1234567.5")
    assert formatting.money(amount) == "1,234,567.50" and formatting.yuan(amount) == "1,234,567.50 元"
    for library in (review_tags, dashboard_tags, funding_tags, application_tags, performance_tags):
        for name, filter_ in library.register.filters.items():
            if name in ("money", "yuan"):
                assert filter_(amount) == "1,234,567.50", (library.__name__, name)
    assert formatting.money(None) == "—" and formatting.money(None, blank="") == ""
