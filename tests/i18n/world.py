"""One small world for the page walk: persons in several case states, a tracing request, a
duplicate pair and a planned exchange, built through the services as the product builds them.

Free text typed by users is kept out of the English of the catalog (reasons, statements), so
whatever English the walk finds on a page comes from the interface, not from the data.
"""

from types import SimpleNamespace

from safepassage.cases import services as case_services
from safepassage.exchanges import services as exchange_services
from safepassage.tracing import services as tracing_services
from tests.cases import builders as cases
from tests.exchanges import builders as exchanges
from tests.factories import record_will
from tests.tracing.tracing_data import mother_request, pair_of, propose, register_kim


def world_build(people) -> SimpleNamespace:
    registered = register_kim(people.registrar)  # Hangul and its DPRK romanization
    twin = register_kim(people.registrar)
    legal = cases.in_legal_assessment(people)
    withdrawn = record_will(people.interviewer, legal, certainty=60)
    decided = cases.decided(people)
    accepted = cases.accepted(people)
    scheduled, transfer = cases.scheduled(people)

    request = mother_request(people.interviewer)
    candidate = propose(request, registered)
    tracing_services.tracing_candidate_confirm(
        actor=people.interviewer, candidate=candidate, reason="Ким = 김"
    )
    open_request = mother_request(people.interviewer, family_name="Пак")
    propose(open_request, twin)
    propose(open_request, registered, probability=0.02)  # below the threshold: after the line
    pair = pair_of(registered, twin)

    exchanges.returning(people)
    exchanges.refusing(people)
    deal = exchanges.agreement(people, manifest_language="uk")
    exchange_services.pool_add_registry(actor=people.planner, agreement=deal)
    exchanges.theirs(deal, people.planner, "T1", name="Шевченко Тарас")
    batch = exchange_services.batch_plan(actor=people.planner, agreement=deal)
    case_services.will_expression_withdraw(
        actor=people.interviewer, will=withdrawn, reason="Помилка запису"
    )
    return SimpleNamespace(
        people=people, registered=registered, twin=twin, legal=legal, withdrawn=withdrawn,
        decided=decided, accepted=accepted, scheduled=scheduled, transfer=transfer,
        request=request, open_request=open_request, pair=pair, agreement=deal, batch=batch,
        candidate=deal.candidates.first(), entry=batch.entries.first(),
    )  # fmt: skip
