from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    from .middleware import second_factor_missing

    if second_factor_missing(user):
        return {"nav_items": []}  # nothing but verification is reachable yet: offer nothing else
    current = request.path
    items = [
        {"label": item.label, "url": item.url, "active": current == item.url}
        for item in items_for(user)
    ]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notices": unread}
