"""The bell's unread count for every page: counted once, and only when a template shows it."""

from functools import cached_property

from safepassage.notifications.selectors import unread_count


class Unread:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(user=self.user)


def unread(request) -> dict:
    return {"notifications_unread": Unread(getattr(request, "user", None))}
