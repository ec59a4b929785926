"""A fixed 2026 year for the overview, built through the stage helpers as the roles would act.

    A  中关村智造产业园   联合主办  agreement signed, tranche 1 (128,000.00) paid 2026-06-15, 60 on the roster
    B  电子信息行业协会   主办      agreement signed, nothing paid; three waivers accepted in review
    C  学院路街道         协办      approved, 中式烹调师 cut to 24,000.00 (exactly 40%), no agreement yet
    D  清河街道           —         待党组会审议: C's three traditional trades again

A + B + C approved: 10 trades, 4 traditional = 40.00% (on the line, not over). With D: 7 of 13.
"""

from types import SimpleNamespace

import pytest

from accounts.roles import Role
from tests.factories import OrganizationFactory, user_with_role
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application, pending_party_application
from tests.rosters.stages import make_roster_rows, upload_roster


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _organizer(name, org_type, person):
    return user_with_role(Role.ORGANIZER, organization=OrganizationFactory(name=name, org_type=org_type),
                          full_name=person)


@pytest.fixture
def association_organizer(db):
    return _organizer("海淀区电子信息行业协会", "industry_association", "李强")


@pytest.fixture
def street_organizer(db):
    return _organizer("学院路街道总工会", "subdistrict", "赵敏")


@pytest.fixture
def second_street_organizer(db):
    return _organizer("清河街道总工会", "subdistrict", "钱红")


@pytest.fixture
def year(organizer, association_organizer, street_organizer, second_street_organizer, reviewer, approver, finance):
    a = approved_application(organizer, reviewer, approver, "A", union_role="co_host")
    a = tranche_1_paid(agreement_signed(a, reviewer, number="HDZGH-2026-007"), finance)
    rows = make_roster_rows(a, 60)
    upload_roster(a, organizer, rows)
    b = approved_application(association_organizer, reviewer, approver, "B", union_role="host")
    b = agreement_signed(b, reviewer, number="HDZGH-2026-008")
    c = approved_application(street_organizer, reviewer, approver, "C", union_role="support",
                             subsidies={"中式烹调师": "24000.00"})
    d = pending_party_application(second_street_organizer, reviewer, "C")
    return SimpleNamespace(a=a, b=b, c=c, d=d, roster=rows)
