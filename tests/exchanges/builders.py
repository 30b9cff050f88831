"""Persons at the exchange, each built through the services: who may go, and who may not."""

import datetime

from django.utils import timezone

from safepassage.cases.models import Wish
from safepassage.exchanges import services
from tests.cases.builders import awaiting_interview
from tests.factories import assess, record_will

ORIGIN = "RU"  # the other party's state: those we hold would be repatriated there
TRANSIT = "BY"


def returning(people, **fields):
    """Wishes to go home, verified in private, the agreement's transit state assessed for him:
    the guard lets him go (home itself, his own choice, needs no assessment)."""
    fields.setdefault("nationalities", (ORIGIN,))
    person = awaiting_interview(people, **fields)
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=(ORIGIN,),
                statement="I want to go home.")  # fmt: skip
    assess(people.legal_officer, person, TRANSIT)
    return person


def refusing(people, **fields):
    """Wants to go to Korea: his verified will refuses his state of origin."""
    fields.setdefault("nationalities", (ORIGIN,))
    person = awaiting_interview(people, **fields)
    record_will(people.interviewer, person, preferred=("KR",))
    return person


def wishes_elsewhere(people, **fields):
    """A Korean soldier who asks for Korea: he refuses his own state, not the other party's,
    yet handing him to the other party is not what he asked for."""
    fields.setdefault("nationalities", ("KP",))
    person = awaiting_interview(people, **fields)
    record_will(people.interviewer, person, preferred=("KR",))
    return person


def unverified(people, **fields):
    fields.setdefault("nationalities", (ORIGIN,))
    return awaiting_interview(people, **fields)


def high_risk(people, **fields):
    person = returning(people, **fields)
    assess(people.legal_officer, person, ORIGIN, persecution="high")
    return person


def transit_risk(people, **fields):
    person = returning(people, **fields)
    assess(people.legal_officer, person, TRANSIT, onward="high")
    return person


def agreement(people, **values):
    values = {
        "title": "Exchange 1 for 1", "other_party": "Other Bureau", "other_party_country": ORIGIN,
        "transit": [TRANSIT], "exchange_date": timezone.localdate() + datetime.timedelta(days=3),
        **values,
    }  # fmt: skip
    return services.agreement_create(actor=people.planner, **values)


def theirs(agreement, planner, ident, **fields):
    """One person of the other side's list."""
    from safepassage.exchanges.models import Candidate, MatchMethod, Side

    fields = {"category": "conscript", "name": f"Soldier {ident}", **fields}
    return Candidate.objects.create(
        agreement=agreement, side=Side.THEIRS, external_id=ident, match_method=MatchMethod.NONE,
        added_by=planner, **fields,
    )  # fmt: skip


def api_exchange_objects():
    """An agreed batch of alice's detaining power with one returning man (for the API matrix)."""
    from types import SimpleNamespace

    from safepassage.accounts.models import User

    by = {u.username: u for u in User.objects.all()}
    people = SimpleNamespace(registrar=by["alice"], interviewer=by["vera"],
                             legal_officer=by["lena"], planner=by["petro"])  # fmt: skip
    returning(people)
    agreement(people, title="An earlier agreement")
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    theirs(deal, people.planner, "T1")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    for target in ("proposed", "agreed"):
        services.batch_step(actor=people.planner, batch=batch, target=target, reason="Done.")
    return deal, batch, batch.entries.get(side="ours")
