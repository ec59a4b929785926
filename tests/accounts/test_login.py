import pytest
from django.urls import reverse

from accounts.navigation import ROLE_HOME
from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_login_as_each_role_lands_on_its_work_queue(client, users_by_role, role):
    user = users_by_role[role]
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(ROLE_HOME[role])
    assert response.status_code == 200
    assert role.label in response.content.decode()


def test_anonymous_user_is_redirected_to_login(client):
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_organizer_gets_403_on_admin_only_page(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("accounts:users")).status_code == 403


def test_user_without_role_sees_only_a_clear_message(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "尚未分配角色" in response.content.decode()
    assert 'data-testid="nav-item"' not in response.content.decode()


def test_navigation_shows_only_the_roles_own_entries(client, finance):
    client.force_login(finance)
    html = client.get(reverse("funding:queue")).content.decode()
    assert "资金拨付" in html
    assert "新建申报" not in html


def test_wrong_password_stays_on_login_with_message(client, organizer):
    response = client.post(reverse("accounts:login"), {"username": organizer.username, "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "正确" in response.content.decode()
