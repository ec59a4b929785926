"""The four pages of the page benchmark (bench/pages.py) run the same number of queries with 2 rows as
with 20: review queue, project list, year ledger, and the project page (its funding section's rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.factories import user_with_role
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.lifecycle import submitted_application
from tests.review.stages import approved_application

pytestmark = pytest.mark.django_db


def queries(client, url, **params) -> int:
    client.get(url, params)  # the session's first requests do one-off work (e.g. the password-age check)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def submitted(n):
    for _ in range(n):
        submitted_application(organizer=user_with_role(Role.ORGANIZER), key="A")


def signed(n, reviewer, approver):
    out = []
    for _ in range(n):
        app = approved_application(organizer=user_with_role(Role.ORGANIZER), reviewer=reviewer, approver=approver,
                                   key="A")
        out.append(agreement_signed(application=app, reviewer=reviewer))
    return out


def test_review_queue_and_project_list_queries_do_not_grow_from_2_to_20_rows(client, reviewer):
    client.force_login(reviewer)
    submitted(2)
    small = (queries(client, reverse("review:queue"), status="all"), queries(client, reverse("applications:list")))
    submitted(18)
    response = client.get(reverse("applications:list"))
    assert len(response.context["page"]) == 20
    assert queries(client, reverse("review:queue"), status="all") <= small[0]
    assert queries(client, reverse("applications:list")) <= small[1]


def test_year_ledger_queries_do_not_grow_from_2_to_20_rows(client, reviewer, approver, finance):
    client.force_login(finance)
    first = signed(2, reviewer, approver)
    tranche_1_paid(application=first[0], finance=finance)
    small = queries(client, reverse("funding:ledger"), cycle=2026)
    signed(18, reviewer, approver)
    response = client.get(reverse("funding:ledger"), {"cycle": 2026})
    assert len(response.context["page"].object_list) == 20 and response.context["year"].total.count == 20
    # The totals were recomputed (a new fingerprint) with the same queries, and whatever the rows.
    assert queries(client, reverse("funding:ledger"), cycle=2026) <= small


def test_project_page_queries_do_not_grow_with_payments_or_other_projects(client, reviewer, approver, finance):
    client.force_login(finance)
    (project,) = signed(1, reviewer, approver)
    url = reverse("applications:detail", args=[project.pk])
    tabs = ("overview", "content", "review", "funding", "rosters", "performance_exports")
    tranche_1_paid(application=project, finance=finance)
    small = {tab: queries(client, url, tab=tab) for tab in tabs}
    signed(3, reviewer, approver)
    from funding import services

    services.reverse_payment(application=project, number=1, actor=finance, reason="收款账户有误，冲销后重新拨付。")
    tranche_1_paid(application=project, finance=finance, voucher_no="记-2026-0616-01")
    assert {tab: queries(client, url, tab=tab) for tab in tabs} == small
