"""Reads of family links: his capture card choice, his choice of correspondents and his family
messages (need-to-know: the verifier, and the censor for what waits for censorship).
`family_address_printable` is what every export asks: with no choice recorded, nothing of his
family prints."""

from dataclasses import dataclass

from django.http import Http404

from safepassage.access.policy import (
    Action,
    can,
    can_on_family_message,
    may_see_family_messages,
    require,
)
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.family.models import (
    AWAITING_CENSOR,
    FORWARDED_OR_LATER,
    CaptureCardChoice,
    CorrespondenceChoice,
    Direction,
    FamilyMessage,
)
from safepassage.registry.models import Person


def latest_choice(person: Person) -> CaptureCardChoice | None:
    return CaptureCardChoice.objects.filter(person=person).order_by("-recorded_at", "-id").first()


def family_address_printable(person: Person) -> bool:
    """Whether his family's address may be written on a capture card: only if he chose so."""
    choice = latest_choice(person)
    return choice is not None and choice.address_on_card


def capture_card_choices(*, actor, person: Person) -> list[CaptureCardChoice]:
    """His choices, latest first, for the verifier who records them."""
    require(actor, Action.CAPTURE_CARD_CHOICE, person)
    return list(
        CaptureCardChoice.objects.filter(person=person)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


# --- family messages (GC III Art. 71, 76) -------------------------------------------------------


def names_of(text: str) -> set[str]:
    """The names of a choice, one a line, compared without case or extra spaces."""
    return {" ".join(line.split()).casefold() for line in text.splitlines() if line.strip()}


def latest_correspondence_choice(person: Person) -> CorrespondenceChoice | None:
    return (
        CorrespondenceChoice.objects.filter(person=person).order_by("-recorded_at", "-id").first()
    )


def may_write_to_him(person: Person, name: str) -> bool:
    choice = latest_correspondence_choice(person)
    return (
        choice is not None and names_of(name) <= names_of(choice.may_write) and bool(names_of(name))
    )


def may_know_his_place(person: Person, name: str) -> bool:
    """Whether `name` may learn where he is held: only if he named them. With no choice
    recorded, no one."""
    choice = latest_correspondence_choice(person)
    return (
        choice is not None
        and bool(names_of(name))
        and names_of(name) <= names_of(choice.may_know_place)
    )


def correspondence_choice_of(*, actor, person: Person) -> CorrespondenceChoice | None:
    """His latest choice of correspondents, for the verifier (the read is audited)."""
    if not can(actor, Action.FAMILY_MESSAGES, person):
        raise Http404
    choice = latest_correspondence_choice(person)
    if choice is not None:
        sensitive_reads_record(
            actor=actor, reads=[SensitiveRead(choice, "correspondence_choice", person=person)]
        )
    return choice


def family_messages(*, actor, person: Person) -> list[FamilyMessage]:
    """His messages the reader may read: every one for the verifier's staff; for the
    detaining power's censor only those waiting for censorship. Anyone else: 404. Each
    message shown is an audited read."""
    if not may_see_family_messages(actor, person):
        raise Http404
    messages = FamilyMessage.objects.filter(person=person).select_related(
        "person__detaining_organisation", "in_reply_to"
    )
    if not can(actor, Action.FAMILY_MESSAGES, person):
        messages = messages.filter(state__in=AWAITING_CENSOR)
    shown = list(messages.order_by("-written_at", "-id"))
    for message in shown:
        message.person = person  # as the caller read him (and found him visible): no query each
    sensitive_reads_record(
        actor=actor, reads=[SensitiveRead(m, "family_message", person=person) for m in shown]
    )
    return shown


def family_message_for(actor, pk, person: Person | None = None) -> FamilyMessage:
    """The message `pk`, if the reader may act on it (and it is `person`'s); else 404."""
    try:
        message = FamilyMessage.objects.select_related(
            "person__detaining_organisation", "in_reply_to"
        ).get(pk=pk)
    except (FamilyMessage.DoesNotExist, ValueError):
        raise Http404 from None
    if person is not None and message.person_id != person.pk:
        raise Http404
    if not (
        can_on_family_message(actor, Action.FAMILY_MESSAGES, message)
        or can_on_family_message(actor, Action.FAMILY_CENSOR, message)
    ):
        raise Http404
    sensitive_reads_record(
        actor=actor, reads=[SensitiveRead(message, "family_message", person=message.person)]
    )
    return message


@dataclass(frozen=True)
class ForwardedCopy:
    """What the verifier passes on: the censor's copy, never the struck passages; his place of
    detention only if the correspondent may learn it (else None)."""

    direction: str
    correspondent_name: str
    text: str
    place_of_detention: str | None


def forwarded_copy(message: FamilyMessage) -> ForwardedCopy | None:
    """The copy as forwarded, once it is (None before)."""
    if message.state not in FORWARDED_OR_LATER:
        return None
    place = None
    if message.direction == Direction.FROM_HIM and message.place_disclosed:
        place = message.person.internment_place or None
    return ForwardedCopy(message.direction, message.correspondent_name, message.forwarded_text,
                         place)  # fmt: skip
