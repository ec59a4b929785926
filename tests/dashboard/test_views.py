"""The overview page, its chart endpoints and the export: who may open them, and what they cost."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from accounts.roles import Role
from dashboard.charts import CHARTS
from tests.factories import OrganizationFactory, user_with_role
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application
from tests.rosters.stages import make_roster_rows, upload_roster

OVERVIEW = reverse("dashboard:overview")


def chart_url(name, query="cycle=2026"):
    return f"{reverse('dashboard:chart_data', args=[name])}?{query}"


def test_the_approver_opens_the_overview_from_the_menu(client, year, approver):
    client.force_login(approver)
    home = client.get(reverse("review:meetings")).content.decode()
    assert f'href="{OVERVIEW}"' in home and "年度概览" in home
    page = client.get(OVERVIEW + "?cycle=2026").content.decode()
    assert 'data-testid="traditional-share-before">40.00%' in page
    assert 'data-testid="figure-paid-1">128,000.00' in page
    assert 'data-testid="figure-approved-subsidy">664,000.00' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "cdn" not in page.lower()
    assert page.count('data-testid="include-pending"') == 1


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN])
def test_union_staff_may_open_the_overview(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(OVERVIEW).status_code == 200


def test_an_organizer_cannot_reach_the_years_figures(client, year, other_organizer):
    client.force_login(other_organizer)
    for url in [OVERVIEW, chart_url("plan"), chart_url("subsidy"), reverse("dashboard:export") + "?cycle=2026"]:
        assert client.get(url).status_code == 403, url
    menu = client.get(reverse("applications:list")).content.decode()
    assert f'href="{OVERVIEW}"' not in menu
    assert f'href="{reverse("dashboard:search")}"' in menu


def test_chart_endpoints_return_the_server_rounded_figures(client, year, approver):
    client.force_login(approver)
    plan = client.get(chart_url("plan", f"cycle=2026&include={year.d.pk}")).json()
    assert plan["limit"] == "40.00" and plan["certifiable_floor"] == "30.00"
    assert [b["traditional_pct"] for b in plan["bars"]] == ["40.00%", "53.85%"]
    payments = client.get(chart_url("payments")).json()
    assert payments["months"] == [{"month": "2026-06", "tranche_1": "128000.00", "tranche_2": "0.00",
                                   "total": "128000.00"}]
    assert client.get(chart_url("nonsense")).status_code == 404


def _more_rows(reviewer, approver, finance):
    """Two more approved projects of new units, one paid with a roster: every list grows."""
    for i, key in enumerate(["A", "C"]):
        org = OrganizationFactory(name=f"增长测试单位{i}", org_type="enterprise")
        organizer = user_with_role(Role.ORGANIZER, organization=org)
        app = approved_application(organizer, reviewer, approver, key, union_role="host")
        if key == "A":
            app = tranche_1_paid(agreement_signed(app, reviewer), finance)
            upload_roster(app, organizer, make_roster_rows(app, 30))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_chart_endpoints_page_and_export_keep_a_constant_query_count_as_rows_grow(
    client, year, approver, reviewer, finance, django_assert_max_num_queries
):
    client.force_login(approver)
    urls = [chart_url(name, f"cycle=2026&include={year.d.pk}") for name in CHARTS]
    urls += [OVERVIEW + f"?cycle=2026&include={year.d.pk}", reverse("dashboard:export") + "?cycle=2026"]
    client.get(urls[0])  # warm the session and content-type caches
    before = {url: _count(client, url) for url in urls}
    _more_rows(reviewer, approver, finance)
    for url in urls:
        with django_assert_max_num_queries(before[url]):
            assert client.get(url).status_code == 200


def test_the_export_holds_the_figures_as_numbers_and_is_logged(client, year, approver):
    client.force_login(approver)
    response = client.get(reverse("dashboard:export") + f"?cycle=2026&include={year.d.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    summary = {row[0]: row[1] for row in wb["概览"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert summary["核定补助（元）"] == 664000
    assert summary["首笔已拨（元）"] == 128000
    assert summary["立项工种（个）"] == 10
    plan = {row[0]: row[1:] for row in wb["工种结构"].iter_rows(min_row=4, values_only=True) if row[0]}
    assert plan["传统类工种"] == (4, 7)
    assert [round(v, 4) for v in plan["传统类占比（≤ 40%）"]] == [0.4, 0.5385]
    assert wb["工种结构"]["B6"].number_format == "0.00%"
    shares = list(wb["工种补助占比"].iter_rows(min_row=2, values_only=True))
    assert len(shares) == 10 and all(isinstance(r[3], (int, float)) for r in shares)
    assert {r[7] for r in shares} == {"符合"}
    event = SecurityEvent.objects.get(kind="export", user=approver)
    assert "年度概览" in event.detail


def test_text_that_looks_like_a_formula_is_exported_as_text(client, year, approver, reviewer):
    from review import services
    from tests.lifecycle import submitted_application
    from tests.review.stages import accept_all_waivers, complete_review

    org = OrganizationFactory(name="=HYPERLINK(\"http://evil.example\",\"点我\")", org_type="subdistrict")
    evil = user_with_role(Role.ORGANIZER, organization=org)
    app = submitted_application(evil, "C", title="+SUM(1,2) 竞赛")
    services.start_review(application=app, actor=reviewer)
    accept_all_waivers(app, reviewer)
    complete_review(app, reviewer)
    client.force_login(approver)
    wb = load_workbook(BytesIO(client.get(reverse("dashboard:export") + "?cycle=2026").content))
    cells = [c for row in wb["豁免记录"].iter_rows(min_row=2, values_only=True) for c in row if isinstance(c, str)]
    assert "'+SUM(1,2) 竞赛" in cells
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in cells
    assert not any(c.startswith(("=", "+")) for c in cells)
