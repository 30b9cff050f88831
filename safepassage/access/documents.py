"""Need-to-know for documents (docs/security-model.md#documents): who may open and who may add
each kind of document about a person he can see. Deny by default.

Views, the API and exports ask here. A reader who may not open a document never learns it
exists: lists leave it out and its pages answer 404 (the documents app's selectors).
"""

from safepassage.access.visibility import can_see_person
from safepassage.accounts.models import OrganisationKind as Org
from safepassage.accounts.models import Role
from safepassage.registry.models import Person

Grant = tuple[set[str], set[str]]  # (organisation kinds, roles): both must match

# The document kinds (documents.models.DocumentKind), named here so the policy needs no model.
IDENTITY_DOCUMENT = "identity_document"
CAPTURE_CARD = "capture_card"
PHOTO = "photo"
MEDICAL_RECORD = "medical_record"
INTERVIEW_RECORD = "interview_record"
LEGAL_OPINION = "legal_opinion"
ACCEPTANCE = "acceptance"
OTHER = "other"

_CASE_WORK = {Role.REGISTRAR, Role.INTERVIEWER, Role.LEGAL_OFFICER, Role.DECISION_MAKER}

# Who may open each kind, on top of seeing the person.
READ: dict[str, list[Grant]] = {
    # Medical confidentiality: the doctors, and the verifier's delegates who visit him.
    MEDICAL_RECORD: [
        ({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER}),
    ],
    # Papers of his (true or assumed) identity: the Bureau that registers him and the verifier.
    IDENTITY_DOCUMENT: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    # The card he filled in (GC III Art. 70) goes from the Bureau to the Central Agency.
    CAPTURE_CARD: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR, Role.INTERVIEWER}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    # A photograph identifies him at every step, the handover included.
    PHOTO: [
        ({Org.DETAINING_POWER}, {*_CASE_WORK, Role.EXCHANGE_PLANNER}),
        ({Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO}, _CASE_WORK),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    # What he said in private stays with the verifier.
    INTERVIEW_RECORD: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER, Role.LEGAL_OFFICER})],
    # As the bases of assessments (Action.ASSESSMENT_BASIS).
    LEGAL_OPINION: [
        (
            {Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO},
            {Role.LEGAL_OFFICER, Role.DECISION_MAKER, Role.INTERVIEWER},
        ),
    ],
    # The receiving state named (checked below) and the detaining power that transfers him.
    ACCEPTANCE: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR, Role.DECISION_MAKER, Role.EXCHANGE_PLANNER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    # Anything else: the organisation that uploaded it (checked below), its case workers.
    OTHER: [(set(Org.values), {*_CASE_WORK, Role.MEDICAL_OFFICER})],
}

# Who may add each kind (and its new versions, within his own organisation's documents).
UPLOAD: dict[str, list[Grant]] = {
    MEDICAL_RECORD: [({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.MEDICAL_OFFICER})],
    IDENTITY_DOCUMENT: [({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR})],
    CAPTURE_CARD: [({Org.DETAINING_POWER, Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR})],
    PHOTO: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
    ],
    INTERVIEW_RECORD: [({Org.NEUTRAL_VERIFIER}, {Role.INTERVIEWER})],
    LEGAL_OPINION: [({Org.NEUTRAL_VERIFIER, Org.LEGAL_NGO}, {Role.LEGAL_OFFICER})],
    ACCEPTANCE: [
        ({Org.DETAINING_POWER}, {Role.DECISION_MAKER}),
        ({Org.RECEIVING_STATE}, {Role.DECISION_MAKER}),
    ],
    OTHER: [
        ({Org.DETAINING_POWER}, {Role.REGISTRAR}),
        ({Org.NEUTRAL_VERIFIER}, {Role.REGISTRAR, Role.INTERVIEWER}),
        ({Org.LEGAL_NGO}, {Role.LEGAL_OFFICER}),
    ],
}
KINDS = tuple(READ)


def _granted(user, grants: list[Grant]) -> bool:
    organisation = getattr(user, "organisation", None)
    if organisation is None or not getattr(user, "is_active", False):
        return False
    return any(organisation.kind in kinds and user.has_role(*roles) for kinds, roles in grants)


def _named_state(person: Person, decision=None) -> str | None:
    """The receiving state an acceptance letter concerns: its decision's destination, or that
    of his latest decision."""
    if decision is None:
        decision = person.decisions.order_by("-decided_at", "-id").first()
    return None if decision is None else decision.destination.code


def _organisation_fits(user, kind: str, person: Person, *, owner_id=None, decision=None) -> bool:
    organisation = user.organisation
    if kind == ACCEPTANCE and organisation.kind == Org.RECEIVING_STATE:
        return _named_state(person, decision) == organisation.country.code
    if kind == OTHER and owner_id is not None:
        return owner_id == organisation.pk
    return True


def can_read_document(user, document) -> bool:
    """Whether `user` may open `document` (its page, versions, content, title in lists)."""
    kind = document.kind
    if kind not in READ or not _granted(user, READ[kind]):
        return False
    person = document.person
    if not can_see_person(user, person):
        return False
    return _organisation_fits(
        user, kind, person, owner_id=document.organisation_id, decision=document.decision
    )


def kinds_uploadable(user, person: Person) -> list[str]:
    """The kinds of document `user` may add about `person` (empty: none)."""
    kinds = [kind for kind in KINDS if _granted(user, UPLOAD[kind])]
    if not kinds or not can_see_person(user, person):
        return []
    return [kind for kind in kinds if _organisation_fits(user, kind, person)]


def can_upload_document(user, person: Person, kind: str | None = None) -> bool:
    """Whether `user` may add a document of `kind` (any kind, when None) about `person`."""
    kinds = kinds_uploadable(user, person)
    return bool(kinds) if kind is None else kind in kinds


def can_change_document(user, document) -> bool:
    """A new version or the removal: someone of the organisation that added it, who may add
    such a document and open it."""
    organisation = getattr(user, "organisation", None)
    return (
        organisation is not None
        and document.organisation_id == organisation.pk
        and _granted(user, UPLOAD.get(document.kind, []))
        and can_read_document(user, document)
    )
