"""Writes of family links: his capture card choice, recorded by the neutral verifier."""

from django.db import transaction
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, require
from safepassage.audit.services import audit_record, changes_between, field_values
from safepassage.family.models import CaptureCardChoice
from safepassage.family.selectors import latest_choice
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.registry.models import Person

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
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        before = latest_choice(person)
        if expected_choice is not None and (before.pk if before else 0) != expected_choice:
            raise ConflictError(
                _("Someone else recorded his choice meanwhile. Reload the page and check it.")
            )
        choice = CaptureCardChoice.objects.create(
            person=person, card_to_family=card_to_family, address_on_card=address_on_card,
            note=note.strip(), recorded_by=actor, organisation=actor.organisation,
        )  # fmt: skip
        old = field_values(before, CHOICE_FIELDS) if before else {}
        audit_record(
            actor=actor, action="family.capture_card_choice", obj=choice, person=person,
            changes=changes_between(old, field_values(choice, CHOICE_FIELDS),
                                    CaptureCardChoice.SENSITIVE_FIELDS),
        )  # fmt: skip
    return choice
