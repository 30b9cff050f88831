"""Reads of notifications: only the reader's own."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safepassage.notifications.models import Notification
from safepassage.work.selectors import BY_NAME


def unread_count(*, user) -> int:
    """What the bell shows: one indexed count."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()


def notification_list(*, user) -> QuerySet[Notification]:
    """The reader's notifications, newest first."""
    return Notification.objects.filter(user=user).select_related("person")


def notification_for(*, user, pk) -> Notification:
    """One of the reader's own (DoesNotExist for anyone else's: 404 to the view)."""
    return notification_list(user=user).get(pk=pk)


# Notifications of no work queue: a referral whose answer is overdue.
REFERRAL_OVERDUE = "referral_overdue"
OTHER_TITLES = {REFERRAL_OVERDUE: _("Referral: answer overdue")}


def queue_title(notification: Notification) -> str:
    queue = BY_NAME.get(notification.queue)
    if queue is None and notification.queue in OTHER_TITLES:
        return str(OTHER_TITLES[notification.queue])
    return str(queue.title) if queue else notification.queue
