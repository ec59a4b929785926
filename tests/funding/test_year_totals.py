"""The year's totals: computed in SQL values (funding.totals), kept in the cache, never stale after a write."""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import caches
from django.urls import reverse

from funding import services, totals
from funding.selectors import project_ledgers, year_projects
from tests.review.stages import approved_application

from .stages import agreement_signed, tranche_1_paid

pytestmark = pytest.mark.django_db


def ledger_total(client):
    return client.get(reverse("funding:ledger"), {"cycle": 2026}).context["year"].total


def test_a_payment_changes_the_year_totals_on_the_next_page_view(client, signed, finance):
    client.force_login(finance)
    before = ledger_total(client)
    assert before.paid == 0 and before.scheduled == Decimal("256000.00")
    assert ledger_total(client).paid == 0  # served from the cache now
    tranche_1_paid(application=signed, finance=finance)
    assert ledger_total(client).paid == Decimal("128000.00")


def test_a_reversal_changes_the_year_totals_on_the_next_page_view(client, in_progress, finance):
    client.force_login(finance)
    assert ledger_total(client).paid == Decimal("128000.00")
    services.reverse_payment(application=in_progress, number=1, actor=finance, reason="收款账户有误，冲销后重新拨付。")
    assert ledger_total(client).paid == 0


def test_an_agreement_and_a_decision_change_the_year_totals_at_once(client, organizer, reviewer, approver, finance):
    from accounts.roles import Role
    from tests.factories import user_with_role

    client.force_login(finance)
    first = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A")
    assert ledger_total(client).count == 1 and ledger_total(client).scheduled == 0
    agreement_signed(application=first, reviewer=reviewer)
    assert ledger_total(client).scheduled == Decimal("256000.00")
    approved_application(organizer=user_with_role(Role.ORGANIZER), reviewer=reviewer, approver=approver, key="C")
    assert ledger_total(client).count == 2


def test_the_cached_totals_equal_the_per_project_sums(in_progress, finance, organizer, reviewer, approver):
    """The SQL-values computation against the per-project ledgers the export and the panel use."""
    from accounts.roles import Role
    from tests.factories import user_with_role

    other = approved_application(organizer=user_with_role(Role.ORGANIZER), reviewer=reviewer, approver=approver,
                                 key="C", union_role="host")
    agreement_signed(application=other, reviewer=reviewer)
    projects = year_projects(2026)
    year = totals.compute_totals(projects)
    ledgers = project_ledgers(projects)
    assert year.total.scheduled == sum(p.scheduled for p in ledgers)
    assert year.total.paid == sum(p.paid for p in ledgers) == Decimal("128000.00")
    by_category = dict(year.by_category)
    for label, key in (("创新类", "innovative"), ("传统类", "traditional")):
        assert by_category[label].paid == sum(p.paid_by_category().get(key, 0) for p in ledgers)
        assert by_category[label].scheduled == sum(p.scheduled_by_category().get(key, 0) for p in ledgers)
    assert dict(year.tranche_totals)["首笔资金（50%）"].paid == Decimal("128000.00")


def test_an_organizer_never_gets_the_totals_cached_for_the_whole_year(client, in_progress, finance, other_organizer):
    client.force_login(finance)
    assert ledger_total(client).count == 1
    client.force_login(other_organizer)
    response = client.get(reverse("funding:ledger"), {"cycle": 2026})
    assert response.status_code == 403 or response.context["year"].total.count == 0


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_with_redis_the_totals_cached_by_one_process_are_read_by_another(settings, in_progress):
    """CACHE_URL=rediscache://…: the totals this process stored are what another process reads."""
    import environ

    url = os.environ["TEST_REDIS_URL"].replace("redis://", "rediscache://", 1)
    settings.CACHES = {"default": environ.Env.cache_url_config(url)}
    caches["default"].clear()
    projects = year_projects(2026)
    assert totals.year_totals(projects).total.paid == Decimal("128000.00")
    key = totals._cache_key(projects)
    code = ("import django; django.setup(); from django.core.cache import cache; "
            f"found = cache.get({key!r}); print('PAID', found.total.paid if found else None)")
    env = {**os.environ, "CACHE_URL": url, "DJANGO_SETTINGS_MODULE": "haidian_contest.settings", "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    caches["default"].clear()
    assert "PAID 128000.00" in out
