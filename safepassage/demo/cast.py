"""The demo's cast: its organisations and their accounts, who play the story and the population."""

from dataclasses import dataclass

from safepassage.accounts.models import Organisation, OrganisationKind, Role, User
from safepassage.accounts.services import organisation_create, user_create

DEMO_PASSWORD = "demo-passage-2026"  # noqa: S105 - published on purpose: demo accounts only

ORGANISATIONS = {
    "ua": ("National Information Bureau (demo)", OrganisationKind.DETAINING_POWER, "UA"),
    "verifier": ("Neutral Verification Mission (demo)", OrganisationKind.NEUTRAL_VERIFIER, "CH"),
    "kr": ("Receiving State Office (demo)", OrganisationKind.RECEIVING_STATE, "KR"),
    "ngo": ("Protection Law Centre (demo)", OrganisationKind.LEGAL_NGO, "UA"),
    # Third countries asked to resettle the second soldier (demo.resettlement).
    "br": ("Resettlement Office of Brazil (demo)", OrganisationKind.RECEIVING_STATE, "BR"),
    "in": ("Resettlement Office of India (demo)", OrganisationKind.RECEIVING_STATE, "IN"),
    # A second detaining power, so need-to-know is visible: neither sees the other's prisoners.
    "ru": ("Other Party Information Bureau (demo)", OrganisationKind.DETAINING_POWER, "RU"),
}
# The demo's detaining power whose agreement allows it to censor family messages (GC III
# Art. 76; `settings.FAMILY_CENSORSHIP_BY`), set by `safepassage demo` unless configured.
DEMO_CENSORS = [ORGANISATIONS["ua"][0]]
ACCOUNTS = [
    ("ua-registrar", "ua", [Role.REGISTRAR]),
    ("ua-interviewer", "ua", [Role.INTERVIEWER]),
    ("ua-decision", "ua", [Role.DECISION_MAKER]),
    ("ua-planner", "ua", [Role.EXCHANGE_PLANNER]),
    ("ua-auditor", "ua", [Role.AUDITOR]),
    ("ua-admin", "ua", [Role.ADMINISTRATOR]),
    ("ua-doctor", "ua", [Role.MEDICAL_OFFICER]),
    ("verifier-interviewer", "verifier", [Role.INTERVIEWER]),
    ("verifier-legal", "verifier", [Role.LEGAL_OFFICER]),
    ("verifier-auditor", "verifier", [Role.AUDITOR]),
    ("verifier-doctor", "verifier", [Role.MEDICAL_OFFICER]),
    ("ngo-legal", "ngo", [Role.LEGAL_OFFICER]),
    ("kr-decision", "kr", [Role.DECISION_MAKER]),
    ("br-decision", "br", [Role.DECISION_MAKER]),
    ("in-decision", "in", [Role.DECISION_MAKER]),
    ("ru-registrar", "ru", [Role.REGISTRAR]),
    ("ru-decision", "ru", [Role.DECISION_MAKER]),
    ("ru-planner", "ru", [Role.EXCHANGE_PLANNER]),
]


@dataclass
class Cast:
    """The demo organisations and accounts, by key and by username."""

    orgs: dict[str, Organisation]
    users: dict[str, User]

    def of(self, detaining: str, role: str) -> User:
        return self.users[f"{detaining}-{role}"]


def cast_create() -> Cast:
    """The demo organisations and their accounts, sharing the published demo password."""
    orgs = {
        key: organisation_create(name=name, kind=kind, country=country)
        for key, (name, kind, country) in ORGANISATIONS.items()
    }
    users = {
        username: user_create(username=username, organisation=orgs[key].name, roles=roles)
        for username, key, roles in ACCOUNTS
    }
    # One hash for the shared password: Argon2 takes a quarter-second per call.
    shared = User(username="demo")
    shared.set_password(DEMO_PASSWORD)
    accounts = User.objects.select_related("organisation").filter(username__in=list(users))
    # The fictional demo's accounts alone may log in without a second factor (they may still
    # enrol one to try it); every other account must (docs/security.md#authentication).
    accounts.update(password=shared.password, mfa_required=False)
    return Cast(orgs, {u.username: u for u in accounts})


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, organisation, roles) of the demo accounts that exist."""
    names = [username for username, _org, _roles in ACCOUNTS]
    users = User.objects.filter(username__in=names).select_related("organisation")
    by_name = {u.username: u for u in users.prefetch_related("role_assignments")}
    return [
        (
            name,
            by_name[name].organisation.name,
            ", ".join(sorted(a.role for a in by_name[name].role_assignments.all())),
        )
        for name in names
        if name in by_name
    ]
