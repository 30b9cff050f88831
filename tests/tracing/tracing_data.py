"""Tracing requests and candidates for tests, made through the services."""

from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import services
from safepassage.tracing.models import TracingCandidate

CONTACT_MARKER = "MRK-CONTACT-Kim-Ok-Sun-Pyongyang-4471"


def register_kim(registrar, **fields):
    """Kim Chol Su, as a DPRK list and the Hangul write him, born 1999-04 (month known)."""
    import datetime

    return person_register(
        actor=registrar,
        names=[
            NameInput(family_name="김", given_name="철수"),
            NameInput(family_name="Kim", given_name="Chol Su", romanization="dprk"),
        ],
        nationalities=["KP"],
        **{
            "birth_date": datetime.date(1999, 4, 1),
            "birth_date_precision": "month",
            "unit": "Unit 1124",
            "internment_place": "Camp West-3",
        }
        | fields,
    )


def register_kuznetsov(registrar, *, year=1995, **fields):
    """Kuznetsov Aleksei Ivanovich, registered in Cyrillic from his papers, born on 14 March."""
    import datetime

    return person_register(
        actor=registrar,
        names=[NameInput(family_name="Кузнецов", given_name="Алексей Иванович")],
        nationalities=["RU"],
        birth_date=datetime.date(year, 3, 14),
        birth_date_precision="exact",
        **fields,
    )


def brother_request(interviewer, **fields):
    """His brother writes the name exactly as the registry has it, and a year of birth."""
    values = {
        "requester_kind": "family",
        "requester_name": "Кузнецов Пётр",
        "requester_relationship": "brother",
        "family_name": "Кузнецов",
        "given_name": "Алексей Иванович",
        "birth_date": "1997",
        "nationality": "RU",
    }
    return services.tracing_request_record(actor=interviewer, **(values | fields))


def mother_request(interviewer, **fields):
    """His mother writes his name in Cyrillic, as a Russian list would."""
    values = {
        "requester_kind": "family",
        "requester_name": "Ким Ок Сун",
        "requester_relationship": "mother",
        "requester_contact": CONTACT_MARKER,
        "family_name": "Ким",
        "given_name": "Чхоль Су",
        "birth_date": "1999",
        "nationality": "KP",
    }
    return services.tracing_request_record(actor=interviewer, **(values | fields))


def propose(request, person, probability=0.9) -> TracingCandidate:
    """A candidate as the engine would leave it (for review tests that need no search)."""
    return TracingCandidate.objects.create(
        request=request,
        person=person,
        probability=probability,
        explanation=[
            {"field": "family_name", "left": "Ким", "right": "김", "level": "exact", "weight": 6.1}
        ],
    )


def pair_of(first, second, probability=0.97):
    """A queued pair as the refresh would leave it (for merge tests that need no engine)."""
    from safepassage.tracing.models import DuplicatePair

    left, right = sorted([first, second], key=lambda p: p.pk)
    return DuplicatePair.objects.create(
        left=left, right=right, probability=probability,
        explanation=[{"field": "given_name", "left": "Chol Su", "right": "철수",
                      "level": "equivalent", "weight": 5.2}],
    )  # fmt: skip


def api_tracing_objects(person):
    """vera's request for `person` and its candidate, made once per test."""
    from safepassage.accounts.models import User
    from safepassage.tracing.models import TracingRequest

    vera = User.objects.get(username="vera")
    request = TracingRequest.objects.filter(organisation=vera.organisation).first()
    if request is None:
        request = mother_request(vera)
        propose(request, person)
    return request, request.candidates.get()
