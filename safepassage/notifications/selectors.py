"""Reads of notifications: only the reader's own."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from safepassage.notifications.models import Notification
from safepassage.work.selectors import BY_NAME

UNREAD_WITH_USER = "unread_notification_count"  # read with the session's user (apps.py)


def unread_count(*, user) -> int:
    """What the bell shows: one indexed count, read with the session's user when he was read
    by the session (`accounts.backends.user_read_with`)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    if (count := getattr(user, UNREAD_WITH_USER, None)) is not None:
        return count
    return Notification.objects.filter(user=user, read_at=None).count()


def unread_count_subquery() -> Coalesce:
    """The unread count of the user of the outer query."""
    counts = (
        Notification.objects.filter(user=OuterRef("pk"), read_at=None)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def unread_count_forget(user) -> None:
    """After his notifications were read: the count read with him is stale."""
    user.__dict__.pop(UNREAD_WITH_USER, None)


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
