"""The staff user list: search, filter by role and status, one page of queries whatever the rows."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_user_list_searches_by_unit_name(client, admin_user, organizer, reviewer):
    client.force_login(admin_user)
    html = client.get(reverse("accounts:users"), {"q": organizer.organization.name[:6]}).content.decode()
    assert f'user-row-{organizer.username}"' in html and f'user-row-{reviewer.username}"' not in html


def test_the_user_list_filters_by_role_and_status(client, admin_user, organizer, finance):
    finance.is_active = False
    finance.save()
    client.force_login(admin_user)
    html = client.get(reverse("accounts:users"), {"role": "finance", "status": "inactive"}).content.decode()
    assert f'user-row-{finance.username}"' in html and f'user-row-{organizer.username}"' not in html
    html = client.get(reverse("accounts:users"), {"role": "finance", "status": "active"}).content.decode()
    assert f'user-row-{finance.username}"' not in html


def test_the_user_list_query_count_does_not_grow_with_users(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    user_with_role(Role.ORGANIZER)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("accounts:users"))
    for role in (Role.ORGANIZER, Role.REVIEWER, Role.FINANCE) * 4:
        user_with_role(role)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:users"))
