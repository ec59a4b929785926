"""As new users would: the organizer hands in the materials, the department passes the audit, finance
pays tranche 2, and the auditor downloads a PDF summary whose Chinese text renders."""

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from haidian_contest.workflow import State
from tests.factories import PASSWORD
from tests.funding.stages import PAYEE_ACCOUNT, PAYEE_BANK
from tests.performance.media import jpeg_bytes
from tests.performance.stages import in_progress, report_text

from .conftest import OUTPUT, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_materials_audit_tranche_2_and_the_auditors_pdf(page, live_server, files, organizer, reviewer, approver,
                                                         finance, auditor):
    app = in_progress(organizer, reviewer, approver, finance)
    base = live_server.url
    # Fifty thumbnails at once would each save the session into the test's in-memory SQLite, whose
    # shared cache refuses concurrent writers ("table is locked"); the thumbnails themselves are
    # covered by tests/performance, so the browser gets a stand-in image.
    page.route("**/thumbnail/", lambda route: route.fulfill(status=200, content_type="image/jpeg",
                                                             body=jpeg_bytes(size=(8, 8))))

    # Organizer: from the project page to the materials page, everything uploaded, then submitted.
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-performance").click()
    page.get_by_test_id("materials-link").click()
    assert page.get_by_test_id("overdue-badge").is_visible()  # the scenario's event ended in September

    page.select_option("#doc-kind", "agenda")
    page.fill("#doc-title", "决赛议程")
    page.set_input_files("#doc-file", files["agenda"])
    page.locator("#documents").get_by_role("button", name="上传").click()
    assert "决赛议程" in page.get_by_test_id("documents").inner_text()

    page.fill("#id_location", "区总工会档案室光盘柜 A-12")
    page.locator("#recording").get_by_role("button", name="保存").click()
    assert "档案室" in page.get_by_test_id("retention-date").inner_text()

    for key, text in report_text(1500).items():
        page.fill(f"#id_{key}", text)
    assert page.get_by_test_id("char-count").inner_text() == "1500"  # counted live, before saving
    page.get_by_test_id("save-report").click()
    page.locator("#report input[type=file]").set_input_files(files["stamped"])
    page.get_by_role("button", name="上传盖章扫描件").click()
    assert page.get_by_test_id("stamped-link").is_visible()

    page.get_by_test_id("photo-input").set_input_files(files["photos"])
    page.get_by_role("button", name="上传照片").click()
    assert page.get_by_test_id("photo-count").inner_text() == "50"
    assert page.get_by_test_id("photo-row").count() == 50

    page.locator("#video input[type=file]").first.set_input_files(files["video"])
    page.get_by_role("button", name="上传视频").click()
    assert page.get_by_test_id("video-duration").inner_text() == "21 分 0 秒"

    # Handed in after 3.5's two weeks (the scenario's event ended in September): the only finding is
    # the lateness, waivable with the organizer's reason.
    [finding] = page.get_by_test_id("finding").all()
    assert "逾期" in finding.inner_text()
    page.get_by_test_id("waiver-reason").fill("决赛录像剪辑外包单位延误交付，已督促整改。")
    page.get_by_role("button", name="保存理由").click()
    OUTPUT.mkdir(exist_ok=True)
    page.goto(f"{base}/performance/{app.pk}/")
    page.screenshot(path=str(OUTPUT / "performance_materials.png"), full_page=True)
    page.get_by_test_id("submit-materials").click()
    assert page.get_by_test_id("status").inner_text() == State.MATERIALS_SUBMITTED.label
    logout(page)

    # Department: the audit queue, one page with everything, the decision.
    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{base}/performance/audit/")
    page.get_by_test_id("audit-waiting").get_by_role("link", name="审核").click()
    page.check("#id_banner_confirmed")
    page.check("#id_branding_confirmed")
    page.check("#decision_audit_pass")
    page.fill("#id_comment", "材料齐全，照片可见横幅，区总工会联合主办标识醒目，审核通过。")
    page.select_option("#id_lateness", "accept")
    page.fill("#id_lateness_reason", "外包延误属实，同意豁免。")
    page.get_by_test_id("audit-submit").click()
    assert "通过" in page.get_by_test_id("audit-decisions").inner_text()
    assert page.get_by_test_id("status").inner_text() == State.AUDIT_PASSED.label
    page.screenshot(path=str(OUTPUT / "performance_audit.png"), full_page=True)
    # 2.3b: the self-evaluation's outcome, recorded by the department before tranche 2.
    from performance.self_evaluation import self_evaluation

    reached = self_evaluation(app).reached
    page.goto(f"{base}/performance/{app.pk}/self-evaluation/")
    page.check("#outcome-reached" if reached else "#outcome-waived")
    if not reached:
        page.fill("#outcome-reason", "部分指标受客观因素影响，竞赛组织规范，同意全额拨付剩余资金。")
    page.get_by_test_id("record-outcome").click()
    assert page.get_by_test_id("outcome").is_visible()
    logout(page)

    # Finance: tranche 2 is now payable.
    login(page, live_server, finance.username, PASSWORD)
    page.goto(f"{base}/funding/projects/{app.pk}/tranches/2/release/")
    page.fill("input[name=voucher_no]", "记-2026-1015-01")
    page.fill("input[name=payee_bank]", PAYEE_BANK)
    page.fill("input[name=payee_account]", PAYEE_ACCOUNT)
    page.get_by_test_id("release-submit").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    assert page.get_by_test_id("tranche-2-status").inner_text() == "已拨付"
    logout(page)

    # Auditor: the PDF summary from the project page.
    login(page, live_server, auditor.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-performance_exports").click()
    page.get_by_test_id("export-summary").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    OUTPUT.mkdir(exist_ok=True)
    pdf_path = OUTPUT / "performance_summary.pdf"
    download.value.save_as(str(pdf_path))
    reader = PdfReader(str(pdf_path))
    assert app.title in reader.pages[0].extract_text().replace("\n", "")
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "逾期提交" in text and "同意豁免" in text and "外包延误属实" in text  # 3.5 waiver, as decided
    if shutil.which("pdftoppm"):
        # Page 1 as an image, to look at: Chinese must render as glyphs, not boxes.
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                        str(Path(OUTPUT) / "performance_summary_page1")], check=True, timeout=60)
        assert (OUTPUT / "performance_summary_page1.png").stat().st_size > 10_000
