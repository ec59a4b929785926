"""attach_totals: the list pages' trade count, budget and subsidy per row, as with_totals computes them."""

from decimal import Decimal

import pytest

from applications import services as application_services
from applications.models import Application
from applications.selectors import attach_totals, with_totals
from demo.scenario import APPLICATIONS, trade_fields
from tests.lifecycle import build_application

pytestmark = pytest.mark.django_db


def _with_odd_fen(organizer):
    """Application A with one trade re-saved at odd fen: 0.01 + 0.29 + 108,999.71 = 109,000.01 of budget."""
    app = build_application(organizer, "A")
    trade = app.trades.order_by("position").first()
    spec = next(t for t in APPLICATIONS["A"]["trades"] if t["code"] == trade.occupation.code)
    lines = [{"item": "venue", "description": "场地", "amount": Decimal("0.01")},
             {"item": "materials", "description": "耗材", "amount": Decimal("0.29")},
             {"item": "prizes", "description": "奖金", "amount": Decimal("108999.71")}]
    application_services.save_trade(application=app, actor=organizer, trade=trade,
                                    **{**trade_fields(spec), "budget_lines": lines, "subsidy_requested": Decimal("54500.01")})
    return app


def _compare(organizer, other_organizer):
    apps = [_with_odd_fen(organizer), build_application(other_organizer, "B"), build_application(organizer, "C")]
    expected = {a.pk: (a.trade_count, a.budget_total, a.subsidy_total)
                for a in with_totals(Application.objects.filter(pk__in=[a.pk for a in apps]))}
    rows = attach_totals(Application.objects.filter(pk__in=[a.pk for a in apps]))
    assert {a.pk: (a.trade_count, a.budget_total, a.subsidy_total) for a in rows} == expected


def test_page_totals_equal_the_sql_subquery_totals_to_the_fen(organizer, other_organizer):
    _compare(organizer, other_organizer)


@pytest.mark.postgres
def test_page_totals_equal_the_sql_subquery_totals_to_the_fen_on_postgresql(organizer, other_organizer):
    _compare(organizer, other_organizer)  # the raw SQL's ROUND/CAST/SUM on numeric columns


def test_an_odd_fen_budget_is_summed_exactly(organizer):
    (row,) = attach_totals([_with_odd_fen(organizer)])
    trade_budget = Decimal("109000.01")
    assert str(row.subsidy_total).endswith(".01") and row.budget_total.as_tuple().exponent == -2
    assert row.budget_total - trade_budget == sum(
        (line.amount for t in row.trades.all()[1:] for line in t.budget_lines.all()), Decimal("0.00"))


def test_a_project_without_trades_totals_zero(organizer):
    app = application_services.create_application(actor=organizer, title="空白申报", cycle=2026)
    (row,) = attach_totals([app])
    assert (row.trade_count, row.budget_total, row.subsidy_total) == (0, Decimal("0.00"), Decimal("0.00"))


def test_no_rows_run_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert attach_totals([]) == []
