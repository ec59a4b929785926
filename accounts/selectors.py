"""Reads of accounts that other apps' pages share."""

from collections import defaultdict

from django.db import connection

from .models import Notification, User
from .roles import role_of


def attach_roles(users) -> None:
    """Sets each user's `role` (User.role, a cached property) from one query of group names.

    A project's history shows every actor with their role. Prefetching `actor__groups` built a Group
    instance per row through the ORM's prefetch machinery; this is one values query for all of them.
    """
    pending = defaultdict(list)  # select_related gives each row its own instance of the same user
    for user in users:
        if user is not None and "role" not in user.__dict__:
            pending[user.pk].append(user)
    if not pending:
        return
    names = defaultdict(list)
    through, group = User.groups.through._meta, User.groups.field.related_model._meta.db_table
    marks = ", ".join(["%s"] * len(pending))
    # Plain SQL: on every project page, and the ORM's compiling cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ug.user_id, g.name FROM {through.db_table} ug JOIN {group} g ON g.id = ug.group_id "
                       f"WHERE ug.user_id IN ({marks}) ORDER BY g.name", list(pending))
        for user_id, name in cursor.fetchall():
            names[user_id].append(name)
    for pk, instances in pending.items():
        role = role_of(instances[0].is_superuser, names[pk])
        for user in instances:
            user.__dict__["role"] = role


def unread_count(user) -> int:
    """The menu's unread notices, on every page: plain SQL, as the ORM spent longer compiling it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Notification._meta.db_table} WHERE user_id = %s AND read_at IS NULL",
                       [user.pk])
        return cursor.fetchone()[0]
