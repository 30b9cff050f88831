"""The export pages: who may open them (404 for a person he cannot see, 403 for a role he
lacks), re-authentication and one audit event for an identified export, CSRF, the background
list downloaded once by the one who asked."""

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.accounts.services import user_roles_set
from safepassage.audit.models import AuditEvent
from safepassage.exports import urls as export_urls
from safepassage.exports.models import Export, ExportStatus
from safepassage.exports.pseudonyms import pseudonym_of
from tests.exports.conftest import pdf_text
from tests.factories import PASSWORD, login_with_mfa
from tests.web.conftest import NEXT_OF_KIN_MARKER, STATEMENT_MARKER
from tests.web.test_permissions import _parse, check_matrix_row

# ok: GET 200 (with the form's CSRF token), POST 200 (a PDF, or the form again). Kim is held
# by alice's detaining power; his case is not started, so lena (legal NGO, not assigned) and
# minjun (receiving state, not named in a will) cannot see him either.
TABLE = """
url               methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
index             GET       ok    ok     403   ok   403    403  ok   ok     ok   ok     ok    ok
notifications     GET,POST  ok    403    403   403  403    403  ok   403    403  403    403   ok
capture_card      GET,POST  ok    ok     403   ok   403    403  ok   ok     404  404    404   404
case_summary      GET,POST  ok    ok     403   ok   403    403  ok   ok     404  404    404   404
"""
MATRIX = _parse(TABLE)


def _url(name, kim):
    if name in {"capture_card", "case_summary"}:
        return reverse(f"exports:{name}", args=[kim.registry_number])
    return reverse(f"exports:{name}")


def _secrets(kim):
    names = [part for n in kim.names.all() for part in (n.family_name, n.given_name) if part]
    return [*names, NEXT_OF_KIN_MARKER, STATEMENT_MARKER]


def test_the_matrix_covers_every_page_but_the_download():
    assert {p.name for p in export_urls.urlpatterns} == {*MATRIX, "download"}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_page_admits_exactly_the_people_the_table_names(name, people, kim, login):
    methods, expected = MATRIX[name]
    check_matrix_row(name, _url(name, kim), methods, expected, people, login, _secrets(kim))


@pytest.mark.parametrize("name", ["capture_card", "case_summary"])
def test_a_post_gives_the_pseudonymised_pdf(name, people, kim, login):
    response = login(people.interviewer).post(_url(name, kim), {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert kim.registry_number not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert pseudonym_of(kim.registry_number) in text and "김" not in text


def test_an_identified_export_without_the_role_is_refused_even_when_forged(people, kim, login):
    response = login(people.interviewer).post(_url("capture_card", kim), {"identified": "on"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()
    assert not any(s in response.content.decode() for s in _secrets(kim))


def test_the_identified_choice_is_offered_only_to_those_who_may(people, kim, login):
    url = _url("capture_card", kim)
    assert b'name="identified"' in login(people.registrar).get(url).content
    assert b'name="identified"' not in login(people.interviewer).get(url).content


def test_an_identified_export_asks_for_the_password_again_then_resumes(people, kim):
    client = Client()
    login_with_mfa(client, "alice")
    _age_the_login(client)
    url = _url("capture_card", kim)
    response = client.post(url, {"identified": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action="export.capture_card").exists()
    resumed = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert resumed.status_code == 200
    assert resumed["Content-Type"] == "application/pdf"
    assert "김" in pdf_text(resumed.content)
    events = AuditEvent.objects.filter(action="export.capture_card")
    assert events.count() == 1
    event = events.get()
    assert event.actor == people.registrar and event.person == kim
    assert event.changes["identified"] == [None, True]


def test_a_fresh_login_exports_identified_at_once_with_one_event(people, kim, login):
    response = login(people.registrar).post(_url("case_summary", kim), {"identified": "on"})
    assert response.status_code == 200
    assert kim.registry_number in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export.case_summary").count() == 1


@pytest.mark.parametrize("name", ["capture_card", "case_summary", "notifications"])
def test_each_form_refuses_a_post_without_the_csrf_token(name, people, kim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.registrar)
    url = _url(name, kim)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 200


def test_the_person_page_links_to_the_documents_only_for_those_who_may(people, kim, login):
    page = reverse("registry:person_detail", args=[kim.registry_number])
    card = _url("capture_card", kim).encode()
    assert card in login(people.registrar).get(page).content
    assert card not in login(people.planner).get(page).content


def test_the_menu_shows_exports_to_those_who_notify(people, login):
    link = reverse("exports:index").encode()
    assert link in login(people.registrar).get(reverse("registry:person_list")).content
    assert link not in login(people.decision_maker).get(reverse("registry:person_list")).content


# --- the notification list in the background -----------------------------------------------


def _ask(client, **extra):
    data = {"format": "csv", "kinds": ["identity", "capture"], "second_language": "", **extra}
    return client.post(reverse("exports:notifications"), data)


def _age_the_login(client, seconds=6 * 60):
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**r, "at": r["at"] - seconds} for r in session[AUTHENTICATION_METHODS_SESSION_KEY]
    ]
    session.save()


def test_a_list_is_produced_in_the_background_and_downloaded_once(
    people, kim, login, django_capture_on_commit_callbacks
):
    client = login(people.registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client)
    assert response.status_code == 302 and response.url == reverse("exports:index")
    export = Export.objects.get()
    assert export.status == ExportStatus.READY and export.persons == 1
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="export.")] == [
        "export.request", "export.notifications",
    ]  # fmt: skip
    index = client.get(reverse("exports:index"))
    download = reverse("exports:download", args=[export.pk])
    assert download.encode() in index.content
    file = client.post(download)
    assert file.status_code == 200 and file["Content-Type"].startswith("text/csv")
    assert pseudonym_of(kim.registry_number).encode() in file.content
    assert "김".encode() not in file.content
    export.refresh_from_db()
    assert export.status == ExportStatus.DELIVERED and export.content == ""
    again = client.post(download)
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="export.download").count() == 1


def test_only_the_one_who_asked_may_download(
    people, kim, login, orgs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(login(people.registrar))
    export = Export.objects.get()
    for other in (people.interviewer, people.outsider):
        response = login(other).post(reverse("exports:download", args=[export.pk]))
        assert response.status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_an_identified_list_asks_for_the_password_again(
    people, kim, django_capture_on_commit_callbacks
):
    client = Client()
    login_with_mfa(client, "alice")
    _age_the_login(client)
    response = _ask(client, identified="on")
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Export.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"password": PASSWORD}, follow=True)
    export = Export.objects.get()
    assert export.identified and export.status == ExportStatus.READY


def test_an_identified_list_without_the_role_is_refused(people, kim, login):
    response = _ask(login(people.interviewer), identified="on")
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_the_job_asks_the_policy_again_when_it_runs(people, kim, login):
    """His role was taken away between the request and the job: nothing is produced."""
    _ask(login(people.registrar), identified="on")  # on_commit not run: the job waits
    export = Export.objects.get()
    user_roles_set(actor=people.admin, user=people.registrar, roles=["interviewer"])
    from safepassage.exports.jobs import notifications_produce

    export = notifications_produce(export_id=export.pk)
    assert export.status == ExportStatus.FAILED and export.content == ""
    assert "no longer allows" in export.error
    assert AuditEvent.objects.filter(action="export.failed").count() == 1


def test_the_download_refuses_a_post_without_the_csrf_token(
    people, kim, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(login(people.registrar))
    export = Export.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.registrar)
    assert client.post(reverse("exports:download", args=[export.pk])).status_code == 403
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_downloading_an_identified_list_asks_for_the_password_again(
    people, kim, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(login(people.registrar), identified="on")
    export = Export.objects.get()
    client = Client()
    login_with_mfa(client, "alice")
    _age_the_login(client)
    response = client.post(reverse("exports:download", args=[export.pk]))
    assert response.url.startswith(reverse("account_reauthenticate"))
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    resumed = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert "김".encode() in resumed.content
