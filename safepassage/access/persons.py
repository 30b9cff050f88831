"""The person a request names, if its user may see him and do the action: 404 or 403 otherwise."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from safepassage.access.policy import Action, can
from safepassage.access.visibility import persons_visible_to, survivor_for
from safepassage.registry.models import Person


def person_for(
    user, registry_number: str | None = None, action: Action = Action.PERSON_VIEW, *, pk=None
) -> Person:
    """The person (by registry number, or by `pk`), if `user` may do `action` on him: 404 when
    he is not visible, 403 otherwise.

    Invisible persons answer 404, so their existence does not leak. A record merged into
    another (a duplicate) resolves to the survivor, who holds its names and guard facts.
    """
    lookup = {"pk": pk} if pk is not None else {"registry_number": registry_number}
    visible = persons_visible_to(user)
    try:
        # His case, detaining power and place come with him: every page about him shows them.
        found = visible.select_related(
            "case", "case__legal_organisation", "detaining_organisation", "place"
        ).get(**lookup)
        person = survivor_for(found, among=visible)
    except (Person.DoesNotExist, ValueError):
        raise Http404 from None
    # Read through persons_visible_to(user): see can_see_person.
    person._visible_to = getattr(user, "pk", None)
    if action != Action.PERSON_VIEW and not can(user, action, person):
        raise PermissionDenied
    return person
