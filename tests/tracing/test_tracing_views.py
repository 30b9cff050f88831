"""The tracing pages, end to end without JavaScript: record a request, search, confirm, inform;
review a duplicate pair and merge. Menus follow the roles; other agencies get 404."""

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.registry.services import NameInput, person_register
from safepassage.tracing.models import DuplicatePair, PairStatus, TracingRequest, TracingStatus
from tests.factories import force_login_fresh, make_org, make_user
from tests.tracing.tracing_data import CONTACT_MARKER, mother_request, pair_of, register_kim

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def test_the_menu_shows_tracing_to_tracing_staff_and_duplicates_to_registrars(people):
    pages = {
        who: client_of(getattr(people, who)).get(reverse("registry:person_list")).content.decode()
        for who in ("interviewer", "registrar", "verifier_legal")
    }
    tracing, duplicates = reverse("tracing:request_list"), reverse("tracing:duplicate_list")
    assert tracing in pages["interviewer"] and duplicates not in pages["interviewer"]
    assert duplicates in pages["registrar"] and tracing not in pages["registrar"]
    assert tracing not in pages["verifier_legal"] and duplicates not in pages["verifier_legal"]


def test_a_request_from_record_to_informed_through_the_pages(people):
    kim = register_kim(people.registrar)
    vera = client_of(people.interviewer)
    response = vera.post(
        reverse("tracing:request_new"),
        {"requester_kind": "family", "requester_name": "Ким Ок Сун", "requester_contact":
         CONTACT_MARKER, "family_name": "Ким", "given_name": "Чхоль Су", "birth_date": "1999",
         "nationality": "KP"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    request = TracingRequest.objects.get()
    detail = reverse("tracing:request_detail", args=[request.pk])
    assert response.url == detail
    page = vera.get(detail).content.decode()
    assert CONTACT_MARKER in page and "Not searched yet" in page

    assert vera.post(reverse("tracing:request_search", args=[request.pk])).status_code == 302
    page = vera.get(detail).content.decode()
    assert kim.registry_number in page and "evidence" in page  # the reasons, in words
    candidate = request.candidates.get(person=kim)

    confirm = reverse("tracing:candidate_confirm", args=[request.pk, candidate.pk])
    assert vera.post(confirm, {"reason": ""}).status_code == 200  # the form asks for a reason
    assert vera.post(confirm, {"reason": "Same month of birth, same unit."}).status_code == 302
    request.refresh_from_db()
    assert request.status == TracingStatus.LINKED

    inform = reverse("tracing:request_inform", args=[request.pk])
    form = vera.get(inform).content.decode()
    assert "He is alive and registered" in form
    too_much = vera.post(inform, {"consent": "given", "items": ["internment_place"]})
    assert too_much.status_code == 200 and "protection does not allow" in too_much.content.decode()
    told = vera.post(
        inform, {"consent": "given", "items": ["alive_registered"], "channel": "letter"}
    )
    assert told.status_code == 302
    request.refresh_from_db()
    assert request.status == TracingStatus.INFORMED
    assert "He is alive and registered" in vera.get(detail).content.decode()


def test_another_tracing_agency_gets_404_on_every_page_of_a_request(people):
    kim = register_kim(people.registrar)
    request = mother_request(people.interviewer)
    from tests.tracing.tracing_data import propose

    candidate = propose(request, kim)
    other = make_org("Other Mission", OrganisationKind.NEUTRAL_VERIFIER, "SE")
    sven = client_of(make_user(other, Role.INTERVIEWER, username="sven"))
    assert sven.get(reverse("tracing:request_detail", args=[request.pk])).status_code == 404
    urls = [
        reverse("tracing:candidate_confirm", args=[request.pk, candidate.pk]),
        reverse("tracing:candidate_reject", args=[request.pk, candidate.pk]),
        reverse("tracing:request_inform", args=[request.pk]),
        reverse("tracing:request_close", args=[request.pk]),
    ]
    for url in urls:
        assert sven.get(url).status_code == 404, url
        assert sven.post(url, {"reason": "x"}).status_code == 404, url
    assert sven.post(reverse("tracing:request_search", args=[request.pk])).status_code == 404
    assert CONTACT_MARKER not in sven.get(reverse("tracing:request_list")).content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "proposed"


def test_a_duplicate_pair_is_reviewed_and_merged_through_the_pages(
    people, django_capture_on_commit_callbacks
):
    kim = register_kim(people.registrar)
    twin = person_register(
        actor=people.registrar, names=[NameInput(family_name="김", given_name="철수")],
        nationalities=["KP"], birth_date=kim.birth_date, birth_date_precision="month",
        unit=kim.unit,
    )  # fmt: skip
    alice = client_of(people.registrar)
    with django_capture_on_commit_callbacks(execute=True):  # the search is a job
        assert alice.post(reverse("tracing:duplicate_list")).status_code == 302
    pair = DuplicatePair.objects.get()
    listing = alice.get(reverse("tracing:duplicate_list")).content.decode()
    assert reverse("tracing:duplicate_detail", args=[pair.pk]) in listing
    detail = reverse("tracing:duplicate_detail", args=[pair.pk])
    page = alice.get(detail).content.decode()
    assert kim.registry_number in page and twin.registry_number in page
    response = alice.post(
        detail, {"verdict": "same", "survivor": str(kim.pk), "reason": "One man, two lists."}
    )
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.SAME
    # The absorbed number still leads to the survivor's page.
    page = alice.get(
        reverse("registry:person_detail", args=[twin.registry_number])
    ).content.decode()
    assert kim.registry_number in page
    assert twin.registry_number not in alice.get(reverse("registry:person_list")).content.decode()


def test_a_refused_merge_shows_why(people):
    from tests.cases.builders import scheduled

    person, _transfer = scheduled(people)
    other = register_kim(people.registrar)
    pair = pair_of(person, other)
    response = client_of(people.registrar).post(
        reverse("tracing:duplicate_detail", args=[pair.pk]),
        {"verdict": "same", "survivor": str(other.pk), "reason": "One man."},
    )
    assert response.status_code == 200
    assert "scheduled transfer" in response.content.decode()


def test_candidates_below_the_threshold_are_listed_after_the_line_with_their_probability(
    people, monkeypatch
):
    """Above the line the likely one, below it the unlikely namesake with his probability;
    another detaining power's twin on neither side (the policy widened so a registrar, who
    sees only his own organisation's persons, handles tracing)."""
    from safepassage.access import policy
    from tests.tracing.tracing_data import brother_request, register_kuznetsov

    likely = register_kuznetsov(people.registrar, year=1997)
    unlikely = register_kuznetsov(people.registrar, year=1960)
    hidden = [register_kuznetsov(people.outsider, year=year) for year in (1997, 1961)]
    rules = dict(policy._RULES)
    rules[policy.Action.TRACING_HANDLE] = [({OrganisationKind.DETAINING_POWER}, {Role.REGISTRAR})]
    monkeypatch.setattr(policy, "_RULES", rules)
    request = brother_request(people.registrar)
    alice = client_of(people.registrar)
    searched = alice.post(reverse("tracing:request_search", args=[request.pk]), follow=True)
    assert "Search done: 2 candidates, 1 above the threshold." in searched.content.decode()
    weak = request.candidates.get(person=unlikely)
    page = alice.get(reverse("tracing:request_detail", args=[request.pk])).content.decode()
    line = page.index("Below this line: less likely than the threshold 0.05")
    assert page.index(likely.registry_number) < line < page.index(unlikely.registry_number)
    assert weak.probability < 0.01 and "probability under 0.01, below the threshold" in page
    confirm = reverse("tracing:candidate_confirm", args=[request.pk, weak.pk])
    assert confirm in page  # reviewed like any other candidate
    for person in hidden:
        assert person.registry_number not in page


def test_a_search_that_finds_no_one_says_so(people):
    request = mother_request(people.interviewer, family_name="Тёмкин", given_name="Ефрем")
    vera = client_of(people.interviewer)
    vera.post(reverse("tracing:request_search", args=[request.pk]))
    page = vera.get(reverse("tracing:request_detail", args=[request.pk])).content.decode()
    assert "The search found no one with a similar name" in page
    assert "Below this line" not in page
