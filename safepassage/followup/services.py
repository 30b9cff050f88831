"""Writes after a transfer: the receiving state's reception and its steps, the verifier's
follow-up contacts and what each found. A report of onward removal or of a risk of it alerts
the verifier's staff and his lawyers (notifications, in the same transaction) and becomes
evidence for that state's onward-risk assessment (`followup.selectors.onward_reports`). Nothing
here moves anyone, so nothing asks the guard."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can, has_any_role_for, require
from safepassage.accounts.models import OrganisationKind, User
from safepassage.audit.sealing import MASK
from safepassage.audit.services import audit_append, audit_event_new, audit_record
from safepassage.cases.models import Transfer, TransferStatus
from safepassage.followup.models import (
    ALERTING,
    DEFAULT_MONTHS,
    DEFAULT_STEPS,
    ContactOutcome,
    ContactState,
    FollowUpContact,
    Reception,
    ReceptionStep,
    ReceptionStepTemplate,
)
from safepassage.followup.workflow import CONTACTS
from safepassage.lib.countries import country_code_of
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.notifications.models import Notification
from safepassage.registry.models import Person
from safepassage.workflow.models import Trigger

# The work queue an alert names (`work.selectors.QUEUES`).
ALERT_QUEUE = "onward_risk"


def _executed_transfer(person: Person) -> Transfer:
    transfer = (
        Transfer.objects.filter(person=person, status=TransferStatus.EXECUTED)
        .select_related("handover")
        .order_by("-executed_at", "-id")
        .first()
    )
    if transfer is None:
        raise DomainError(_("No executed transfer: he has not been handed over."))
    return transfer


def _handed_over_on(transfer: Transfer) -> datetime.date:
    handover = getattr(transfer, "handover", None)
    if handover is not None:
        return handover.handed_over_on
    return timezone.localdate(transfer.executed_at)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def reception_steps_configure(*, actor, labels: Sequence[str]) -> list[ReceptionStepTemplate]:
    """The receiving state's own list of steps after arrival, in order (replacing its list)."""
    if not has_any_role_for(actor, Action.RECEPTION_RECORD):
        raise PermissionDenied
    cleaned = [label.strip()[:200] for label in labels if label.strip()]
    if not cleaned:
        raise DomainError(_("Name at least one step."), field="labels")
    with transaction.atomic():
        ReceptionStepTemplate.objects.filter(organisation=actor.organisation).delete()
        made = ReceptionStepTemplate.objects.bulk_create(
            ReceptionStepTemplate(organisation=actor.organisation, label=label, position=i)
            for i, label in enumerate(cleaned)
        )
        audit_record(
            actor=actor, action="followup.reception_steps_configure", obj=actor.organisation,
            changes={"steps": [None, cleaned]},
        )  # fmt: skip
    return made


def reception_record(*, actor, person: Person, arrived_on: datetime.date) -> Reception:
    """The receiving state records his arrival; its steps are laid out from its own list."""
    require(actor, Action.RECEPTION_RECORD, person)
    transfer = _executed_transfer(person)
    if transfer.destination.code != actor.organisation.country.code:
        raise PermissionDenied
    if arrived_on < _handed_over_on(transfer) or arrived_on > timezone.localdate():
        raise DomainError(
            _("He arrives on or after the handover, and not after today."), field="arrived_on"
        )
    labels = list(
        ReceptionStepTemplate.objects.filter(organisation=actor.organisation).values_list(
            "label", flat=True
        )
    ) or [str(label) for label in DEFAULT_STEPS]
    with transaction.atomic():
        if Reception.objects.select_for_update().filter(transfer=transfer).exists():
            raise DomainError(_("His arrival is already recorded."))
        reception = Reception.objects.create(
            transfer=transfer, person=person, organisation=actor.organisation,
            arrived_on=arrived_on, recorded_by=actor,
        )  # fmt: skip
        ReceptionStep.objects.bulk_create(
            ReceptionStep(reception=reception, label=label, position=i)
            for i, label in enumerate(labels)
        )
        audit_record(
            actor=actor, action="followup.reception", obj=reception, person=person,
            changes={"arrived_on": [None, arrived_on.isoformat()], "steps": [None, labels]},
        )  # fmt: skip
    return reception


def reception_step_done(
    *, actor, step: ReceptionStep, done_on: datetime.date, expected_version: int | None = None
) -> ReceptionStep:
    """The receiving state records one of its steps as done."""
    reception = step.reception
    require(actor, Action.RECEPTION_RECORD, reception.person)
    if reception.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if done_on < reception.arrived_on or done_on > timezone.localdate():
        raise DomainError(_("A step is done after his arrival, and not after today."),
                          field="done_on")  # fmt: skip
    with transaction.atomic():
        locked = ReceptionStep.objects.select_for_update().get(pk=step.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(_("Someone else changed this step meanwhile. Reload the page."))
        before = locked.done_on
        locked.done_on, locked.version = done_on, F("version") + 1
        locked.save(update_fields=["done_on", "version"])
        locked.refresh_from_db()
        audit_record(
            actor=actor, action="followup.reception_step", obj=locked, person=reception.person,
            changes={"label": [None, locked.label],
                     "done_on": [before.isoformat() if before else None, done_on.isoformat()]},
        )  # fmt: skip
    return locked


def followups_schedule(
    *, actor, person: Person, months: Iterable[int] = DEFAULT_MONTHS
) -> list[FollowUpContact]:
    """Schedule follow-up contacts at `months` after the handover (1, 3, 6 and 12 by default);
    a date already scheduled is kept once."""
    require(actor, Action.FOLLOWUP_RECORD, person)
    months = sorted({int(m) for m in months})
    if not months or any(m < 1 or m > 120 for m in months):
        raise DomainError(_("Give months between 1 and 120."), field="months")
    transfer = _executed_transfer(person)
    handed = _handed_over_on(transfer)
    with transaction.atomic():
        Person.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
        known = set(
            FollowUpContact.objects.filter(transfer=transfer).values_list("due_on", flat=True)
        )
        made = []
        for month in months:
            due_on = _add_months(handed, month)
            if due_on in known:
                continue
            made.append(FollowUpContact.objects.create(
                transfer=transfer, person=person, country=transfer.destination.code,
                due_on=due_on, scheduled_by=actor,
            ))  # fmt: skip
        audit_record(
            actor=actor, action="followup.schedule", obj=transfer, person=person,
            changes={"due_on": [None, [c.due_on.isoformat() for c in made]]},
        )  # fmt: skip
    return made


def _alert(contact: FollowUpContact, actor) -> list[Notification]:
    """Notify the verifier's staff and his lawyers who may see him (not the reporter)."""
    person, state = contact.person, contact.person.case.state
    users = [
        user
        for user in User.objects.filter(is_active=True, organisation__kind__in=[
            OrganisationKind.NEUTRAL_VERIFIER, OrganisationKind.LEGAL_NGO,
        ]).exclude(pk=actor.pk).select_related("organisation")
        if has_any_role_for(user, Action.FOLLOWUP_ALERT) and can(user, Action.FOLLOWUP_VIEW, person)
    ]  # fmt: skip
    made = Notification.objects.bulk_create(
        Notification(user=user, person=person, state=state, queue=ALERT_QUEUE) for user in users
    )
    audit_append([
        audit_event_new(
            actor=actor, action="notification.create", obj=n, person=person,
            changes={"user": [None, n.user.username], "queue": [None, n.queue]},
        )
        for n in made
    ])  # fmt: skip
    return made


def followup_record(
    *,
    actor,
    contact: FollowUpContact,
    reached: bool,
    contacted_on: datetime.date,
    outcome: str = "",
    sent_on_to: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> FollowUpContact:
    """Record a follow-up contact: reached or not; if reached, safe, concerns or onward removal
    (and where to). Concerns and onward removal alert the verifier and the legal officers."""
    require(actor, Action.FOLLOWUP_RECORD, contact.person)
    outcome = outcome or ""
    sent_on_to = country_code_of(sent_on_to)
    if outcome not in ContactOutcome.values:
        raise DomainError(_("Choose the outcome from the list."), field="outcome")
    if reached and not outcome:
        raise DomainError(_("Say how he is: safe, concerns or onward removal."), field="outcome")
    if not reached and outcome:
        raise DomainError(_("Only a man who was reached reports how he is."), field="outcome")
    if sent_on_to and outcome != ContactOutcome.ONWARD_REMOVAL:
        raise DomainError(_("Where he was sent on to goes with a report of onward removal."),
                          field="sent_on_to")  # fmt: skip
    if contacted_on > timezone.localdate():
        raise DomainError(_("The contact cannot be after today."), field="contacted_on")
    with transaction.atomic():
        locked = (
            FollowUpContact.objects.select_for_update(of=("self",))
            .select_related("person__case")
            .get(pk=contact.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(_("Someone else recorded this contact meanwhile. Reload it."))
        CONTACTS.apply(
            locked, target=ContactState.REACHED if reached else ContactState.NOT_REACHED,
            actor=actor, reason="", trigger=Trigger.PERSON,
            changes={"contacted_on": contacted_on, "outcome": outcome, "sent_on_to": sent_on_to,
                     "note": note.strip(), "recorded_by": actor, "version": locked.version + 1},
        )  # fmt: skip
        audit_record(
            actor=actor, action="followup.contact", obj=locked, person=locked.person,
            changes={"state": [ContactState.DUE, locked.state], "outcome": [None, outcome],
                     "sent_on_to": [None, sent_on_to], **({"note": [MASK, MASK]} if note else {})},
        )  # fmt: skip
        if outcome in ALERTING:
            _alert(locked, actor)
    return locked
