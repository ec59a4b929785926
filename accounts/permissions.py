"""Role checks for views. Object-level checks (own unit only) live in each app's selectors."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Role


def role_required(*roles: Role):
    """Login first (anonymous → login page), then the role (wrong role → 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def require_role(user, *roles: Role) -> None:
    """The same check for services, which must not trust the view to have done it."""
    if not (user and user.is_authenticated and user.has_role(*roles)):
        raise PermissionDenied("您的角色无权执行此操作。")
