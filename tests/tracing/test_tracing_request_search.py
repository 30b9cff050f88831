"""The search proposes registered persons for a request, with per-field explanations, ranked
by the engine over the persons the reviewer may see — and never anyone else."""

import pytest

from safepassage.access import policy
from safepassage.accounts.models import OrganisationKind, Role
from safepassage.audit.models import AuditEvent
from safepassage.lib.errors import DomainError
from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import selectors, services
from safepassage.tracing.models import CandidateStatus
from tests.factories import register
from tests.tracing.tracing_data import mother_request, register_kim

pytestmark = pytest.mark.django_db


def _search(people, request):
    return services.tracing_request_search(actor=people.interviewer, request=request)


def test_a_mother_writing_in_cyrillic_finds_her_son_registered_in_hangul_and_latin(people):
    kim = register_kim(people.registrar)
    register(people.registrar, family="Pak", given="Yong Nam", birth_date=None)
    candidates = _search(people, mother_request(people.interviewer))
    assert candidates and candidates[0].person == kim
    best = candidates[0]
    assert 0 < best.probability <= 1 and best.status == CandidateStatus.PROPOSED
    fields = {item["field"] for item in best.explanation}
    assert "family_name" in fields
    assert all({"field", "left", "right", "level", "weight"} <= set(i) for i in best.explanation)


def test_a_southern_lee_finds_a_northern_ri(people):
    ri = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Ri", given_name="Kyong Chol", romanization="dprk")],
        nationalities=["KP"],
        unit="Unit 5501",
    )
    request = mother_request(
        people.interviewer, requester_kind="organisation", requester_name="Seoul tracing office",
        family_name="Lee", given_name="Kyung-chul", birth_date="", unit="Unit 5501",
    )  # fmt: skip
    candidates = _search(people, request)
    assert [c.person for c in candidates][:1] == [ri]


def test_the_explanation_reads_in_plain_words(people):
    register_kim(people.registrar)
    candidate = _search(people, mother_request(people.interviewer))[0]
    reasons = selectors.explanation_in_words(candidate.explanation)
    assert reasons and all(r.words and r.label for r in reasons)
    assert any(r.supports for r in reasons)
    assert reasons == sorted(reasons, key=lambda r: -abs(r.weight))


def test_a_search_again_keeps_the_verdicts(people):
    kim = register_kim(people.registrar)
    request = mother_request(people.interviewer)
    candidate = _search(people, request)[0]
    services.tracing_candidate_reject(actor=people.interviewer, candidate=candidate, reason="No.")
    again = {c.person_id: c for c in _search(people, request)}
    assert again[kim.pk].status == CandidateStatus.REJECTED
    assert AuditEvent.objects.filter(action="tracing.request_search").count() == 2


def test_only_an_open_request_is_searched(people):
    request = mother_request(people.interviewer)
    services.tracing_request_close(actor=people.interviewer, request=request, reason="Withdrawn.")
    with pytest.raises(DomainError):
        _search(people, request)


def test_merged_records_are_not_proposed(people):
    from safepassage.tracing.services import duplicate_pair_decide
    from tests.tracing.tracing_data import pair_of

    kim = register_kim(people.registrar)
    twin = register_kim(people.registrar)
    duplicate_pair_decide(
        actor=people.registrar, pair=pair_of(kim, twin), same=True, reason="One man.",
        survivor=kim,
    )  # fmt: skip
    persons = [c.person for c in _search(people, mother_request(people.interviewer))]
    assert kim in persons and twin not in persons


def test_persons_the_reviewer_may_not_see_are_never_proposed(people, orgs, monkeypatch):
    """Were the policy ever to let a detaining power trace, its staff would be proposed only
    the persons it holds: the search ranks over `persons_visible_to`, nothing else."""
    ours = register_kim(people.registrar)
    theirs = register_kim(people.outsider)  # an exact twin, held by another detaining power
    rules = dict(policy._RULES)
    rules[policy.Action.TRACING_HANDLE] = [({OrganisationKind.DETAINING_POWER}, {Role.REGISTRAR})]
    monkeypatch.setattr(policy, "_RULES", rules)
    request = mother_request(people.registrar)
    persons = [
        c.person for c in services.tracing_request_search(actor=people.registrar, request=request)
    ]
    assert ours in persons and theirs not in persons
    # And candidates are read back through the same filter.
    from safepassage.tracing.models import TracingCandidate

    TracingCandidate.objects.create(request=request, person=theirs, probability=0.99)
    shown = [c.person for c in selectors.candidates_of(actor=people.registrar, request=request)]
    assert theirs not in shown
