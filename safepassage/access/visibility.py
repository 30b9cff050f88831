"""Which persons a user has a need to know about, and the record that stands for a merged one.

The one place that answers "may he see this person?": the policy's person actions, every list
and every lookup by number or id start here.
"""

from django.db.models import Q, QuerySet

from safepassage.accounts.models import OrganisationKind as Org
from safepassage.registry.models import Person


def persons_visible_to(user) -> QuerySet[Person]:
    """The persons `user` has a need to know about; none for the inactive or organisation-less.

    Detaining power: those it holds. Neutral verifier: all (it visits every prisoner and runs
    the Central Agency). Receiving state: those whose latest verified will names it, and those
    it accepted on a referral.
    Legal NGO: the cases it represents. Records merged into another are included: their numbers
    lead to the survivor (`person_for`).
    """
    organisation = getattr(user, "organisation", None)
    if (
        not getattr(user, "is_authenticated", False)
        or not getattr(user, "is_active", False)
        or organisation is None
    ):
        return Person.objects.none()
    if organisation.kind == Org.DETAINING_POWER:
        return Person.objects.filter(detaining_organisation=organisation)
    if organisation.kind == Org.NEUTRAL_VERIFIER:
        return Person.objects.all()
    if organisation.kind == Org.RECEIVING_STATE:
        # Two-letter codes stored comma-separated: a substring match is an exact code match.
        # And those it accepted on a referral (referrals.models): it must know whom it takes.
        accepted = Person.objects.filter(
            referrals__organisation=organisation, referrals__state="accepted"
        )
        return Person.objects.filter(
            Q(case__governing_will__destinations_preferred__contains=organisation.country.code)
            | Q(pk__in=accepted.values("pk"))
        )
    if organisation.kind == Org.LEGAL_NGO:
        return Person.objects.filter(case__legal_organisation=organisation)
    return Person.objects.none()


def live_persons_visible_to(user) -> QuerySet[Person]:
    """The persons `user` may see that stand for themselves: no record merged into another (a
    duplicate) — lists, searches, reports and exports count each man once."""
    return persons_visible_to(user).filter(merged_into__isnull=True)


def can_see_person(user, person: Person) -> bool:
    # A person loaded by `person_for` for this user is visible to him: the page's further
    # checks (buttons, menus) need not ask the database again for the same object.
    uid = getattr(user, "pk", None)
    if uid is not None and getattr(person, "_visible_to", None) == uid:
        return True
    return persons_visible_to(user).filter(pk=person.pk).exists()


def survivor_for(
    person: Person, *, among: QuerySet[Person] | None = None, fresh: bool = False
) -> Person:
    """The record that stands for `person`: himself, or the survivor of the merge that absorbed
    him (a merge re-points earlier ones, so one step reaches it).

    `among` is where the survivor is looked up (a reader's visible persons: `DoesNotExist` when
    he is not there); `fresh` reads the merge from the database rather than the loaded object.
    """
    merged_into_id = person.merged_into_id
    if fresh:
        merged_into_id = (
            Person.objects.filter(pk=person.pk).values_list("merged_into", flat=True).get()
        )
    if merged_into_id is None:
        return person
    return (Person.objects if among is None else among).get(pk=merged_into_id)
