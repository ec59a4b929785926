from haidian_contest.fragments import fragment_digest

from .navigation import items_for
from .selectors import unread_count


def navigation(request):
    # Once per request: a page that renders sections with render_to_string(request=…) (the project
    # page's panels) runs the context processors once per section.
    cached = getattr(request, "_navigation_context", None)
    if cached is None:
        cached = request._navigation_context = _navigation(request)
    return cached


def _navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    from .middleware import second_factor_missing

    if second_factor_missing(user):
        return {"nav_items": []}  # nothing but verification is reachable yet: offer nothing else
    current = request.path
    items = [{"label": item.label, "url": url, "active": current == url}
             for item, url in ((item, item.url) for item in items_for(user))]
    unread = unread_count(user)
    # The menu bar is one cached fragment under a digest of all it prints (haidian_contest.fragments).
    organization = str(user.organization) if user.organization_id else ""
    digest = fragment_digest(items, unread, str(user), user.role_label, organization)
    return {"nav_items": items, "unread_notices": unread, "nav_digest": digest}
