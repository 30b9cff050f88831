"""The bell and the notifications page: a user reads only his own; opening one (a POST with
the CSRF token) marks it read, audited, and opens the person's page."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safepassage.accounts.backends import user_with_roles
from safepassage.audit.models import AuditEvent
from safepassage.notifications import urls as notification_urls
from safepassage.notifications.models import Notification
from safepassage.notifications.selectors import unread_count
from safepassage.notifications.services import notification_open, notifications_read_all
from tests.cases.builders import decided, in_legal_assessment
from tests.factories import force_login_fresh
from tests.web.test_permissions import _parse, _secrets, check_matrix_row

# ok: GET 200, POST 302. Everyone has a notifications page of his own; `open` is checked below
# with someone else's notification (404).
TABLE = """
url       methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
list      GET      ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
read_all  POST     ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
open      POST     404   404    404   404  404    404  404  404    404  ok     404   404
"""
MATRIX = _parse(TABLE)


def test_the_matrix_covers_every_notification_route():
    assert {p.name for p in notification_urls.urlpatterns} == set(MATRIX)


def test_each_route_admits_exactly_the_people_the_table_names(people, kim, login):
    person = decided(people, "KR")
    mine = Notification.objects.get(user=people.receiving_officer, person=person)
    for name, (methods, expected) in MATRIX.items():
        url = reverse(f"notifications:{name}", args=[mine.pk] if name == "open" else [])
        check_matrix_row(name, url, methods, expected, people, login, _secrets(kim))


def test_the_bell_counts_unread_notifications_in_one_query(people, login):
    decided(people, "KR")
    decided(people, "KR")
    client = login(people.receiving_officer)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("registry:person_list")).content.decode()
    assert "Notifications: 2 unread" in html
    counting = [q for q in captured if "notifications_notification" in q["sql"]]
    assert len(counting) == 1


def test_the_bell_is_counted_in_the_query_that_reads_the_sessions_user(people, login):
    decided(people, "KR")
    client = login(people.receiving_officer)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("registry:person_list"))
    (counting,) = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert '"accounts_user"."username"' in counting


def test_the_count_read_with_him_is_forgotten_once_he_opens_a_notification(people):
    decided(people, "KR")
    decided(people, "KR")
    officer = user_with_roles(people.receiving_officer.pk)
    assert unread_count(user=officer) == 2
    first = Notification.objects.filter(user=officer).first()
    notification_open(user=officer, notification=first)
    assert unread_count(user=officer) == 1
    notifications_read_all(user=officer)
    assert unread_count(user=officer) == 0


def test_opening_one_marks_it_read_audited_and_shows_the_person(people, login):
    person = decided(people, "KR")
    mine = Notification.objects.get(user=people.receiving_officer, person=person)
    client = login(people.receiving_officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert person.registry_number in page and "Decision taken" in page
    assert "To accept or decline" in page
    response = client.post(reverse("notifications:open", args=[mine.pk]))
    assert response.url == reverse("registry:person_detail", args=[person.registry_number])
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert AuditEvent.objects.filter(action="notification.read", object_id=str(mine.pk)).exists()
    assert "unread" not in client.get(reverse("notifications:list")).content.decode()


def test_mark_all_read_needs_the_csrf_token_and_marks_only_his_own(people):
    in_legal_assessment(people)
    decided(people, "KR")
    strict = Client(enforce_csrf_checks=True)
    force_login_fresh(strict, people.receiving_officer)
    assert strict.post(reverse("notifications:read_all")).status_code == 403
    client = Client()
    force_login_fresh(client, people.receiving_officer)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Notification.objects.filter(user=people.receiving_officer, read_at=None).exists()
    assert Notification.objects.filter(user=people.decision_maker, read_at=None).exists()
    assert AuditEvent.objects.filter(action="notification.read_all").count() == 1


def test_opening_is_a_post(people, login):
    person = decided(people, "KR")
    mine = Notification.objects.get(user=people.receiving_officer, person=person)
    response = login(people.receiving_officer).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 405
