"""Writes of referrals: refer a person to a receiving state, take a step of the referral (the
state's answer, the referrer's reply, a withdrawal), and remind the states whose answer is due.
Each runs in one transaction holding the referral's row lock, asks the policy for this referral
(`can_on_referral`) and appends audit events. A referral moves no one: no step here asks the
guard, and none changes the case."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can_on_referral, require
from safepassage.accounts.models import Organisation, OrganisationKind, User
from safepassage.audit.services import audit_append, audit_event_new, audit_record, created_changes
from safepassage.cases.models import Case, Wish
from safepassage.lib.countries import country_codes
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.notifications.models import Notification
from safepassage.notifications.selectors import REFERRAL_OVERDUE
from safepassage.referrals.models import AWAITING_STATES, Referral, ReferralState
from safepassage.referrals.workflow import REFERRALS
from safepassage.registry.models import Person
from safepassage.workflow.models import Trigger

REFERRAL_FIELDS = ("organisation", "due_on", "family_links", "note")
# The state's answer is due this many days after the referral, unless the referrer says.
ANSWER_DAYS = 30
# A step that needs its reason: a decline says why, a question what, a reply what it answers.
_REASON_NEEDED = {
    ReferralState.DECLINED: _("Give the reason the state declines him."),
    ReferralState.INFORMATION_REQUESTED: _("Say what information the state needs."),
    ReferralState.REFERRED: _("Give the information the state asked for."),
}


def _require_on(actor, action: Action, referral: Referral) -> None:
    if not can_on_referral(actor, action, referral):
        raise PermissionDenied


def _consent(person: Person, organisation: Organisation) -> None:
    """His verified will must let him be referred there: it asks for any third country, or
    names that state; a state he refused, or his own, is never asked."""
    case = Case.objects.select_related("governing_will").filter(person=person).first()
    will = case.governing_will if case else None
    if will is None:
        raise DomainError(_("No verified will is on record: he has not consented to a referral."))
    code = organisation.country.code
    preferred = country_codes(will.destinations_preferred)
    if will.wish == Wish.THIRD_COUNTRY:
        consented = code not in country_codes(person.nationalities)
    else:
        consented = will.wish == Wish.NAMED_STATES and code in preferred
    if not consented or code in country_codes(will.destinations_refused):
        raise DomainError(
            _("His verified will does not ask to go to %(state)s: he has not consented to this "
              "referral.") % {"state": organisation.name},
            field="organisation",
        )  # fmt: skip


def referral_make(
    *,
    actor,
    person: Person,
    organisation: Organisation,
    due_on: datetime.date | None = None,
    family_links: str = "",
    note: str = "",
) -> Referral:
    """Refer `person` to the receiving state `organisation`, with his verified consent."""
    require(actor, Action.REFERRAL_MAKE, person)
    if organisation is None or organisation.kind != OrganisationKind.RECEIVING_STATE:
        raise DomainError(_("Choose a receiving state."), field="organisation")
    today = timezone.localdate()
    due_on = due_on or today + datetime.timedelta(days=ANSWER_DAYS)
    if due_on <= today:
        raise DomainError(_("The answer is due on a day after today."), field="due_on")
    if person.merged_into_id is not None:
        raise DomainError(_("This record was merged into another: refer the survivor."))
    _consent(person, organisation)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the refusal below leaves nothing
                referral = Referral.objects.create(
                    person=person, organisation=organisation, due_on=due_on,
                    family_links=family_links.strip(), note=note.strip(), referred_by=actor,
                    referring_organisation=actor.organisation,
                )  # fmt: skip
        except IntegrityError:
            raise DomainError(
                _("He is already referred to this state."), field="organisation"
            ) from None
        audit_record(
            actor=actor, action="referral.make", obj=referral, person=person,
            changes=created_changes(referral, REFERRAL_FIELDS, Referral.SENSITIVE_FIELDS),
        )  # fmt: skip
    return referral


def referral_step(
    *,
    actor,
    referral: Referral,
    target: str,
    reason: str = "",
    reference: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Take a step of the referral: the state accepts (with its reference), declines (why) or
    asks (what); the referrer replies (with what was asked) or withdraws it."""
    transition = REFERRALS.find(referral.state, target)
    action = transition.action if transition else Action.REFERRAL_VIEW
    _require_on(actor, action or Action.REFERRAL_VIEW, referral)
    reason = (reason or "").strip()
    if target in _REASON_NEEDED and not reason:
        raise DomainError(str(_REASON_NEEDED[target]), field="reason")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                _("Someone else answered this referral meanwhile. Reload it and try again.")
            )
        changes = {"version": F("version") + 1}
        if target == ReferralState.ACCEPTED:
            changes["reference"] = reference.strip()[:200]
        row = REFERRALS.apply(
            locked, target=target, actor=actor, reason=reason, trigger=Trigger.PERSON,
            changes=changes,
        )  # fmt: skip
        locked.refresh_from_db(fields=["version"])
        audit_record(
            actor=actor, action="referral.transition", obj=locked, person=locked.person,
            changes={"state": [row.from_state, row.to_state], "reason": [None, row.reason],
                     **({"reference": [None, locked.reference]} if locked.reference else {})},
        )  # fmt: skip
    return locked


def _overdue_notifications(referral: Referral, actor) -> list:
    """Notify the receiving state's decision staff (who answer it) and the one who referred
    him, each if still active and allowed to see the referral."""
    users = [
        user
        for user in User.objects.filter(is_active=True).filter(
            Q(organisation=referral.organisation) | Q(pk=referral.referred_by_id)
        ).select_related("organisation")
        if can_on_referral(user, Action.REFERRAL_VIEW, referral)
        and (user.pk == referral.referred_by_id
             or can_on_referral(user, Action.REFERRAL_ANSWER, referral))
    ]  # fmt: skip
    made = Notification.objects.bulk_create(
        Notification(user=user, person=referral.person, state=referral.person.case.state,
                     queue=REFERRAL_OVERDUE, referral=referral)
        for user in users
    )  # fmt: skip
    audit_append([
        audit_event_new(
            actor=actor, action="notification.create", obj=n, person=referral.person,
            changes={"user": [None, n.user.username], "queue": [None, n.queue]},
        )
        for n in made
    ])  # fmt: skip
    return made


def referral_reminders_send(*, actor=None, today: datetime.date | None = None) -> list[Referral]:
    """Mark the referrals whose answer is due (by `today`, not reminded since it fell due) as
    reminded, one audit event each, and notify the receiving state's decision staff and the
    one who referred him (in-app notifications). Run daily by `safepassage referrals remind`
    or the job `referrals.jobs.referral_reminders_job` (docs/referrals.md#reminders)."""
    today = today or timezone.localdate()
    due = Referral.objects.filter(state__in=AWAITING_STATES, due_on__lte=today).exclude(
        reminded_on__gte=F("due_on")
    )
    reminded = []
    with transaction.atomic():
        for referral in due.select_for_update(of=("self",)).select_related(
            "person__case", "organisation"
        ):
            referral.reminded_on = today
            referral.save(update_fields=["reminded_on"])
            audit_record(
                actor=actor, action="referral.remind", obj=referral, person=referral.person,
                changes={"due_on": [None, referral.due_on.isoformat()]},
            )  # fmt: skip
            _overdue_notifications(referral, actor)
            reminded.append(referral)
    return reminded
