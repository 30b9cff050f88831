"""The bell's unread count for every page: counted only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from safepassage.notifications.selectors import unread_count


def unread(request) -> dict:
    user = getattr(request, "user", None)
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user))}
