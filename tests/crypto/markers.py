"""Records with a unique marker string in every encrypted field, made through the services."""

from django.utils import timezone

from safepassage.cases import services
from safepassage.cases.models import InterviewSetting, WillSource, Wish
from safepassage.registry.services import person_update
from tests.factories import register

MARKERS = {
    "next_of_kin": "MRK-NEXTOFKIN-Q7Z1",
    "next_of_kin_updated": "MRK-NEXTOFKIN-UPDATED-W2X8",
    "statement": "MRK-STATEMENT-K4P9",
    "present": "MRK-PRESENT-J3M6",
    "interpreter": "MRK-INTERPRETER-V5N2",
    "withdrawn_reason": "MRK-WITHDRAWN-H8R4",
    "basis": "MRK-BASIS-T6Y3",
    "requester_name": "MRK-REQUESTER-NAME-F2G7",
    "requester_contact": "MRK-REQUESTER-CONTACT-L9B5",
    "circumstances": "MRK-CIRCUMSTANCES-P4E1",
    "disclosure_message": "MRK-DISCLOSURE-MESSAGE-Z8U3",
}
# A plain (unencrypted) field: it must show up, or the search for markers proves nothing.
PLAIN_MARKER = "MRK-PLAIN-BIRTHPLACE-C9D0"


def sensitive_records(*, registrar, interviewer, legal_officer):
    """A person, a witnessed and withdrawn will and an assessment carrying every marker."""
    person = register(registrar, next_of_kin=MARKERS["next_of_kin"], birth_place=PLAIN_MARKER)
    person = person_update(
        actor=registrar,
        person=person,
        expected_version=person.version,
        next_of_kin=MARKERS["next_of_kin_updated"],
    )
    services.legal_organisation_assign(
        actor=registrar, person=person, organisation=legal_officer.organisation
    )
    will = services.will_expression_record(
        actor=interviewer,
        person=person,
        expressed_on=timezone.localdate(),
        source=WillSource.OFFICIAL_INTERVIEW,
        setting=InterviewSetting.WITNESSED,
        wish=Wish.NAMED_STATES,
        destinations_preferred=["KR"],
        certainty=70,
        statement=MARKERS["statement"],
        present=MARKERS["present"],
        interpreter=MARKERS["interpreter"],
    )
    services.will_expression_withdraw(
        actor=interviewer, will=will, reason=MARKERS["withdrawn_reason"]
    )
    assessment = services.risk_assessment_record(
        actor=legal_officer,
        person=person,
        country="KR",
        persecution_risk="low",
        onward_transfer_risk="low",
        basis=MARKERS["basis"],
    )
    return person, will, assessment


def tracing_sensitive_records(*, person, interviewer):
    """A tracing request for `person` whose requester and told message carry the markers."""
    from safepassage.tracing import services as tracing
    from safepassage.tracing.models import TracingCandidate

    request = tracing.tracing_request_record(
        actor=interviewer,
        requester_kind="family",
        requester_name=MARKERS["requester_name"],
        requester_contact=MARKERS["requester_contact"],
        circumstances=MARKERS["circumstances"],
        family_name="Kim",
    )
    candidate = TracingCandidate.objects.create(request=request, person=person, probability=0.9)
    tracing.tracing_candidate_confirm(actor=interviewer, candidate=candidate, reason="Him.")
    tracing.tracing_requester_inform(
        actor=interviewer, request=request, items=["alive_registered"], consent="not_asked",
        message=MARKERS["disclosure_message"],
    )  # fmt: skip
    return request


def markers_found(data: bytes) -> list[str]:
    """The markers present in `data`, in any letter case."""
    lowered = data.lower()
    return [m for m in MARKERS.values() if m.lower().encode() in lowered]
