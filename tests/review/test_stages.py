"""The stage helpers other apps build on reach the states they promise."""

from decimal import Decimal

import pytest

from haidian_contest.workflow import State
from tests.factories import OrganizationFactory, user_with_role
from accounts.roles import Role

from .stages import approved_application, reviewed_application

pytestmark = pytest.mark.django_db


def test_reviewed_application_is_recommended(organizer, reviewer):
    app = reviewed_application(organizer, reviewer, "B")
    assert app.status == State.RECOMMENDED


def test_approved_application_is_approved_with_role_and_requested_subsidies(organizer, reviewer, approver):
    app = approved_application(organizer, reviewer, approver)
    assert app.status == State.APPROVED
    assert app.union_role == "co_host"
    assert sum(t.approved_subsidy for t in app.trades.all()) == Decimal("256000.00")


def test_approved_application_takes_subsidies_by_trade_name(reviewer, approver):
    street = OrganizationFactory(name="学院路街道总工会", org_type="subdistrict")
    zhao = user_with_role(Role.ORGANIZER, organization=street)
    app = approved_application(zhao, reviewer, approver, "C", subsidies={"中式烹调师": Decimal("24000.00")})
    assert app.trades.get(occupation__name="中式烹调师").approved_subsidy == Decimal("24000.00")
