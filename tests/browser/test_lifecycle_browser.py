"""The whole life of one project through the pages, each role in turn in Debian's Chromium:
organizer applies (two trades) → reviewer recommends → collective decision → party group approves →
department records the agreement → finance pays tranche 1 → organizer uploads roster, winners and
materials → department passes the audit → finance pays tranche 2 → auditor downloads the PDF.

The approved total has an odd fen (166,000.01): the agreement is recorded and the two tranches are
83,000.01 and 83,000.00. The competition lies in the future (2026-12-10 to 12-20, applied for on 2026-12-01): the server's
clock (the live server runs in this process) is moved past each date gate as the story goes on,
and the winners list is first refused before the final.

Each step is screenshotted into test-output/lifecycle/NN-step.png (the conftest adds one on failure).
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application
from funding.models import LedgerEntry
from demo.scenario_data import PLAN_TEXT
from haidian_contest.workflow import State
from demo import rosters as demo
from rosters.importing.columns import WINNER_COLUMNS
from tests.factories import PASSWORD
from tests.funding.stages import PAYEE_ACCOUNT, PAYEE_BANK
from tests.performance.media import jpeg_bytes
from tests.performance.stages import report_text

from .conftest import OUTPUT, login, logout
from .test_application_browser import fill_trade, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "2026年全流程浏览器测试职工技能竞赛"
STEPS = OUTPUT / "lifecycle"


def beijing(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock(request):
    """The server's clock, starting on 2026-12-01 in Beijing and moved on with clock.move_to()."""
    traveller = time_machine.travel(beijing("2026-12-01"), tick=True)
    moved = traveller.start()
    request.addfinalizer(traveller.stop)
    return moved


class Shots:
    def __init__(self, page):
        self.page, self.n = page, 0
        STEPS.mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str):
        self.n += 1
        self.page.screenshot(path=str(STEPS / f"{self.n:02d}-{step}.png"), full_page=True)


def test_one_project_from_application_to_the_auditors_pdf(page, live_server, files, clock, organizer, reviewer,
                                                           approver, finance, auditor):
    base = live_server.url
    shot = Shots(page)
    page.on("dialog", lambda dialog: dialog.accept())
    # See test_performance_browser: fifty thumbnail requests at once lock the test's in-memory SQLite.
    page.route("**/thumbnail/", lambda route: route.fulfill(status=200, content_type="image/jpeg",
                                                             body=jpeg_bytes(size=(8, 8))))

    # 1. Organizer applies with two trades.
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{base}/applications/new/")
    page.fill("#id_title", TITLE)
    for key, text in PLAN_TEXT.items():
        page.fill(f"#id_{key}", text)
    # The end date fixes the materials deadline and how long the recording is kept (一（八）).
    page.fill("#id_start_date", "2026-12-10")
    page.fill("#id_end_date", "2026-12-20")
    settle(page)
    page.get_by_test_id("save-draft").click()
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    page.get_by_test_id("add-trade").click()
    fill_trade(page, occupation="人工智能", label="4-04-05-05 人工智能训练师", innovative=True,
               participants=250, budget=180000, subsidy="126000.01")  # an odd-fen total: 166,000.01
    settle(page)
    page.get_by_test_id("save-trade-back").click()
    page.get_by_test_id("add-trade").click()
    fill_trade(page, occupation="6-18-01", label="6-18-01-07 多工序数控机床操作调整工", innovative=False,
               participants=210, budget=100000, subsidy=40000)
    settle(page)
    page.get_by_test_id("save-trade-back").click()
    expect(page.get_by_test_id("trade-row")).to_have_count(2)
    settle(page)
    page.get_by_test_id("submit-application").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    app = Application.objects.get(title=TITLE)
    shot("organizer-submitted")
    logout(page)

    clock.move_to(beijing("2026-12-02"))
    # 2. Reviewer (职工发展部) reviews, recommends, records the collective decision.
    login(page, live_server, reviewer.username, PASSWORD)
    page.get_by_test_id("review-queue").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("start-review").click()
    expect(page.get_by_test_id("status")).to_have_text("可行性审核中")
    form = page.get_by_test_id("review-form")
    for select in form.locator("select").all():
        select.select_option(label="符合")
    form.locator("textarea[name=opinion]").fill("方案完整，工种符合“1+X+1”产业布局，同意提交集体决策。")
    form.get_by_role("button", name="保存审核意见").click()
    page.get_by_test_id("transition-recommend").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过")
    page.get_by_test_id("nav-item").filter(has_text="集体决策").click()
    row = page.get_by_test_id("collective-row").filter(has_text=TITLE)
    row.get_by_label("通过，提交党组会").check()
    row.locator("input[type=date]").fill("2026-12-02")
    row.get_by_role("button", name="记录集体决策").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录")
    shot("reviewer-recommended")
    logout(page)

    clock.move_to(beijing("2026-12-03"))
    # 3. Party group approves at its meeting (联合主办).
    login(page, live_server, approver.username, PASSWORD)
    meeting_form = page.get_by_test_id("meeting-form")
    meeting_form.get_by_label("会议日期").fill("2026-12-03")
    meeting_form.get_by_label("会议名称").fill("2026年第15次党组会")
    meeting_form.get_by_role("button", name="创建").click()
    page.get_by_test_id("agenda-add").locator("select").select_option(label=f"{TITLE}（{organizer.organization.name}）")
    page.get_by_role("button", name="列入议题").click()
    item = page.get_by_test_id("agenda-item").filter(has_text=TITLE)
    item.get_by_test_id("union-role").select_option(label="联合主办")
    # The first project of the year, one of its two trades traditional: 50% of the year's plan (2.1.1a),
    # a breach the group accepts with its reason.
    item.locator("textarea[name$=note]").fill("年度首个立项项目，传统类占比将随后续创新类项目立项回落，同意。")
    item.get_by_test_id("record-decision").click()
    expect(page.locator(".alert-success")).to_contain_text("批准立项")
    app.refresh_from_db()
    assert app.status == State.APPROVED
    shot("party-approved")
    logout(page)

    clock.move_to(beijing("2026-12-04"))
    # 4. Department records the signed agreement.
    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{base}/funding/projects/{app.pk}/")
    page.get_by_role("link", name="登记合作协议").first.click()
    page.fill("[name=number]", f"HDZGH-2026-{app.pk:03d}")
    page.fill("[name=signed_on]", "2026-12-04")
    page.select_option("[name=union_role]", "co_host")
    page.set_input_files("[name=scan]", files["agreement"])
    page.get_by_role("button", name="登记协议").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    app.refresh_from_db()
    assert app.status == State.AGREEMENT_SIGNED
    shot("agreement-recorded")
    logout(page)

    clock.move_to(beijing("2026-12-05"))
    # 5. Finance pays tranche 1 from its queue.
    login(page, live_server, finance.username, PASSWORD)
    row = page.get_by_test_id("payable-row").filter(has_text=TITLE).filter(has_text="首笔资金")
    row.get_by_role("link", name="拨付").click()
    page.fill("input[name=paid_on]", "2026-12-05")
    page.fill("input[name=voucher_no]", "记-2026-1205-03")
    page.fill("input[name=payee_bank]", PAYEE_BANK)
    page.fill("input[name=payee_account]", PAYEE_ACCOUNT)
    page.get_by_test_id("release-submit").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    expect(page.get_by_test_id("tranche-1-status")).to_have_text("已拨付")
    app.refresh_from_db()
    assert app.status == State.IN_PROGRESS
    # 166,000.01 splits into 83,000.01 now and 83,000.00 after the audit (2.3b), to the fen.
    assert LedgerEntry.objects.get(tranche__application=app, tranche__number=1).amount == Decimal("83000.01")
    shot("tranche-1-paid")
    logout(page)

    # 6. Organizer, on 2026-12-05: the roster before the event; the winners are refused before the final.
    roster = demo.roster_rows(app, 460)
    roster_path = files["dir"] / "参赛选手名单.xlsx"
    roster_path.write_bytes(demo.workbook_bytes(roster))
    winners_path = files["dir"] / "获奖名单.xlsx"
    winners_path.write_bytes(demo.workbook_bytes(demo.winner_rows(roster), WINNER_COLUMNS))
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-rosters").click()
    page.get_by_test_id("rosters-link").click()
    page.set_input_files("#file-roster", str(roster_path))
    page.locator("[data-testid=upload-roster] button[type=submit]").click()
    expect(page.get_by_test_id("imported-count")).to_have_text("460")
    page.get_by_role("link", name="返回名单页").click()
    page.set_input_files("#file-winners", str(winners_path))
    page.locator("[data-testid=upload-winners] button[type=submit]").click()
    expect(page.locator(".alert-danger")).to_contain_text("2026年12月20日")
    shot("winners-refused-before-the-final")
    page.goto(f"{base}/applications/{app.pk}/")
    expect(page.get_by_test_id("step-import_winners")).to_have_attribute("data-status", "waiting")
    expect(page.get_by_test_id("today-marker")).to_contain_text("2026-12-05")
    page.get_by_test_id("timeline").scroll_into_view_if_needed()
    shot("timeline-before-the-event")
    logout(page)

    # 7. The event is held; on 2026-12-21 the organizer files the winners and the materials.
    clock.move_to(beijing("2026-12-21"))
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-rosters").click()
    page.get_by_test_id("rosters-link").click()
    page.set_input_files("#file-winners", str(winners_path))
    page.locator("[data-testid=upload-winners] button[type=submit]").click()
    expect(page.get_by_test_id("imported-count")).to_have_text("36")
    shot("roster-and-winners")

    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-performance").click()
    page.get_by_test_id("materials-link").click()
    page.select_option("#doc-kind", "agenda")
    page.fill("#doc-title", "决赛议程")
    page.set_input_files("#doc-file", files["agenda"])
    page.locator("#documents").get_by_role("button", name="上传").click()
    expect(page.get_by_test_id("documents")).to_contain_text("决赛议程")
    page.fill("#id_location", "区总工会档案室光盘柜 A-12")
    page.locator("#recording").get_by_role("button", name="保存").click()
    for key, text in report_text(1500).items():
        page.fill(f"#id_{key}", text)
    page.get_by_test_id("save-report").click()
    page.locator("#report input[type=file]").set_input_files(files["stamped"])
    page.get_by_role("button", name="上传盖章扫描件").click()
    expect(page.get_by_test_id("stamped-link")).to_be_visible()
    page.get_by_test_id("photo-input").set_input_files(files["photos"])
    page.get_by_role("button", name="上传照片").click()
    expect(page.get_by_test_id("photo-count")).to_have_text("50")
    page.locator("#video input[type=file]").first.set_input_files(files["video"])
    page.get_by_role("button", name="上传视频").click()
    expect(page.get_by_test_id("video-duration")).to_have_text("21 分 0 秒")
    shot("materials-uploaded")
    page.get_by_test_id("submit-materials").click()
    expect(page.get_by_test_id("status")).to_have_text(State.MATERIALS_SUBMITTED.label)
    shot("materials-submitted")
    logout(page)

    # 8. Department passes the audit on 2026-12-22.
    clock.move_to(beijing("2026-12-22"))
    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{base}/performance/audit/")
    page.get_by_test_id("audit-waiting").get_by_role("link", name="审核").click()
    page.check("#id_banner_confirmed")
    page.check("#id_branding_confirmed")
    page.check("#decision_audit_pass")
    page.fill("#id_comment", "材料齐全，照片可见横幅，区总工会联合主办标识醒目，审核通过。")
    page.get_by_test_id("audit-submit").click()
    expect(page.get_by_test_id("status")).to_have_text(State.AUDIT_PASSED.label)
    shot("audit-passed")
    # 2.3b: the department records whether the expected results were reached (the self-evaluation).
    from performance.self_evaluation import self_evaluation

    reached = self_evaluation(app).reached
    page.goto(f"{base}/performance/{app.pk}/self-evaluation/")
    page.check("#outcome-reached" if reached else "#outcome-waived")
    if not reached:
        page.fill("#outcome-reason", "部分指标受客观因素影响，竞赛组织规范，同意全额拨付剩余资金。")
    page.get_by_test_id("record-outcome").click()
    expect(page.get_by_test_id("outcome")).to_be_visible()
    shot("expected-results")
    logout(page)

    # 9. Finance pays tranche 2 (the form proposes today, 2026-12-22).
    login(page, live_server, finance.username, PASSWORD)
    page.goto(f"{base}/funding/projects/{app.pk}/tranches/2/release/")
    page.fill("input[name=voucher_no]", "记-2026-1015-01")
    page.fill("input[name=payee_bank]", PAYEE_BANK)
    page.fill("input[name=payee_account]", PAYEE_ACCOUNT)
    page.get_by_test_id("release-submit").click()
    page.wait_for_url(f"**/funding/projects/{app.pk}/")
    expect(page.get_by_test_id("tranche-2-status")).to_have_text("已拨付")
    app.refresh_from_db()
    assert app.status == State.CLOSED
    paid = LedgerEntry.objects.filter(tranche__application=app).values_list("amount", flat=True)
    assert sorted(paid) == [Decimal("83000.00"), Decimal("83000.01")]
    shot("tranche-2-paid")
    logout(page)

    # 10. Auditor downloads the PDF summary; the timeline shows every step done.
    login(page, live_server, auditor.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    expect(page.get_by_test_id("step-pay_tranche_2")).to_have_attribute("data-status", "done")
    page.get_by_test_id("timeline").scroll_into_view_if_needed()
    shot("timeline-closed")
    logout(page)

    login(page, live_server, auditor.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/")
    page.get_by_test_id("tab-performance_exports").click()
    page.get_by_test_id("export-summary").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    pdf_path = STEPS / "summary.pdf"
    download.value.save_as(str(pdf_path))
    shot("auditor-pdf")
    text = "".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages).replace("\n", "")
    assert TITLE in text
