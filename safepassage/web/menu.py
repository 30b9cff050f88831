"""The site menu of web/base.html: which entries the user may open, and where they lead.

Computed once per request (the permission checks) from addresses reversed once per process
(they depend on the URL configuration and the script prefix, never on the user). Every HTML
page shows the menu; doing this in the template cost fifteen permission tags and eighteen
`{% url %}` per page.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from safepassage.access.policy import Action, can, has_any_role_for

# key, URL name, the action the entry needs (None: every signed-in user), and whether the
# organisation kind and roles alone decide (`has_any_role_for`, for his organisation's pages).
ENTRIES: tuple[tuple[str, str, Action | None, bool], ...] = (
    ("home", "work:home", None, False),
    ("registry", "registry:person_list", None, False),
    ("register", "registry:person_new", Action.PERSON_REGISTER, False),
    ("imports", "imports:job_list", Action.PERSON_REGISTER, False),
    ("audit", "audit:audit_list", Action.AUDIT_VIEW, False),
    ("members", "accounts:members", Action.MEMBERS_VIEW, False),
    ("tracing", "tracing:request_list", Action.TRACING_HANDLE, False),
    ("duplicates", "tracing:duplicate_list", Action.DUPLICATE_REVIEW, False),
    ("exchanges", "exchanges:agreement_list", Action.EXCHANGE_VIEW, False),
    ("visits", "visits:visit_list", Action.VISIT_VIEW, False),
    ("commissions", "medical:commission_list", Action.COMMISSION_VIEW, False),
    ("referrals", "referrals:referral_list", Action.REFERRAL_VIEW, False),
    ("reception", "followup:reception_steps", Action.RECEPTION_RECORD, True),
    ("exports", "exports:index", Action.EXPORT_NOTIFICATIONS, False),
    ("reports", "reports:dashboard", Action.REPORTS_VIEW, False),
    ("tokens", "tokens:api_tokens", None, False),
    ("mfa", "mfa_index", None, False),
    ("logout", "logout", None, False),
)

_ADDRESSES: dict[tuple[str, str, object], str] = {}


def menu_address(name: str) -> str:
    """`reverse(name)`, kept per URL configuration and script prefix."""
    key = (name, get_script_prefix(), get_urlconf())
    address = _ADDRESSES.get(key)
    if address is None:
        address = _ADDRESSES[key] = reverse(name)
    return address


def site_menu(request: HttpRequest) -> dict[str, str]:
    """{key: address} of the entries `request.user` may open, "" for the others."""
    menu = getattr(request, "_site_menu", None)
    if menu is None:
        # A page answered before the authentication middleware ran (a field station's
        # refusal) has no user: the menu of someone signed out.
        user = getattr(request, "user", None) or AnonymousUser()
        menu = request._site_menu = menu_for(user)
    return menu


def menu_for(user) -> dict[str, str]:
    """{key: address} of the entries `user` may open, "" for the others (each action checked
    once)."""
    granted: dict[Action, bool] = {}
    menu = {}
    for key, name, action, by_role in ENTRIES:
        if action is not None and action not in granted:
            granted[action] = (has_any_role_for if by_role else can)(user, action)
        menu[key] = menu_address(name) if action is None or granted[action] else ""
    return menu
