"""Writes of notifications: made when a case reaches a work queue, marked read by their reader.

A case that enters a state some queue holds notifies every active user who acts on that queue
and may see the case (the queue's own selector decides both), but not the one who moved it.
The rows are written in the step's transaction and audited there; the optional e-mail goes
after commit and carries a link only (`NOTIFY_BY_EMAIL`)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safepassage.accounts.models import RoleAssignment, User
from safepassage.audit.services import audit_append, audit_event_new, audit_record
from safepassage.cases.models import Case
from safepassage.notifications.models import Notification
from safepassage.notifications.selectors import unread_count_forget
from safepassage.work.selectors import QUEUES, case_in_queue, queue_reader_key

logger = logging.getLogger(__name__)


def _candidates(exclude) -> list[User]:
    """Active users of an organisation, their roles loaded in one query."""
    users = list(
        User.objects.filter(is_active=True, organisation__isnull=False)
        .exclude(pk=getattr(exclude, "pk", None))
        .select_related("organisation")
    )
    roles: dict[int, set[str]] = {}
    for user_id, role in RoleAssignment.objects.filter(user__in=users).values_list(
        "user_id", "role"
    ):
        roles.setdefault(user_id, set()).add(role)
    for user in users:
        user._roles_cache = frozenset(roles.get(user.pk, ()))
    return users


def notifications_for_case(*, case: Case, actor) -> list[Notification]:
    """Notify each user in one of whose queues `case` now waits (once, for his first such
    queue). Call inside the transaction that moved it."""
    queues = [q for q in QUEUES if q.kind == "case" and case.state in q.states]
    if not queues:
        return []
    made, waits = [], {}

    def waits_for(user, queue) -> bool:  # once per organisation and queue, not per user
        key = (queue_reader_key(user), queue.name)
        if key not in waits:
            waits[key] = case_in_queue(user=user, queue=queue, case=case)
        return waits[key]

    for user in _candidates(exclude=actor):
        queue = next((q for q in queues if q.acts_on(user) and waits_for(user, q)), None)
        if queue is not None:
            made.append(
                Notification(user=user, person=case.person, state=case.state, queue=queue.name)
            )
    if not made:
        return []
    made = Notification.objects.bulk_create(made)
    audit_append(
        [
            audit_event_new(
                actor=actor,
                action="notification.create",
                obj=n,
                person=case.person,
                changes={
                    "user": [None, n.user.username],
                    "queue": [None, n.queue],
                    "state": [None, n.state],
                },
            )  # fmt: skip
            for n in made
        ]
    )
    if settings.NOTIFY_BY_EMAIL:
        recipients = [n.user for n in made if n.user.email]
        transaction.on_commit(lambda: notification_mails_send(users=recipients))
    return made


def on_case_transition(sender, *, obj, actor, **kwargs) -> None:
    """Receiver of `workflow.machine.transition_recorded` for cases."""
    notifications_for_case(case=obj, actor=actor)


def notification_mails_send(*, users: list[User]) -> int:
    """One mail to each user, in his language, holding a link to his notifications and nothing
    else: no name, no number, no state. A mail server that fails is logged; the step that
    notified has committed already."""
    link = settings.SAFEPASSAGE_BASE_URL.rstrip("/") + reverse("notifications:list")
    messages = []
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            messages.append(
                EmailMessage(
                    subject=_("safepassage: something waits for you"),
                    body=_("A case has reached one of your work queues. Log in to see it:")
                    + f"\n\n{link}\n",
                    to=[user.email],
                )
            )
    try:
        return mailers["default"].send_messages(messages) or 0
    except Exception:  # the mail server's problem must not undo or fail the committed step
        logger.exception("Could not send %s notification mail(s)", len(messages))
        return 0


def notification_open(*, user, notification: Notification) -> Notification:
    """Mark one of the reader's notifications read (once), audited."""
    if notification.read_at is not None:
        return notification
    unread_count_forget(user)
    with transaction.atomic():
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(
            actor=user, action="notification.read", obj=notification, person=notification.person,
            changes={"read_at": [None, notification.read_at.isoformat()]},
        )  # fmt: skip
    return notification


def notifications_read_all(*, user) -> int:
    """Mark every unread notification of the reader read; one audit event with their number."""
    unread_count_forget(user)
    with transaction.atomic():
        count = Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
        if count:
            audit_record(
                actor=user, action="notification.read_all", obj=user,
                changes={"read": [None, count]},
            )  # fmt: skip
    return count
