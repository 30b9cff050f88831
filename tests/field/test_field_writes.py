"""On the field laptop, only what the return bundle carries back may be written."""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from safepassage.field.runtime import FieldWritesMiddleware


def _answer(method: str, path: str):
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    middleware = FieldWritesMiddleware(lambda request: None)
    return middleware.process_view(request, None, (), {})


@pytest.mark.parametrize(
    "path",
    [
        reverse("visits:visit_report", args=[1]),
        reverse("visits:visit_step", args=[1, "completed"]),
        reverse("visits:visit_team_add", args=[1]),
        reverse("visits:visit_list_build", args=[1]),
        reverse("cases:will_withdraw", args=["UA-2025-000001", 1]),
    ],
)
def test_a_write_the_bundle_would_lose_is_refused_saying_where_to_do_it(path):
    response = _answer("post", path)
    assert response.status_code == 403
    response.render()
    assert b"carries interviews and wills only" in response.content


@pytest.mark.parametrize(
    "path",
    [
        reverse("visits:interview_new", args=[1]),
        reverse("cases:will_new", args=["UA-2025-000001"]),
        reverse("login"),
        reverse("logout"),
        reverse("set_language"),
    ],
)
def test_interviews_wills_and_logging_in_are_written_as_at_the_centre(path):
    assert _answer("post", path) is None


def test_every_page_may_still_be_read():
    assert _answer("get", reverse("visits:visit_report", args=[1])) is None
