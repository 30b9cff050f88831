"""Reads of referrals, each over what the reader may know (`can_on_referral`): a receiving
state sees the referrals made to it and their pseudonymised profile, never the person's names,
his statement or the other states asked; the verifier, the detaining power's decision makers
and his lawyers see the referrals of the persons they see."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safepassage.access.policy import Action, can, can_on_referral
from safepassage.access.visibility import live_persons_visible_to
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.exports.pseudonyms import pseudonym_of
from safepassage.referrals.models import AWAITING_STATES, Referral
from safepassage.registry.models import DatePrecision, Person


def referral_list(*, actor, person: Person | None = None) -> QuerySet[Referral]:
    """The referrals `actor` may see (of `person`, when given), oldest first: a receiving
    state's own, or those of the persons the others see."""
    if not can(actor, Action.REFERRAL_VIEW):
        return Referral.objects.none()
    # His case's governing will (the profile) and the steps (the history) come with each.
    referrals = Referral.objects.select_related(
        "organisation", "person", "person__case__governing_will"
    ).prefetch_related("transitions")
    if actor.organisation.kind == OrganisationKind.RECEIVING_STATE:
        referrals = referrals.filter(organisation=actor.organisation)
    else:
        referrals = referrals.filter(person__in=live_persons_visible_to(actor))
    if person is not None:
        referrals = referrals.filter(person=person)
    return referrals.order_by("referred_at", "pk")


def referral_for(actor, pk, action: Action = Action.REFERRAL_VIEW) -> Referral:
    """The referral, if `actor` may do `action` on it: 404 when he may not see it, 403 when he
    sees it but may not do that."""
    try:
        referral = Referral.objects.select_related(
            "organisation", "person", "person__case__governing_will"
        ).get(pk=pk)
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_on_referral(actor, Action.REFERRAL_VIEW, referral):
        raise Http404
    if action != Action.REFERRAL_VIEW and not can_on_referral(actor, action, referral):
        raise PermissionDenied
    return referral


def may_take_a_step(actor, referral: Referral) -> bool:
    """Whether `actor` answers the referral (the state) or works it (the referrer's side)."""
    return any(
        can_on_referral(actor, action, referral)
        for action in (Action.REFERRAL_ANSWER, Action.REFERRAL_MAKE)
    )


def is_overdue(referral: Referral, today: datetime.date | None = None) -> bool:
    return referral.state in AWAITING_STATES and referral.due_on < (today or timezone.localdate())


@dataclass(frozen=True)
class Profile:
    """What a receiving state needs to decide, and nothing that names him: his pseudonym, age,
    sex, health, languages, the family links the referrer wrote, and the outcome of his
    verified will (what he asked for and how sure he was, never what he said)."""

    pseudonym: str
    age: int | None
    age_approximate: bool
    sex: str
    health: str
    art110_category: str
    languages: str
    family_links: str
    will_outcome: str
    will_certainty: int | None
    will_expressed_on: datetime.date | None
    note: str


def _age(person: Person, today: datetime.date) -> int | None:
    born = person.birth_date
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def referral_profile(*, actor, referral: Referral) -> Profile:
    """The pseudonymised profile of the referral, its read recorded (the family links and the
    note are sensitive)."""
    person = referral.person
    will = getattr(getattr(person, "case", None), "governing_will", None)
    sensitive_reads_record(
        actor=actor, reads=[SensitiveRead(referral, "referral_profile", person=person)]
    )
    return Profile(
        pseudonym=pseudonym_of(person.registry_number),
        age=_age(person, timezone.localdate()),
        age_approximate=person.birth_date_precision != DatePrecision.EXACT,
        sex=person.get_sex_display(),
        health=person.get_health_status_display(),
        art110_category=person.get_art110_category_display() if person.art110_category else "",
        languages=person.languages,
        family_links=referral.family_links,
        will_outcome=will.get_wish_display() if will else "",
        will_certainty=will.certainty if will else None,
        will_expressed_on=will.expressed_on if will else None,
        note=referral.note,
    )


def shows_person(actor, referral: Referral) -> bool:
    """Whether `actor` may follow the referral to the person's own record: not a receiving
    state before it accepted him (`access.visibility`)."""
    return live_persons_visible_to(actor).filter(pk=referral.person_id).exists()


def persons_shown(actor, referrals: Iterable[Referral]) -> set[int]:
    """The ids of the referrals' persons `actor` may follow (`shows_person`), in one query."""
    ids = {referral.person_id for referral in referrals}
    return set(live_persons_visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
