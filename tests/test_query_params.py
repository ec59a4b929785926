"""Control characters in a search or filter parameter get a Chinese 400 page, never a 500.

A NUL cannot reach PostgreSQL (the driver refuses it), so before the central check each of these
pages answered 500 to ``?q=%00``; the `postgres` copy of the test shows that against the real thing.
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.lifecycle import build_application

CONTROL = ["\x00", "a\x00b", "\x01", "\x07", "\x1b[31m", "\x7f"]


def search_pages(project_pk):
    """(role, url, parameters) of every page that reads a q or filter parameter."""
    return [
        (Role.REVIEWER, reverse("dashboard:search"), ["q"]),
        (Role.REVIEWER, reverse("dashboard:overview"), ["cycle", "org_type"]),
        (Role.ORGANIZER, reverse("applications:list"), ["q", "status", "cycle"]),
        (Role.REVIEWER, reverse("applications:list"), ["q", "status", "cycle"]),
        (Role.REVIEWER, reverse("applications:catalogue"), ["q", "source"]),
        (Role.ORGANIZER, reverse("applications:occupation_search"), ["q", "occupation"]),
        (Role.ADMIN, reverse("accounts:security_events"), ["q", "kind"]),
        (Role.REVIEWER, reverse("rosters:first_prize_register"), ["q", "trade"]),
        (Role.ORGANIZER, reverse("rosters:participants", args=[project_pk]), ["q", "trade"]),
        (Role.REVIEWER, reverse("review:queue"), ["organization", "category", "status"]),
        (Role.FINANCE, reverse("funding:ledger"), ["cycle"]),
        (Role.ADMIN, reverse("accounts:users"), ["q", "role", "status"]),
        (Role.REVIEWER, reverse("accounts:units"), ["q", "type", "status"]),
    ]


@pytest.fixture
def project(organizer):
    return build_application(organizer, "A")


def _get_each(client, users_by_role, project, value):
    answers = {}
    for role, url, names in search_pages(project.pk):
        client.force_login(users_by_role[role])
        for name in names:
            response = client.get(url, {name: value})
            answers[(url, name)] = (response.status_code, response.content.decode())
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("value", CONTROL, ids=repr)
def test_every_search_page_refuses_a_control_character_with_a_400(client, users_by_role, project, value):
    client.raise_request_exception = False
    for (url, name), (status, html) in _get_each(client, users_by_role, project, value).items():
        assert status == 400, (url, name, status)
        assert "控制字符" in html, (url, name)


@pytest.mark.django_db
def test_the_search_form_post_with_a_nul_gets_a_400(client, reviewer):
    client.raise_request_exception = False
    client.force_login(reviewer)
    response = client.post(reverse("dashboard:search"), {"q": "王\x00芳"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_searches_and_line_breaks_still_work(client, users_by_role, project):
    client.raise_request_exception = False
    for value in ["王芳", "中关村 智造", "１１０１０８", "a\tb"]:
        for (url, name), (status, _html) in _get_each(client, users_by_role, project, value).items():
            assert status == 200, (url, name, value, status)


@pytest.mark.django_db
def test_a_textarea_with_a_word_line_break_is_not_refused(client, reviewer):
    """A vertical tab (Word's manual line break) in a posted form is the form's business, not a 400."""
    client.raise_request_exception = False
    client.force_login(reviewer)
    response = client.post(reverse("dashboard:search"), {"q": "王芳\x0b"})
    assert response.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_nul_in_every_search_page_is_a_400_on_postgresql(client, users_by_role, project):
    client.raise_request_exception = False
    for (url, name), (status, _html) in _get_each(client, users_by_role, project, "\x00").items():
        assert status == 400, (url, name, status)
