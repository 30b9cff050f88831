"""Reads of his capture card choice. `family_address_printable` is what every export asks:
with no choice recorded, nothing of his family prints."""

from safepassage.access.policy import Action, require
from safepassage.family.models import CaptureCardChoice
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
