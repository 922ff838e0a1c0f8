from functools import cache

from maillage.notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    """The header's unread count, counted only when a page shows it (and then once)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": cache(lambda: unread_count(user))}
