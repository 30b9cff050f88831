"""The access policy: who may see and do what. Deny by default.

Views, console commands, the API and exports all ask here; nothing else decides access. Which
persons a user sees is `access.visibility`; the person a request names, `access.persons`.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from safepassage.access.visibility import can_see_person
from safepassage.accounts.models import OrganisationKind as Org
from safepassage.accounts.models import Role
from safepassage.registry.models import Person


class Action(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_REGISTER = "person.register"
    PERSON_EDIT = "person.edit"
    NEXT_OF_KIN_VIEW = "person.next_of_kin"
    WILL_RECORD = "will.record"
    WILL_WITHDRAW = "will.withdraw"
    WILL_DETAILS = "will.details"  # wish, destinations preferred and refused, certainty
    WILL_INTERVIEW = "will.interview"  # setting, who was present, interpreter, language
    WILL_STATEMENT = "will.statement"
    ASSESS = "assessment.record"
    ASSESSMENT_BASIS = "assessment.basis"
    LEGAL_ASSIGN = "case.legal_assign"
    DECIDE = "decision.take"
    ACCEPT = "acceptance.record"
    DECLINE = "acceptance.decline"  # the receiving state declines him: back to decision
    TRANSFER_SCHEDULE = "transfer.schedule"
    TRANSFER_EXECUTE = "transfer.execute"
    AUDIT_VIEW = "audit.view"
    MEMBERS_VIEW = "organisation.members"
    # Add members of his own organisation, set their roles, disable them, reset their second
    # factors (accounts.services; the reset after re-authentication).
    MEMBERS_MANAGE = "organisation.members_manage"
    # Tracing (docs/tracing.md): the Central Tracing Agency's requests, and registry duplicates.
    TRACING_HANDLE = "tracing.handle"  # record a request, see its candidates, confirm or reject
    TRACING_INFORM = "tracing.inform"  # record what the requester was told
    DUPLICATE_REVIEW = "registry.duplicates"  # the duplicates queue: same person or not, merge
    # Exchanges (docs/exchanges.md).
    EXCHANGE_VIEW = "exchange.view"  # agreements, pools, batches, exclusions and reasons
    EXCHANGE_PLAN = "exchange.plan"  # agreements, pools, planning, workflow, handover
    EXCHANGE_REFUSAL = "exchange.refusal"  # a last-minute refusal at the handover
    # Exports (docs/exports.md): pseudonymised by default; names and identity only with
    # EXPORT_IDENTIFIED, and then after re-authentication. Every export is audited.
    EXPORT_DOCUMENT = "export.document"  # capture card and case summary of a person he sees
    EXPORT_NOTIFICATIONS = "export.notifications"  # the GC III Art. 122-123 notification list
    EXPORT_IDENTIFIED = "export.identified"  # names and identity in any of them
    # Reports (docs/reports.md): the dashboard's figures, each computed over the persons the
    # user may see; will outcomes also need WILL_DETAILS, exchanges EXCHANGE_VIEW, tracing
    # TRACING_HANDLE.
    REPORTS_VIEW = "reports.view"
    # The case's plain steps (cases/workflow.py); the steps a service takes with its own record
    # ask that service's action (DECIDE, ACCEPT, TRANSFER_SCHEDULE, TRANSFER_EXECUTE).
    CASE_NOTIFY = "case.notify"  # notified to the Central Agency (GC III Art. 122-123)
    CASE_INTERVIEW_REQUEST = "case.interview_request"  # a private verification interview
    CASE_WILL_MARK_RECORDED = "case.will_mark_recorded"
    CASE_WILL_MARK_VERIFIED = "case.will_mark_verified"
    CASE_LEGAL_OPEN = "case.legal_open"  # open the legal assessment
    CASE_CUSTODY_END = "case.custody_end"  # his death (Art. 120), release or escape
    CASE_CLOSE = "case.close"
    # Take back a death, release, escape or closure recorded in error, by a recorded correction
    # (never an executed transfer: that moved him; docs/guard.md#corrections).
    CASE_CORRECT = "case.correct"
    # Places of internment and visits (docs/visits.md, docs/security-model.md#visits). A
    # detaining power sees its own places and the visits to them (dates, place, state and,
    # once shared, the report); only the visiting verifier sees the team, the list, the
    # interviews and the report before it is shared.
    PLACE_VIEW = "place.view"
    PLACE_EDIT = "place.edit"  # the region of one of its places
    VISIT_VIEW = "visit.view"
    VISIT_PLAN = "visit.plan"  # plan, team, list to see, steps, report
    VISIT_INTERVIEW = "visit.interview"  # record and read the interviews of a visit
    # Remove a document: the edge of `documents.workflow`; `access.documents` then decides per
    # kind and organisation (`can_change_document`).
    DOCUMENT_REMOVE = "document.remove"
    # The seriously wounded and sick (docs/medical.md): Mixed Medical Commissions, examinations,
    # findings and consent. A receiving state reads nothing medical unless he agreed to share
    # it, and a detaining power's doctor reads findings only of a commission he sits on
    # (`can_on_medical`).
    MEDICAL_VIEW = "medical.view"  # his track: presented, the category found, his consent
    MEDICAL_FINDINGS = "medical.findings"  # what the commission found, in its words
    MEDICAL_PRESENT = "medical.present"  # record that he is presented (Art. 113)
    MEDICAL_EXAMINE = "medical.examine"  # record an examination: a member of the commission
    MEDICAL_CONSENT = "medical.consent"  # his answer to the finding, in a private interview
    COMMISSION_VIEW = "commission.view"
    COMMISSION_MANAGE = "commission.manage"  # appoint a commission, its members, its places
    # Referrals to receiving states (docs/referrals.md, docs/security-model.md#referrals): a
    # receiving state sees only the referrals to itself and their pseudonymised profile.
    REFERRAL_VIEW = "referral.view"
    REFERRAL_MAKE = "referral.make"  # refer him, answer the state's questions, withdraw
    REFERRAL_ANSWER = "referral.answer"  # the receiving state: accept, decline, ask
    # His capture card choice (GC III Art. 70, docs/family.md): whether a card goes to his
    # family and whether their address may be written on it; the verifier's, in private.
    CAPTURE_CARD_CHOICE = "family.capture_card_choice"
    # Family messages (GC III Art. 71, 76; docs/family.md#family-messages): read, written,
    # forwarded and delivered through the neutral verifier, with his choice of correspondents;
    # censored, where the detaining power's agreement allows it, by its registrars only
    # (`can_on_family_message`). Everyone else sees nothing of them.
    FAMILY_MESSAGES = "family.messages"
    FAMILY_CENSOR = "family.censor"
    # After a transfer (docs/followup.md): the receiving state's reception and steps, the
    # verifier's follow-up contacts, their alert, and the onward-removal reports as evidence.
    FOLLOWUP_VIEW = "followup.view"  # the reception; the contacts only for the verifier and NGO
    RECEPTION_RECORD = "followup.reception"  # the receiving state: arrival and its steps
    FOLLOWUP_RECORD = "followup.contact"  # schedule and record the follow-up contacts
    FOLLOWUP_ALERT = "followup.alert"  # alerted to a report of onward removal or risk
    ONWARD_EVIDENCE = "followup.onward_evidence"  # onward-removal reports of a state


# Who may do each action on a person he can see: any of the grants, each a pair
# (organisation kinds, roles) that both must match.
Grant = tuple[set[str], set[str]]
_RULES: dict[Action, list[Grant]] = {
    Action.PERSON_REGISTER: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    Action.PERSON_EDIT: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    Action.NEXT_OF_KIN_VIEW: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    Action.WILL_RECORD: [
        (
            {Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO},
            {Role.INTERVIEWER, Role.LEGAL_OFFICER},
        ),
    ],
    Action.WILL_WITHDRAW: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.WILL_DETAILS: [
        (
            {Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO},
            {Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.DECISION_MAKER},
        ),
        # The detaining power's decision maker must know where he asks to go, not why.
        ({Org.DETAINING_POWER}, {Role.DECISION_MAKER}),
    ],
    Action.WILL_INTERVIEW: [
        (
            {Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO},
            {Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.DECISION_MAKER},
        ),
    ],
    Action.WILL_STATEMENT: [
        ({Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO}, {Role.INTERVIEWER, Role.LEGAL_OFFICER}),
    ],
    Action.ASSESS: [({Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO}, {Role.LEGAL_OFFICER})],
    Action.ASSESSMENT_BASIS: [
        (
            {Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO},
            {Role.LEGAL_OFFICER, Role.DECISION_MAKER, Role.INTERVIEWER},
        ),
    ],
    Action.LEGAL_ASSIGN: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    Action.DECIDE: [({Org.DETAINING_POWER}, {Role.DECISION_MAKER})],
    Action.ACCEPT: [({Org.RECEIVING_STATE}, {Role.DECISION_MAKER})],
    Action.DECLINE: [({Org.RECEIVING_STATE}, {Role.DECISION_MAKER})],
    Action.TRANSFER_SCHEDULE: [({Org.DETAINING_POWER}, {Role.EXCHANGE_PLANNER})],
    Action.TRANSFER_EXECUTE: [({Org.DETAINING_POWER}, {Role.EXCHANGE_PLANNER})],
    Action.AUDIT_VIEW: [(set(Org.values), {Role.AUDITOR})],
    Action.MEMBERS_VIEW: [(set(Org.values), {Role.ADMINISTRATOR})],
    Action.MEMBERS_MANAGE: [(set(Org.values), {Role.ADMINISTRATOR})],
    # The Central Tracing Agency (GC III Art. 123) is the neutral verifier's: only its staff see
    # tracing requests, who asked and how to reach them. Detaining powers answer through it.
    Action.TRACING_HANDLE: [({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER})],
    Action.TRACING_INFORM: [({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER})],
    # A merge rewrites the detaining power's registry: its registrars, over the persons it holds.
    Action.DUPLICATE_REVIEW: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    # The other party has no account: it receives manifests, which list entries only.
    Action.EXCHANGE_VIEW: [
        ({Org.DETAINING_POWER}, {Role.EXCHANGE_PLANNER, Role.DECISION_MAKER, Role.INTERVIEWER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER}),
    ],
    Action.EXCHANGE_PLAN: [({Org.DETAINING_POWER}, {Role.EXCHANGE_PLANNER})],
    Action.EXCHANGE_REFUSAL: [({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    # Exports (docs/exports.md, justified in docs/security-model.md#exports). A document holds
    # no more than its reader sees on screen, masked the same way.
    Action.EXPORT_DOCUMENT: [
        (
            set(Org.values),
            {Role.REGISTRAR, Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.DECISION_MAKER},
        ),
    ],
    # The National Information Bureau (the detaining power's registrars) notifies; the Central
    # Agency (the neutral verifier's tracing staff) forwards (GC III Art. 122-123).
    Action.EXPORT_NOTIFICATIONS: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    # Names leave the system only with those whose legal task is to pass them on: the Bureau's
    # and the Agency's registrars. Everyone else exports pseudonyms.
    Action.EXPORT_IDENTIFIED: [({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR})],
    # Aggregates for those who steer the caseload: every organisation's decision makers, the
    # detaining power's exchange planners, and the neutral verifier's staff, who oversee that
    # no one is repatriated against his will (docs/security-model.md#reports).
    Action.REPORTS_VIEW: [
        (set(Org.values), {Role.DECISION_MAKER}),
        ({Org.DETAINING_POWER}, {Role.EXCHANGE_PLANNER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER, Role.LEGAL_OFFICER}),
    ],
    # The case's plain steps. The Bureau (the detaining power's registrars) notifies and
    # records the end of captivity; the interview is asked for and held by the detaining
    # power's or the verifier's interviewers, and only the verifier's mark a will verified.
    Action.CASE_NOTIFY: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    Action.CASE_INTERVIEW_REQUEST: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    Action.CASE_WILL_MARK_RECORDED: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER}),
    ],
    Action.CASE_WILL_MARK_VERIFIED: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.CASE_LEGAL_OPEN: [({Org.LEGAL_NGO, Org.NEUTRAL_VERIFIER}, {Role.LEGAL_OFFICER})],
    Action.CASE_CUSTODY_END: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    Action.CASE_CLOSE: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    # Who records the end of captivity and the closure corrects them.
    Action.CASE_CORRECT: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    # The verifier may go to every place where prisoners are (GC III Art. 126); the detaining
    # power's registrars keep its places, its authorities receive the visits.
    Action.PLACE_VIEW: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR, Role.DECISION_MAKER, Role.INTERVIEWER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    Action.PLACE_EDIT: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    Action.VISIT_VIEW: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR, Role.DECISION_MAKER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    Action.VISIT_PLAN: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.VISIT_INTERVIEW: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.DOCUMENT_REMOVE: [
        (
            set(Org.values),
            {
                Role.REGISTRAR,
                Role.INTERVIEWER,
                Role.LEGAL_OFFICER,
                Role.DECISION_MAKER,
                Role.MEDICAL_OFFICER,
            },
        ),
    ],  # fmt: skip
    # Who plans, decides and represents him reads where his track stands; the findings are
    # medical: the commission, the verifier's staff and his representative (docs/medical.md).
    Action.MEDICAL_VIEW: [
        (
            {Org.DETAINING_POWER},
            {Role.REGISTRAR, Role.DECISION_MAKER, Role.EXCHANGE_PLANNER, Role.MEDICAL_OFFICER},
        ),
        (
            {Org.NEUTRAL_VERIFIER},
            {Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.MEDICAL_OFFICER},
        ),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    Action.MEDICAL_FINDINGS: [
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.MEDICAL_OFFICER}),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
        ({Org.DETAINING_POWER}, {Role.MEDICAL_OFFICER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    Action.MEDICAL_PRESENT: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER}),
    ],
    Action.MEDICAL_EXAMINE: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER}),
    ],
    # His will on the finding is heard as every verified will: by the verifier, in private.
    Action.MEDICAL_CONSENT: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.COMMISSION_VIEW: [
        ({Org.DETAINING_POWER}, {Role.MEDICAL_OFFICER, Role.DECISION_MAKER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER, Role.INTERVIEWER}),
    ],
    # The neutral doctors are appointed through the neutral verifier (Annex II).
    Action.COMMISSION_MANAGE: [({Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER})],
    # The verifier refers him; the detaining power's decision maker may too, with his verified
    # consent (a verified will asking for a third country or naming the state). His lawyers
    # follow the referrals; the state answers those made to it.
    Action.REFERRAL_VIEW: [
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER}),
        ({Org.DETAINING_POWER}, {Role.DECISION_MAKER}),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    Action.REFERRAL_MAKE: [
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER}),
        ({Org.DETAINING_POWER}, {Role.DECISION_MAKER}),
    ],
    Action.REFERRAL_ANSWER: [({Org.RECEIVING_STATE}, {Role.DECISION_MAKER})],
    # Recorded privately by the neutral verifier, whose Agency forwards the cards.
    Action.CAPTURE_CARD_CHOICE: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.REGISTRAR})],
    Action.FAMILY_MESSAGES: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.REGISTRAR})],
    # The detaining power's designated censors: its registrars (the Information Bureau, which
    # handles prisoners' correspondence), and only where its agreement allows censorship.
    Action.FAMILY_CENSOR: [({Org.DETAINING_POWER}, {Role.REGISTRAR})],
    # The other party and the detaining power see nothing of what happens after the transfer.
    Action.FOLLOWUP_VIEW: [
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER}),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    Action.RECEPTION_RECORD: [({Org.RECEIVING_STATE}, {Role.DECISION_MAKER})],
    Action.FOLLOWUP_RECORD: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    Action.FOLLOWUP_ALERT: [
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER}),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
    ],
    # Those who assess states read the evidence for them; no detaining power (either party).
    Action.ONWARD_EVIDENCE: [
        ({Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO}, {Role.LEGAL_OFFICER, Role.INTERVIEWER}),
    ],
}


def _granted(user, organisation, action: Action) -> bool:
    return any(
        organisation.kind in kinds and user.has_role(*roles)
        for kinds, roles in _RULES.get(action, [])
    )


# Actions that concern no particular person.
_ORGANISATION_ACTIONS = {
    Action.PERSON_REGISTER, Action.AUDIT_VIEW, Action.MEMBERS_VIEW, Action.TRACING_HANDLE,
    Action.TRACING_INFORM, Action.DUPLICATE_REVIEW, Action.EXCHANGE_VIEW, Action.EXCHANGE_PLAN,
    Action.EXCHANGE_REFUSAL, Action.REPORTS_VIEW, Action.EXPORT_NOTIFICATIONS,
    Action.EXPORT_IDENTIFIED,
    Action.MEMBERS_MANAGE, Action.DOCUMENT_REMOVE, Action.PLACE_VIEW, Action.PLACE_EDIT,
    Action.VISIT_VIEW, Action.VISIT_PLAN, Action.VISIT_INTERVIEW, Action.COMMISSION_VIEW,
    Action.COMMISSION_MANAGE, Action.REFERRAL_VIEW, Action.REFERRAL_ANSWER,
    Action.ONWARD_EVIDENCE,
}  # fmt: skip
# Actions on a visit: the visiting organisation's, or (to see it) the detaining power's of the
# visited place.
_VISIT_ACTIONS = {Action.VISIT_VIEW, Action.VISIT_PLAN, Action.VISIT_INTERVIEW}
_REFERRAL_ACTIONS = {Action.REFERRAL_VIEW, Action.REFERRAL_MAKE, Action.REFERRAL_ANSWER}
# A visit the verifier has planned but not yet announced is its own business
# (`visits.models.VisitState.PLANNED`).
VISIT_NOT_YET_ANNOUNCED = "planned"


def can(user, action: Action, person: Person | None = None) -> bool:
    """Whether `user` may do `action` (on `person`, for person actions)."""
    organisation = getattr(user, "organisation", None)
    if organisation is None or not getattr(user, "is_active", False):
        return False
    if action == Action.PERSON_VIEW:
        return person is not None and can_see_person(user, person)
    if not _granted(user, organisation, action):
        return False
    if action in _ORGANISATION_ACTIONS:
        return True
    return person is not None and can_see_person(user, person)


def can_on_visit(user, action: Action, visit) -> bool:
    """Whether `user` may do `action` on `visit`: the visiting verifier's staff work it; the
    detaining power of its place only sees it (`VISIT_VIEW`), from the day it is announced to
    it; everyone else nothing."""
    if action not in _VISIT_ACTIONS or not can(user, action):
        return False
    organisation = user.organisation
    if organisation.kind == Org.NEUTRAL_VERIFIER:
        return visit.organisation_id == organisation.pk
    return (
        action == Action.VISIT_VIEW
        and visit.state != VISIT_NOT_YET_ANNOUNCED
        and visit.place.detaining_organisation_id == organisation.pk
    )


def can_on_medical(
    user, action: Action, person: Person, *, shared: bool = False, member: bool = False
) -> bool:
    """Whether `user` may do a medical `action` on `person`: the grant, then what the record
    says. A receiving state reads only what he agreed to share (`shared`); a detaining power's
    doctor reads findings, and anyone examines, only as a member of the commission
    (`member`)."""
    if not can(user, action, person):
        return False
    kind = user.organisation.kind
    if kind == Org.RECEIVING_STATE:
        return shared and action in (Action.MEDICAL_VIEW, Action.MEDICAL_FINDINGS)
    if action == Action.MEDICAL_EXAMINE:
        return member
    if action == Action.MEDICAL_FINDINGS and kind == Org.DETAINING_POWER:
        return member
    return True


def can_on_referral(user, action: Action, referral) -> bool:
    """Whether `user` may do `action` on `referral`: a receiving state sees and answers only
    the referrals made to it (never the person behind one it has not accepted); the others
    work on the referrals of the persons they see."""
    organisation = getattr(user, "organisation", None)
    if (
        action not in _REFERRAL_ACTIONS
        or organisation is None
        or not getattr(user, "is_active", False)
        or not _granted(user, organisation, action)
    ):
        return False
    if organisation.kind == Org.RECEIVING_STATE:
        return action != Action.REFERRAL_MAKE and referral.organisation_id == organisation.pk
    return action != Action.REFERRAL_ANSWER and can_see_person(user, referral.person)


def censorship_allowed(organisation) -> bool:
    """Whether the agreement of this detaining power lets it censor prisoners' family messages
    (GC III Art. 76): its name is in `settings.FAMILY_CENSORSHIP_BY`."""
    from django.conf import settings

    return (
        organisation is not None
        and organisation.kind == Org.DETAINING_POWER
        and organisation.name in settings.FAMILY_CENSORSHIP_BY
    )


# The state a message waits in for the censor (`family.models.AWAITING_CENSOR`).
FAMILY_MESSAGE_WRITTEN = "written"


def can_on_family_message(user, action: Action, message) -> bool:
    """Whether `user` may do `action` on a family message: the verifier's staff on every
    message of a man they see; the detaining power's censor only on a message of a man it
    holds, while it waits for censorship, and only if its agreement allows censorship."""
    if action not in (Action.FAMILY_MESSAGES, Action.FAMILY_CENSOR):
        return False
    person = message.person
    if not can(user, action, person):
        return False
    if action == Action.FAMILY_MESSAGES:
        return True
    return (
        message.state == FAMILY_MESSAGE_WRITTEN
        and person.detaining_organisation_id == user.organisation_id
        and censorship_allowed(user.organisation)
    )


def may_see_family_messages(user, person: Person) -> bool:
    """Whether `user` may open his family messages at all: the verifier's staff, or the
    censor of the detaining power that holds him where its agreement allows censorship."""
    return can(user, Action.FAMILY_MESSAGES, person) or (
        can(user, Action.FAMILY_CENSOR, person)
        and person.detaining_organisation_id == user.organisation_id
        and censorship_allowed(user.organisation)
    )


def can_see_place(user, place) -> bool:
    """The verifier sees every place; a detaining power its own."""
    if not can(user, Action.PLACE_VIEW):
        return False
    organisation = user.organisation
    return (
        organisation.kind == Org.NEUTRAL_VERIFIER
        or place.detaining_organisation_id == organisation.pk
    )


def has_any_role_for(user, action: Action) -> bool:
    """Whether `user`'s organisation kind and roles could ever do `action` (for menus)."""
    organisation = getattr(user, "organisation", None)
    return organisation is not None and _granted(user, organisation, action)


def require(user, action: Action, person: Person | None = None) -> None:
    if not can(user, action, person):
        raise PermissionDenied
