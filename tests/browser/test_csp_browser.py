"""Under the strict Content-Security-Policy the main pages of every role still work, and Chromium
reports no violation: no inline script, event handler or style attribute is left, htmx and
Chart.js run from static/."""

import pytest

from tests.factories import PASSWORD
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.lifecycle import build_application
from tests.review.stages import approved_application, under_review

from .conftest import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """Every console message or page error that mentions the policy."""
    found = []
    page.on("console", lambda m: found.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: found.append(f"{page.url}: {e}"))
    return found


def sign_in(page, live_server, user):
    login(page, live_server, user.username, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def visit(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response.ok, (path, response.status)
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    page.wait_for_load_state("networkidle")


def test_the_login_page_runs_under_the_policy(page, live_server, violations):
    visit(page, live_server, "/accounts/login/")
    assert page.locator("input[name=username]").is_visible()
    assert violations == []


def test_the_organizer_edits_a_project_and_the_live_rule_panel_updates(page, live_server, organizer, violations):
    draft = build_application(organizer, "A")
    sign_in(page, live_server, organizer)
    visit(page, live_server, "/applications/")
    assert draft.title in page.content()
    visit(page, live_server, f"/applications/{draft.pk}/edit/")
    with page.expect_response(lambda r: "rules-panel" in r.url and r.request.method == "POST"):
        page.fill("input[name=title]", draft.title + "（修订）")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("rule-panel-body").is_visible()
    visit(page, live_server, f"/applications/{draft.pk}/")
    assert violations == []


def test_the_reviewer_pages_run_under_the_policy(page, live_server, organizer, reviewer, violations):
    app = under_review(organizer, reviewer, "A")
    sign_in(page, live_server, reviewer)
    for path in ("/review/", f"/review/{app.pk}/", f"/applications/{app.pk}/", f"/applications/{app.pk}/?tab=content",
                 f"/applications/{app.pk}/?tab=review", "/dashboard/search/"):
        visit(page, live_server, path)
    # The search posts through htmx and swaps the results in.
    with page.expect_response(lambda r: "/dashboard/search/" in r.url and r.request.method == "POST"):
        page.fill("#q", "智造")
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_dashboard_charts_and_the_finance_pages_run_under_the_policy(
    page, live_server, organizer, reviewer, approver, finance, violations
):
    app = approved_application(organizer, reviewer, approver, "A", union_role="co_host")
    agreement_signed(app, reviewer, number="HDZGH-2026-007")
    sign_in(page, live_server, approver)
    visit(page, live_server, "/dashboard/?cycle=2026")
    page.wait_for_selector("#chart-plan[data-ready]")
    page.wait_for_selector("#chart-subsidy[data-ready]")
    assert page.locator("#subsidy-box").evaluate("el => el.getBoundingClientRect().height") > 50
    logout(page)

    sign_in(page, live_server, finance)
    for path in ("/funding/", f"/funding/projects/{app.pk}/", f"/funding/projects/{app.pk}/tranches/1/release/",
                 "/funding/ledger/?cycle=2026"):
        visit(page, live_server, path)
    # The year select submits its form through static/js/app.js, not an onchange= attribute.
    with page.expect_navigation():
        page.select_option("select[name=cycle]", "all")
    assert "cycle=all" in page.url
    assert violations == []


def test_the_auditor_and_admin_pages_run_under_the_policy(
    page, live_server, organizer, reviewer, approver, finance, auditor, admin_user, violations
):
    app = tranche_1_paid(agreement_signed(approved_application(organizer, reviewer, approver, "A"), reviewer), finance)
    sign_in(page, live_server, auditor)
    for path in ("/applications/", f"/applications/{app.pk}/", f"/applications/{app.pk}/?tab=funding",
                 f"/applications/{app.pk}/?tab=performance", f"/applications/{app.pk}/?tab=performance_exports",
                 "/dashboard/?cycle=2026"):
        visit(page, live_server, path)
    page.wait_for_selector("#chart-plan[data-ready]")
    logout(page)
    sign_in(page, live_server, admin_user)
    visit(page, live_server, "/accounts/security-events/")
    assert violations == []
