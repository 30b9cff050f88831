"""Every route of the site is in a permission matrix that is checked for every user (the IDOR
matrices of issue 5), or is named here with the reason it reveals no one's record. A new page
or endpoint fails this test until someone writes down who may open it."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.api import test_permissions as api
from tests.documents import test_pages as documents
from tests.exports import test_pages as exports
from tests.factories import force_login_fresh
from tests.family import test_pages as family
from tests.field import test_pages as field
from tests.followup import test_pages as followup
from tests.imports import test_pages as imports
from tests.medical import test_pages as medical
from tests.notifications import test_pages as notifications
from tests.referrals import test_pages as referrals
from tests.reports import test_pages as reports
from tests.visits import test_pages as visits
from tests.web import test_permissions as web
from tests.work import test_home as work

# namespace → the routes its matrix checks, user by user.
MATRICES = {
    **{
        namespace: {name for name, (ns, _route) in web.PAGES.items() if ns == namespace}
        for namespace, _route in web.PAGES.values()
    },
    "tracing": set(web.TRACING_MATRIX),
    "exchanges": set(web.EXCHANGE_MATRIX),
    "imports": set(imports.MATRIX),
    "reports": set(reports.MATRIX),
    "work": set(work.MATRIX),
    "notifications": set(notifications.MATRIX),
    "field": set(field.MATRIX),
    "visits": set(visits.MATRIX),
    "medical": set(medical.MATRIX),
    "documents": set(documents.MATRIX),
    "referrals": set(referrals.MATRIX),
    "family": set(family.MATRIX),
    "followup": set(followup.MATRIX),
    # The download: only the one who asked (tests/exports/test_pages.py, by name).
    "exports": set(exports.MATRIX) | {"download"},
    # PUBLIC: the schema, its documentation page and the problem types, the same for everyone.
    "api": {name for name, _method in api.MATRIX} | api.PUBLIC,
}

# Routes that open no one's record: logging in and out, the health probes, the language, and
# the user's own account (password, authenticators: allauth looks them up by the logged-in user;
# the two that take an id are proven below).
OWN_OR_NOBODYS = {
    (None, "login"), (None, "logout"), (None, "set_language"),
    ("ops", "healthz"), ("ops", "readyz"),
    (None, "account_login"), (None, "account_logout"), (None, "account_inactive"),
    (None, "account_signup"), (None, "account_reauthenticate"), (None, "account_change_password"),
    (None, "mfa_index"), (None, "mfa_authenticate"), (None, "mfa_reauthenticate"),
    (None, "mfa_activate_totp"), (None, "mfa_deactivate_totp"), (None, "mfa_view_recovery_codes"),
    (None, "mfa_generate_recovery_codes"), (None, "mfa_download_recovery_codes"),
    (None, "mfa_list_webauthn"), (None, "mfa_add_webauthn"), (None, "mfa_reauthenticate_webauthn"),
    (None, "mfa_remove_webauthn"), (None, "mfa_edit_webauthn"),
}  # fmt: skip


def _routes(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name


def test_every_route_of_the_site_is_in_a_checked_matrix_or_opens_no_ones_record():
    routes = set(_routes(get_resolver().url_patterns))
    unaccounted = {
        (namespace, name)
        for namespace, name in routes
        if name not in MATRICES.get(namespace, set()) and (namespace, name) not in OWN_OR_NOBODYS
    }
    assert not unaccounted, f"routes in no permission matrix: {sorted(unaccounted, key=str)}"
    stale = {(ns, n) for ns, names in MATRICES.items() for n in names} - routes
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_no_one_edits_or_removes_another_users_security_key(name, people):
    key = Authenticator.objects.create(
        user=people.registrar,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "alice's key", "credential": {}},
    )
    url = reverse(name, kwargs={"pk": key.pk})
    for other in (people.outsider, people.admin):
        client = Client()
        force_login_fresh(client, other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "stolen"}).status_code == 404
    key.refresh_from_db()
    assert key.data["name"] == "alice's key"
