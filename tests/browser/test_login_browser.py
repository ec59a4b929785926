import pytest


from .conftest import login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_logs_in_through_the_browser_and_sees_its_home(page, live_server, users_by_role):
    for role, user in users_by_role.items():
        login(page, live_server, user.username, PASSWORD)
        assert page.get_by_test_id("role-badge").inner_text() == role.label
        page.click("[data-testid=role-badge]")
        page.get_by_role("button", name="退出登录").click()
        assert "/accounts/login/" in page.url
