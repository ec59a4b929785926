import pytest

from accounts.roles import Role
from tests.factories import OrganizationFactory, user_with_role


@pytest.fixture
def association_organizer(db):
    """李强 of 海淀区电子信息行业协会: application B."""
    org = OrganizationFactory(name="海淀区电子信息行业协会", org_type="industry_association")
    return user_with_role(Role.ORGANIZER, organization=org, full_name="李强", email="liqiang@example.com")


@pytest.fixture
def street_organizer(db):
    """赵敏 of 学院路街道总工会: the joint application C."""
    org = OrganizationFactory(name="学院路街道总工会", org_type="subdistrict")
    return user_with_role(Role.ORGANIZER, organization=org, full_name="赵敏", email="zhaomin@example.com")
