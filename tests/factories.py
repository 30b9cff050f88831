"""Small builders for tests. Data is made through the services, as the product makes it."""

import datetime
import itertools
import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from safepassage.accounts.models import Organisation, RoleAssignment, User
from safepassage.cases import services as case_services
from safepassage.cases import workflow as case_workflow
from safepassage.cases.models import CaseState, DecisionKind, InterviewSetting, WillSource, Wish
from safepassage.registry.services import NameInput, person_register

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_org(name: str, kind: str, country: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, country=country)


# Every test account has enrolled an authenticator app with this secret (base32), as every real
# account must before it may do anything (safepassage.accounts.middleware).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(
    organisation: Organisation | None,
    *roles: str,
    username: str | None = None,
    mfa: bool = True,
) -> User:
    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password=PASSWORD, organisation=organisation
    )
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in roles)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret: str = TOTP_SECRET, *, offset: int = 0) -> str:
    """The authenticator app's current code (`offset` periods away)."""
    counter = int(time.time()) // 30 + offset
    return format_hotp_value(hotp_value(secret, counter))


def force_login_fresh(client, user) -> None:
    """`client.force_login`, and the record allauth keeps of a login just made: the session may
    take the actions that ask for a recent login (accounts.reauth)."""
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "username": user.username}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def login_age(client, seconds: float) -> None:
    """Move the session's record of its password and code `seconds` into the past, as if the
    login were that old (accounts.reauth then asks again)."""
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds} for record in records
    ]
    session.save()


def login_with_mfa(client, username: str, password: str = PASSWORD, **extra):
    """Log in as a person does: password, then the authenticator code. Returns the last answer.

    A code opens one login only (allauth remembers used codes for a period); tests log in many
    times a period, so the mark is forgotten here. tests/accounts/test_mfa.py proves the rule.
    """
    client.post(reverse("login"), {"login": username, "password": password}, **extra)
    code = totp_code()
    response = client.post(reverse("mfa_authenticate"), {"code": code}, **extra)
    user = User.objects.get(username=username)
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return response


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


# The facts a death, release or escape asks for, as a registrar would give them.
STEP_FACTS = {
    CaseState.DECEASED: {"place": "Camp infirmary", "cause": "Wounds", "certified_by": "Dr Roe"},
    CaseState.RELEASED: {"place": "Camp gate", "circumstances": "Status review."},
    CaseState.ESCAPED: {"place": "Camp fence", "circumstances": "Missing at roll call."},
}


def step(actor, person, target, reason="Done."):
    """Take a plain step; a death, release, escape or closure with its facts, confirmed."""
    facts = {}
    if target in case_workflow.IRREVERSIBLE:
        facts = {"confirmed": True, **STEP_FACTS.get(target, {})}
        if target in STEP_FACTS:
            facts["occurred_on"] = timezone.localdate()
    return case_services.case_transition(
        actor=actor, person=person, target=target, reason=reason, **facts
    )


def handover(transfer, **facts):
    """The facts of a handover today, confirmed (with a reason when before the scheduled day)."""
    today = timezone.localdate()
    early = "Brought forward by the parties." if transfer.scheduled_for > today else ""
    return {"handed_over_on": today, "transport": "ICRC bus", "early_reason": early,
            "confirmed": True, **facts}  # fmt: skip


def execute(actor, transfer, **facts):
    """Record the transfer as executed today, through the service, with its facts."""
    return case_services.transfer_execute(
        actor=actor, transfer=transfer, **handover(transfer, **facts)
    )


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


def post_confirmed(client, url, data):
    """Post a step that cannot be undone as a person does: its facts, then the confirmation
    page's button. A refusal of the facts comes back as the form, unconfirmed."""
    review = client.post(url, data)
    if review.status_code != 200 or "confirmation" not in (review.context or {}):
        return review
    return client.post(url, {"confirmation": review.context["confirmation"], "confirm": "1"})


def handover_json(**facts):
    """The API body of an executed transfer handed over today, before its day, confirmed."""
    body = {"handed_over_on": str(timezone.localdate()), "transport": "ICRC bus"}
    return {**body, "early_reason": "Brought forward by the parties.", "confirm": True, **facts}


def audited_changes(event) -> dict:
    """An audit event's changes with the values sealed for its person opened."""
    from safepassage.audit.sealing import changes_opened, person_keys_of

    ring = person_keys_of([event.person_id]).get(event.person_id)
    return changes_opened(event.changes, event.person_id, ring, erased="(erased)")
