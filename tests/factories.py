"""Small builders for tests. Data is made through the services, as the product makes it."""

import datetime
import itertools

from django.utils import timezone

from safepassage.accounts.models import Organisation, RoleAssignment, User
from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, DecisionKind, InterviewSetting, WillSource, Wish
from safepassage.registry.services import NameInput, person_register

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_org(name: str, kind: str, country: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, country=country)


def make_user(organisation: Organisation | None, *roles: str, username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password=PASSWORD, organisation=organisation
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in roles)
    return user


def register(registrar, *, family="Kim", given="Chol Su", nationalities=("KP",), **fields):
    return person_register(
        actor=registrar,
        names=[NameInput(family_name=family, given_name=given)],
        nationalities=list(nationalities),
        **fields,
    )


def record_will(
    interviewer,
    person,
    *,
    wish=Wish.NAMED_STATES,
    preferred=("KR",),
    refused=(),
    certainty=80,
    verified=True,
    statement="I want to live in Seoul.",
):
    return case_services.will_expression_record(
        actor=interviewer,
        person=person,
        expressed_on=timezone.localdate(),
        source=WillSource.PRIVATE_VERIFICATION_INTERVIEW
        if verified
        else WillSource.PRESS_INTERVIEW,
        setting=InterviewSetting.PRIVATE if verified else InterviewSetting.PUBLIC,
        wish=wish,
        destinations_preferred=list(preferred),
        destinations_refused=list(refused),
        certainty=certainty,
        statement=statement,
    )


def assess(legal_officer, person, country, persecution="low", onward="low"):
    return case_services.risk_assessment_record(
        actor=legal_officer,
        person=person,
        country=country,
        persecution_risk=persecution,
        onward_transfer_risk=onward,
        basis="Country reports and the interview record.",
    )


def step(actor, person, target, reason="Done."):
    return case_services.case_transition(actor=actor, person=person, target=target, reason=reason)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def drive_to_decision(people, person, destination="KR", kind=DecisionKind.TRANSFER):
    """Take a registered person through notification, verified will and assessment to a decision."""
    case_services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    record_will(
        people.interviewer, person, preferred=(destination,) if kind != "repatriation" else ()
    )
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    assess(people.legal_officer, person, destination)
    return case_services.decision_take(
        actor=people.decision_maker,
        person=person,
        kind=kind,
        destination=destination,
        reason="Free will verified; no risk found.",
    )
