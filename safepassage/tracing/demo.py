"""Demo tracing requests and the duplicates queue, written through the services.

A mother writes her son's name in Cyrillic; a Seoul office writes "Lee" for a registry's "Ri";
an organisation gives a full name in unknown order; a brother writes a name exactly as the
registry has it, with a year of birth two years off. Fictional throughout.
"""

from safepassage.registry.models import Person, PersonName, Romanization, Script
from safepassage.tracing import services
from safepassage.tracing.models import Consent, DisclosureItem, RequesterKind


def _birth_year(person: Person) -> str:
    return f"{person.birth_date.year:04d}" if person.birth_date else ""


def tracing_seed(cast, story: list[str]) -> None:
    """Tracing requests for the story's soldiers and a "Lee" for a "Ri"; the duplicates queue."""
    agent = cast.users["verifier-interviewer"]
    wounded, undecided = (Person.objects.get(registry_number=n) for n in story)

    # His mother writes in Cyrillic, the given name joined, as she would spell it.
    cyrillic = wounded.names.filter(script=Script.CYRILLIC, is_assumed_identity=False).first()
    mother = services.tracing_request_record(
        actor=agent, requester_kind=RequesterKind.FAMILY, requester_name="Кан Мён Сук (demo)",
        requester_relationship="mother",
        requester_contact="Through the family-links office of the national society (demo)",
        language="ru", family_name=cyrillic.family_name,
        given_name=cyrillic.given_name.replace(" ", ""), birth_date=_birth_year(wounded),
        nationality="KP", last_seen_place="Kursk region", last_seen_date="2024-12",
        circumstances="Sent to Russia in autumn 2024; no letter since December (demo).",
    )  # fmt: skip
    found = services.tracing_request_search(actor=agent, request=mother)
    son = next((c for c in found if c.person_id == wounded.pk), None)
    if son is not None:
        services.tracing_candidate_confirm(
            actor=agent, candidate=son,
            reason="Same family name and given name across scripts, same year of birth; the "
            "verification interview confirms his mother's name.",
        )  # fmt: skip
        # He refuses return: she may be told that he is alive and registered, nothing more.
        services.tracing_requester_inform(
            actor=agent, request=mother, items=[DisclosureItem.ALIVE_REGISTERED],
            consent=Consent.GIVEN, channel="letter through the national society",
            message="Your son is alive and registered as a prisoner of war.",
        )  # fmt: skip

    # A Seoul office writes the Southern "Lee" for a man the registry has as "Ri".
    ri = (
        PersonName.objects.filter(
            family_name="Ri", romanization=Romanization.DPRK, person__merged_into__isnull=True
        )
        .select_related("person")
        .order_by("person__registry_number")
        .first()
    )
    if ri is not None:
        lee = services.tracing_request_record(
            actor=agent, requester_kind=RequesterKind.ORGANISATION,
            requester_name="Separated families desk, Seoul (demo)",
            requester_relationship="on behalf of his uncle in the Republic of Korea",
            requester_contact="desk@example.org (demo)", language="ko", family_name="Lee",
            given_name=ri.given_name.replace(" ", "-"), birth_date=_birth_year(ri.person),
            nationality="KP",
        )  # fmt: skip
        services.tracing_request_search(actor=agent, request=lee)

    # An organisation knows only a full name, in unknown order and another romanization.
    latin = undecided.names.filter(romanization=Romanization.DPRK).first()
    if latin is not None:
        full = services.tracing_request_record(
            actor=agent, requester_kind=RequesterKind.ORGANISATION,
            requester_name="Humanitarian hotline (demo)", requester_contact="+41 00 000 00 00",
            full_name=f"{latin.given_name.replace(' ', '')} {latin.family_name}",
            birth_date=_birth_year(undecided),
        )  # fmt: skip
        services.tracing_request_search(actor=agent, request=full)

    # A brother writes the name exactly as the registry has it in Cyrillic, the year two off:
    # the date weighs against him, the name keeps him among the candidates.
    exact = (
        PersonName.objects.filter(
            script=Script.CYRILLIC, is_assumed_identity=False, person__merged_into__isnull=True,
            person__birth_date__isnull=False,
        )
        .exclude(person__in=[wounded, undecided])
        .select_related("person")
        .order_by("person__registry_number", "pk")
        .first()
    )  # fmt: skip
    if exact is not None:
        brother = services.tracing_request_record(
            actor=agent, requester_kind=RequesterKind.FAMILY,
            requester_name="Brother of the man sought (demo)", requester_relationship="brother",
            language="ru", family_name=exact.family_name, given_name=exact.given_name,
            birth_date=f"{exact.person.birth_date.year + 2:04d}",
        )  # fmt: skip
        services.tracing_request_search(actor=agent, request=brother)

    services.duplicate_queue_refresh()
