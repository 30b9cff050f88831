"""Writes of family links: his capture card choice and his choice of correspondents, recorded
by the neutral verifier; his family messages, written, censored (where the detaining power's
agreement allows it), forwarded and delivered (docs/family.md)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can_on_family_message, require
from safepassage.audit.sealing import MASK
from safepassage.audit.services import audit_record, changes_between, field_values
from safepassage.family.models import (
    STRUCK,
    CaptureCardChoice,
    CorrespondenceChoice,
    Direction,
    FamilyMessage,
    MessageState,
)
from safepassage.family.selectors import (
    latest_choice,
    latest_correspondence_choice,
    may_know_his_place,
    may_write_to_him,
    names_of,
)
from safepassage.family.workflow import MESSAGES
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.registry.models import Person
from safepassage.workflow.models import Trigger

CHOICE_FIELDS = ("card_to_family", "address_on_card", "note")


def capture_card_choice_record(
    *,
    actor,
    person: Person,
    card_to_family: bool,
    address_on_card: bool,
    note: str = "",
    expected_choice: int | None = None,
) -> CaptureCardChoice:
    """Record his choice (it replaces the one before; both stay). `expected_choice` is the id
    of the choice the form showed: another recorded meanwhile is a conflict."""
    require(actor, Action.CAPTURE_CARD_CHOICE, person)
    if address_on_card and not card_to_family:
        raise DomainError(
            _("His family's address is written only on a card he sends to his family."),
            field="address_on_card",
        )
    return _choice_replace(
        actor=actor, person=person, model=CaptureCardChoice, latest=latest_choice,
        expected_choice=expected_choice, fields=CHOICE_FIELDS, action="family.capture_card_choice",
        values={"card_to_family": card_to_family, "address_on_card": address_on_card,
                "note": note.strip()},
    )  # fmt: skip


def _choice_replace(*, actor, person, model, latest, expected_choice, fields, action, values):
    """A new choice of his that replaces the latest (both stay), under a lock of him so that
    two recorders do not both believe theirs is the latest; `expected_choice` is the id of the
    choice the form showed (0: none), and another recorded meanwhile is a conflict."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        before = latest(person)
        if expected_choice is not None and (before.pk if before else 0) != expected_choice:
            raise ConflictError(
                _("Someone else recorded his choice meanwhile. Reload the page and check it.")
            )
        choice = model.objects.create(
            person=person, recorded_by=actor, organisation=actor.organisation, **values
        )
        old = field_values(before, fields) if before else {}
        audit_record(
            actor=actor, action=action, obj=choice, person=person,
            changes=changes_between(old, field_values(choice, fields), model.SENSITIVE_FIELDS),
        )  # fmt: skip
    return choice


# --- family messages (GC III Art. 71, 76) -------------------------------------------------------

MESSAGE_LIMIT = 2000  # short family news: a Red Cross message is 25 words or so, in any script


def _lines(value) -> str:
    if isinstance(value, list | tuple):
        value = "\n".join(str(v) for v in value)
    return "\n".join(
        " ".join(line.split()) for line in str(value or "").splitlines() if line.strip()
    )


def correspondence_choice_record(
    *,
    actor,
    person: Person,
    may_write,
    may_know_place,
    note: str = "",
    expected_choice: int | None = None,
) -> CorrespondenceChoice:
    """Record his choice of who may write to him and who may learn where he is held (names one
    a line; it replaces the one before, both stay). Who may learn his place must also be
    allowed to write to him."""
    require(actor, Action.FAMILY_MESSAGES, person)
    may_write, may_know_place = _lines(may_write), _lines(may_know_place)
    if not names_of(may_know_place) <= names_of(may_write):
        raise DomainError(
            _("Whoever may learn where he is held must also be allowed to write to him."),
            field="may_know_place",
        )
    return _choice_replace(
        actor=actor, person=person, model=CorrespondenceChoice,
        latest=latest_correspondence_choice, expected_choice=expected_choice,
        fields=CorrespondenceChoice.SENSITIVE_FIELDS, action="family.correspondence_choice",
        values={"may_write": may_write, "may_know_place": may_know_place, "note": note.strip()},
    )  # fmt: skip


def family_message_write(
    *,
    actor,
    person: Person,
    direction: str,
    text: str,
    correspondent_name: str,
    correspondent_contact: str = "",
    in_reply_to: FamilyMessage | int | None = None,
) -> FamilyMessage:
    """Record a message from him to his family, or from them to him. A message to him from
    someone he did not allow to write to him is refused."""
    require(actor, Action.FAMILY_MESSAGES, person)
    if direction not in Direction.values:
        raise DomainError(_("Choose the direction from the list."), field="direction")
    text, name = (text or "").strip(), " ".join((correspondent_name or "").split())
    if not text:
        raise DomainError(_("Write the family news."), field="text")
    if len(text) > MESSAGE_LIMIT:
        raise DomainError(
            _("Keep it to short family news: at most %(limit)d characters.")
            % {"limit": MESSAGE_LIMIT},
            field="text",
        )
    if not name:
        raise DomainError(_("Name the family correspondent."), field="correspondent_name")
    if direction == Direction.TO_HIM and not may_write_to_him(person, name):
        raise DomainError(
            _("He has not allowed %(name)s to write to him: the message is refused.")
            % {"name": name},
            field="correspondent_name",
        )
    answered = None
    if in_reply_to:
        pk = in_reply_to.pk if isinstance(in_reply_to, FamilyMessage) else in_reply_to
        answered = FamilyMessage.objects.filter(pk=pk, person=person).first()
        if answered is None or answered.direction == direction:
            raise DomainError(
                _("A reply answers one of his messages going the other way."), field="in_reply_to"
            )
    with transaction.atomic():
        message = FamilyMessage.objects.create(
            person=person, direction=direction, text=text, correspondent_name=name,
            correspondent_contact=(correspondent_contact or "").strip(), in_reply_to=answered,
            written_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="family.message", obj=message, person=person,
            changes={"direction": [None, direction], "state": [None, message.state],
                     "in_reply_to": [None, answered.pk if answered else None],
                     "text": [MASK, MASK], "correspondent_name": [MASK, MASK]},
        )  # fmt: skip
    return message


def _locked(message: FamilyMessage, expected_version: int | None) -> FamilyMessage:
    locked = (
        FamilyMessage.objects.select_for_update(of=("self",))
        .select_related("person__detaining_organisation")
        .get(pk=message.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("Someone else changed this message meanwhile. Reload it."))
    return locked


def family_message_censor(
    *,
    actor,
    message: FamilyMessage,
    strike=(),
    reason: str = "",
    expected_version: int | None = None,
) -> FamilyMessage:
    """The detaining power's censor passes the message or strikes passages of it (GC III Art.
    76), with a reason for what is struck. The original stays, encrypted; the copy with the
    passages replaced is what is forwarded."""
    if not can_on_family_message(actor, Action.FAMILY_CENSOR, message):
        raise PermissionDenied
    passages = [p for p in (_lines(strike).splitlines()) if p]
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(message, expected_version)
        copy = " ".join(locked.text.split()) if passages else locked.text
        for passage in passages:
            if passage not in copy:
                raise DomainError(
                    _("“%(passage)s” is not in the message: copy the passage exactly.")
                    % {"passage": passage},
                    field="strike",
                )
            copy = copy.replace(passage, STRUCK)
        if passages and not reason:
            raise DomainError(_("Give the reason for striking these passages."), field="reason")
        target = MessageState.CENSORED if passages else MessageState.PASSED
        MESSAGES.apply(
            locked, target=target, actor=actor, reason=reason, trigger=Trigger.SERVICE,
            changes={"forwarded_text": copy, "censor_reason": reason,
                     "version": locked.version + 1},
        )  # fmt: skip
        audit_record(
            actor=actor, action="family.message_censor", obj=locked, person=locked.person,
            changes={"state": [MessageState.WRITTEN, target],
                     "struck": [None, len(passages)], "reason": [MASK, MASK]},
        )  # fmt: skip
    return locked


STEPS = (MessageState.FORWARDED, MessageState.DELIVERED, MessageState.UNDELIVERABLE)


def family_message_step(
    *,
    actor,
    message: FamilyMessage,
    target: str,
    reason: str = "",
    expected_version: int | None = None,
) -> FamilyMessage:
    """The verifier forwards the message (the censor's copy, or the message itself where no
    censorship applies), then records it delivered or undeliverable (with a reason). A message
    from him tells the correspondent where he is held only if he allowed it."""
    if not can_on_family_message(actor, Action.FAMILY_MESSAGES, message):
        raise PermissionDenied
    if target not in STEPS:
        raise DomainError(_("Choose the step from the list."), field="target")
    reason = (reason or "").strip()
    if target == MessageState.UNDELIVERABLE and not reason:
        raise DomainError(_("Say why it could not be delivered."), field="reason")
    with transaction.atomic():
        locked = _locked(message, expected_version)
        source = locked.state
        changes = {"version": locked.version + 1}
        if target == MessageState.FORWARDED:
            if source == MessageState.WRITTEN:
                changes["forwarded_text"] = locked.text
            changes["place_disclosed"] = locked.direction == Direction.FROM_HIM and (
                may_know_his_place(locked.person, locked.correspondent_name)
            )
        MESSAGES.apply(
            locked, target=target, actor=actor, reason=reason, trigger=Trigger.SERVICE,
            changes=changes,
        )  # fmt: skip
        audit_record(
            actor=actor, action="family.message_step", obj=locked, person=locked.person,
            changes={"state": [source, target],
                     **({"place_disclosed": [None, changes["place_disclosed"]]}
                        if "place_disclosed" in changes else {})},
        )  # fmt: skip
    return locked
