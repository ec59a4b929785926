import pytest
from django.urls import reverse

from haidian_contest.workflow import State
from tests.lifecycle import build_application, submitted_application

pytestmark = pytest.mark.django_db


def test_organizer_lists_only_its_own_units_projects(client, organizer, other_organizer):
    mine = build_application(organizer, "A")
    theirs = build_application(other_organizer, "B")
    client.force_login(organizer)
    html = client.get(reverse("applications:list")).content.decode()
    assert mine.title in html and theirs.title not in html
    assert "430,000.00" in html and "256,000.00" in html


def test_submitted_application_shows_in_the_list_as_submitted(client, organizer):
    app = submitted_application(organizer, "A")
    client.force_login(organizer)
    html = client.get(reverse("applications:list")).content.decode()
    assert app.title in html and f'data-testid="row-status">{State.SUBMITTED.label}<' in html


def test_staff_filter_by_cycle_and_status(client, organizer, other_organizer, reviewer):
    draft = build_application(organizer, "A")
    submitted = submitted_application(other_organizer, "B")
    old = build_application(organizer, "C", cycle=2025)
    client.force_login(reviewer)
    html = client.get(reverse("applications:list"), {"status": "submitted"}).content.decode()
    assert submitted.title in html and draft.title not in html
    html = client.get(reverse("applications:list"), {"cycle": "2025"}).content.decode()
    assert old.title in html and draft.title not in html


def test_list_query_count_does_not_grow_with_rows(client, organizer, django_assert_max_num_queries):
    client.force_login(organizer)
    build_application(organizer, "A")
    # 14: the session and user (4, as every request), the years, the count, the rows, their totals (one
    # statement on the page's ids), the unread notices, the unit, the year's open calls, and this first
    # request's session touch (3).
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("applications:list"))
    for _ in range(5):
        build_application(organizer, "B")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("applications:list"))
    assert response.content.decode().count('data-testid="application-row"') == 6


def test_list_is_paginated(client, organizer, monkeypatch):
    from applications import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(3):
        build_application(organizer, "A")
    client.force_login(organizer)
    html = client.get(reverse("applications:list")).content.decode()
    assert html.count('data-testid="application-row"') == 2 and "第 1 / 2 页" in html
