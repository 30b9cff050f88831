"""The review queue of field conflicts: who may open it and a conflict, and resolving one."""

import pytest
from django.urls import reverse

from safepassage.audit.models import AuditEvent
from safepassage.field import urls as field_urls
from safepassage.field.models import FieldConflict
from tests.field.test_visit_bundle_receive import conflict_received, package_for
from tests.web.test_permissions import _parse, _secrets, check_matrix_row

# ok: GET 200, POST 200 (form re-shown, here without a reason) or 302. Only the interviewer of
# the visiting organisation (vera) works this queue; everyone else, the verifier's legal
# officer included, is refused.
TABLE = """
url             methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
conflict_list   GET       403   403    403   403  403    403  ok   403    403  403    403   403
conflict_detail GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
"""
MATRIX = _parse(TABLE)


@pytest.fixture(autouse=True)
def _server_key(settings, tmp_path):
    settings.FIELD_SERVER_KEY_FILE = tmp_path / "field-server.key"


@pytest.fixture
def conflict(people):
    return conflict_received(people, package_for(people))


def test_the_matrix_covers_every_field_route():
    assert {p.name for p in field_urls.urlpatterns} == set(MATRIX)


def test_each_route_admits_exactly_the_people_the_table_names(people, kim, conflict, login):
    for name, (methods, expected) in MATRIX.items():
        args = [conflict.pk] if name == "conflict_detail" else []
        url = reverse(f"field:{name}", args=args)
        secrets = [*_secrets(kim), "Hospital East-1", "영호"]
        check_matrix_row(name, url, methods, expected, people, login, secrets)


def test_the_page_shows_the_centre_and_the_field_side_by_side(people, conflict, login):
    client = login(people.interviewer)
    listing = client.get(reverse("field:conflict_list")).content.decode()
    assert conflict.person.registry_number in listing
    page = client.get(reverse("field:conflict_detail", args=[conflict.pk])).content.decode()
    assert "Camp West-3" in page and "Hospital East-1" in page


def test_a_verifier_resolves_it_with_a_reason_audited(people, conflict, login):
    client = login(people.interviewer)
    url = reverse("field:conflict_detail", args=[conflict.pk])
    refused = client.post(url, {"resolution": "centre_kept", "note": " "})
    assert refused.status_code == 200 and FieldConflict.objects.get().resolved_at is None
    done = client.post(url, {"resolution": "centre_kept", "note": "Moved on the 5th, per camp."})
    assert done.status_code == 302
    conflict.refresh_from_db()
    assert conflict.resolution == "centre_kept" and conflict.resolved_by == people.interviewer
    assert AuditEvent.objects.filter(action="field.conflict.resolve").count() == 1
    assert (
        conflict.person.registry_number
        not in client.get(reverse("field:conflict_list")).content.decode()
    )


def test_another_verifiers_interviewer_does_not_see_it(orgs, conflict, login):
    from safepassage.accounts.models import OrganisationKind, Role
    from tests.factories import make_org, make_user

    other = make_org("Another Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    stranger = make_user(other, Role.INTERVIEWER, username="sven")
    client = login(stranger)
    assert client.get(reverse("field:conflict_detail", args=[conflict.pk])).status_code == 404
    assert (
        conflict.person.registry_number
        not in client.get(reverse("field:conflict_list")).content.decode()
    )


def test_the_interviewers_home_page_lists_the_conflict_as_his_work(people, conflict, login):
    home = login(people.interviewer).get(reverse("work:home")).content.decode()
    assert "Field conflicts to review" in home
    assert reverse("field:conflict_detail", args=[conflict.pk]) in home
    assert (
        "Field conflicts to review"
        not in login(people.registrar).get(reverse("work:home")).content.decode()
    )
