"""The project page in tabs: 概况 by default, 申报内容, and one tab per later stage that has something to show."""

import pytest
from django.urls import reverse

from tests.lifecycle import build_application, submitted_application
from tests.review.stages import approved_application

pytestmark = pytest.mark.django_db


def page(client, user, app, tab=None):
    client.force_login(user)
    url = reverse("applications:detail", args=[app.pk])
    return client.get(url, {"tab": tab} if tab else {}).content.decode()


def test_the_overview_shows_key_figures_and_the_record_but_not_the_whole_application(client, organizer, reviewer):
    app = submitted_application(organizer, "A")
    html = page(client, reviewer, app)
    assert 'data-testid="key-figures"' in html and 'data-testid="history"' in html and 'data-testid="timeline"' in html
    assert 'data-testid="content-trade"' not in html and 'data-testid="findings"' not in html
    assert 'data-testid="tab-overview"' in html and 'class="nav-link active" aria-current="page" href="?tab=overview"' in html


def test_the_overview_totals_the_trades_to_the_fen(client, organizer):
    app = build_application(organizer, "A")
    html = page(client, organizer, app)
    assert "430,000.00" in html and "256,000.00" in html


def test_the_content_tab_shows_the_application_and_its_rule_findings(client, organizer):
    app = build_application(organizer, "A")
    html = page(client, organizer, app, "content")
    assert 'data-testid="content-trade"' in html and 'data-testid="findings"' in html
    assert 'data-testid="history"' not in html


def test_a_draft_lists_only_its_own_tabs(client, organizer):
    html = page(client, organizer, build_application(organizer, "A"))
    assert 'data-testid="tab-content"' in html
    for stage in ("review", "funding", "rosters", "performance", "performance_exports"):
        assert f'data-testid="tab-{stage}"' not in html


def test_an_approved_project_lists_the_funding_and_roster_tabs(client, organizer, reviewer, approver):
    app = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A")
    html = page(client, reviewer, app)
    for stage in ("review", "funding", "rosters", "performance_exports"):
        assert f'data-testid="tab-{stage}"' in html
    assert 'data-testid="tab-performance"' not in html  # the event has not begun


def test_a_tab_the_user_may_not_open_falls_back_to_the_overview(client, organizer):
    app = build_application(organizer, "A")
    html = page(client, organizer, app, "funding")
    assert 'data-testid="key-figures"' in html and 'data-panel="funding"' not in html
    assert page(client, organizer, app, "<script>").count('data-testid="key-figures"') == 1


def test_another_units_project_is_not_found_on_any_tab(client, organizer, other_organizer):
    app = build_application(organizer, "A")
    client.force_login(other_organizer)
    for tab in ("overview", "content", "funding"):
        assert client.get(reverse("applications:detail", args=[app.pk]), {"tab": tab}).status_code == 404


def test_the_cached_record_shows_a_new_state_change_at_once(client, organizer, reviewer):
    app = submitted_application(organizer, "A")
    before = page(client, reviewer, app)
    assert "审核中" not in before.split('data-testid="history"')[1]
    from review import services as review_services

    review_services.start_review(application=app, actor=reviewer)
    after = page(client, reviewer, app)
    assert "审核中" in after.split('data-testid="history"')[1]


def test_the_cached_timeline_follows_a_change_of_dates_whatever_path_made_it(client, organizer):
    app = submitted_application(organizer, "A")
    first = page(client, organizer, app)
    from applications.models import Application

    # A bulk update sends no signal and leaves updated_at alone: the fragment's key still changes,
    # because it is a digest of what the timeline prints.
    Application.objects.filter(pk=app.pk).update(start_date="2026-08-03")
    second = page(client, organizer, app)
    assert "2026-08-03" not in first.split('data-testid="timeline"')[1].split("</section>")[0]
    assert "2026-08-03" in second.split('data-testid="timeline"')[1].split("</section>")[0]


def test_the_date_adjustment_inputs_carry_the_forms_field_names(client, organizer, reviewer, approver):
    import re

    from applications.forms import DateAdjustmentForm

    app = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A")
    html = page(client, reviewer, app)
    form = html.split('data-testid="adjust-dates"')[1].split("</form>")[0]
    assert set(re.findall(r'name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken"} == set(DateAdjustmentForm.base_fields)
    assert f'value="{app.start_date:%Y-%m-%d}"' in form


def _planned_dates_equal_the_orms(organizer):
    from applications.timeline import planned_dates

    app = submitted_application(organizer, "A")
    orm = app.versions.order_by("number").values_list("data__start_date", "data__end_date").first()
    assert planned_dates(app) == orm and orm[0]


def test_the_planned_dates_are_read_as_the_orm_reads_them(organizer):
    _planned_dates_equal_the_orms(organizer)


@pytest.mark.postgres
def test_the_planned_dates_are_read_as_the_orm_reads_them_on_postgresql(organizer):
    _planned_dates_equal_the_orms(organizer)


def test_a_project_never_submitted_has_no_planned_dates(organizer):
    from applications.timeline import planned_dates

    assert planned_dates(build_application(organizer, "A")) is None
