"""Reads of accounts that other apps' pages share."""

from collections import defaultdict

from .models import User
from .roles import GROUP_TO_ROLE, Role


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
    for user_id, name in User.groups.through.objects.filter(user_id__in=list(pending)).order_by("group__name") \
            .values_list("user_id", "group__name"):
        names[user_id].append(name)
    for pk, instances in pending.items():
        if instances[0].is_superuser:
            role = Role.ADMIN
        else:
            role = next((GROUP_TO_ROLE[n] for n in names[pk] if n in GROUP_TO_ROLE), None)
        for user in instances:
            user.__dict__["role"] = role
