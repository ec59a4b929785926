from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    current = request.path
    items = [
        {"label": item.label, "url": item.url, "active": current == item.url}
        for item in items_for(user)
    ]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notices": unread}
