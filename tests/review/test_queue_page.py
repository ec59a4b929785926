"""The review queue's page: totals and the current reviewer per row, filter options, and fresh rows."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from review import services as review_services
from review.selectors import queue_organizations, queue_page
from tests.lifecycle import submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_each_row_names_the_reviewer_of_its_current_round(organizer, other_organizer, reviewer):
    started = submitted_application(organizer, "A")
    waiting = submitted_application(other_organizer, "B")
    review_services.start_review(application=started, actor=reviewer)
    rows = {a.pk: a for a in queue_page(reviewer, status="all")}
    assert rows[started.pk].reviewer_name == reviewer.full_name and rows[waiting.pk].reviewer_name is None


def test_rows_carry_their_totals(organizer, reviewer):
    app = submitted_application(organizer, "A")
    (row,) = queue_page(reviewer)
    assert (row.trade_count, str(row.budget_total), str(row.subsidy_total)) == (3, "430000.00", "256000.00")
    assert row.pk == app.pk


def test_sorting_by_budget_still_orders_in_the_database(organizer, other_organizer, reviewer):
    small = submitted_application(organizer, "C")
    large = submitted_application(other_organizer, "A")
    rows = list(queue_page(reviewer, sort="-budget"))
    assert [r.pk for r in rows] == sorted([small.pk, large.pk], key=lambda pk: -next(
        r.budget_total for r in rows if r.pk == pk))


def test_the_unit_filter_lists_units_that_applied(organizer, other_organizer, reviewer):
    submitted_application(organizer, "A")
    assert [name for _pk, name in queue_organizations()] == [organizer.organization.name]


def test_a_cached_row_shows_the_new_status_and_reviewer_at_once(client, organizer, reviewer):
    app = submitted_application(organizer, "A")
    client.force_login(reviewer)
    before = client.get(reverse("review:queue")).content.decode()
    review_services.start_review(application=app, actor=reviewer)
    after = client.get(reverse("review:queue")).content.decode()
    row = after.split('data-testid="queue-row"')[1].split("</tr>")[0]
    assert "审核中" in row and reviewer.full_name in row
    assert reviewer.full_name not in before.split('data-testid="queue-row"')[1].split("</tr>")[0]


def test_the_unit_filter_keeps_the_chosen_unit_selected(client, organizer, reviewer):
    submitted_application(organizer, "A")
    client.force_login(reviewer)
    html = client.get(reverse("review:queue"), {"organization": organizer.organization_id}).content.decode()
    assert f'<option value="{organizer.organization_id}" selected>' in html


def test_a_unit_name_is_escaped_in_the_filter(client, organizer, reviewer):
    organizer.organization.name = '<b>"单位"</b>'
    organizer.organization.save()
    submitted_application(organizer, "A")
    client.force_login(reviewer)
    html = client.get(reverse("review:queue")).content.decode()
    assert "&lt;b&gt;&quot;单位&quot;&lt;/b&gt;" in html and '<b>"单位"</b>' not in html
