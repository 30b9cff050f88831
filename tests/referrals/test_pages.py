"""Who may open and submit every page of referrals, checked for every user; and what a
receiving state reads of a referral: his profile, never his names or his statement."""

import pytest
from django.urls import reverse

from safepassage.referrals import services
from safepassage.referrals import urls as referral_urls
from safepassage.referrals.models import ReferralState
from tests.referrals.builders import FAMILY_LINKS, STATEMENT, refer, third_country
from tests.web.test_permissions import USERS, _parse, _secrets, check_matrix_row

# Kim asks for any third country; vera referred him to bruno's state (BR), not to minjun's.
TABLE = """
url             methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
referral_list   GET       403   ok     403   403  403    403  ok   ok     ok   ok     ok    ok
referral_detail GET       404   ok     404   404  404    404  ok   ok     ok   404    ok    404
referral_step   GET,POST  404   403    404   404  404    404  403  403    403  404    ok    404
referral_new    GET,POST  403   ok     403   403  403    403  ok   403    403  404    404   404
"""
MATRIX = _parse(TABLE)
assert USERS


@pytest.fixture
def referral(people, orgs, kim):
    return refer(people, third_country(people, kim), orgs.other_receiving)


def _url(name, referral) -> str:
    pattern = next(p for p in referral_urls.urlpatterns if p.name == name)
    converters = pattern.pattern.converters
    kwargs = {}
    if "pk" in converters:
        kwargs["pk"] = referral.pk
    if "target" in converters:
        kwargs["target"] = ReferralState.ACCEPTED
    if "registry_number" in converters:
        kwargs["registry_number"] = referral.person.registry_number
    return reverse(f"referrals:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_page_of_referrals():
    assert {p.name for p in referral_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_referral_page_admits_exactly_the_people_the_table_names(
    name, people, kim, referral, login
):
    methods, expected = MATRIX[name]
    secrets = [*_secrets(kim), STATEMENT]
    check_matrix_row(name, _url(name, referral), methods, expected, people, login, secrets)


def test_the_state_reads_his_profile_but_not_his_names_or_statement(people, kim, referral, login):
    html = login(people.other_receiving_officer).get(_url("referral_detail", referral))
    text = html.content.decode()
    assert FAMILY_LINKS in text and "Any third country" in text
    assert kim.registry_number not in text and STATEMENT not in text
    assert not any(name in text for name in _secrets(kim)[:4])


def test_the_state_accepts_on_the_page_and_then_reaches_his_record(people, kim, referral, login):
    client = login(people.other_receiving_officer)
    response = client.post(_url("referral_step", referral), {"reference": "BR-17"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACCEPTED and referral.reference == "BR-17"
    page = client.get(_url("referral_detail", referral)).content.decode()
    assert kim.registry_number in page
    assert (
        client.get(reverse("registry:person_detail", args=[kim.registry_number])).status_code == 200
    )


def test_a_decline_without_its_reason_is_refused_on_the_form(people, referral, login):
    url = reverse("referrals:referral_step", args=[referral.pk, ReferralState.DECLINED])
    response = login(people.other_receiving_officer).post(url, {"reason": ""})
    assert response.status_code == 200 and "Give the reason" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == ReferralState.REFERRED


def test_the_verifier_refers_him_on_the_page(people, orgs, kim, login):
    third_country(people, kim)
    url = reverse("referrals:referral_new", args=[kim.registry_number])
    response = login(people.interviewer).post(
        url, {"organisation": orgs.receiving.pk, "family_links": "None abroad."}
    )
    assert response.status_code == 302
    assert kim.referrals.get().organisation == orgs.receiving


def test_the_list_of_a_state_holds_only_the_referrals_to_it(people, orgs, kim, referral, login):
    services.referral_make(actor=people.interviewer, person=kim, organisation=orgs.receiving)
    mine = login(people.receiving_officer).get(reverse("referrals:referral_list")).content.decode()
    assert orgs.receiving.name in mine and orgs.other_receiving.name not in mine


def test_the_person_page_leads_the_verifier_to_his_referrals(people, kim, referral, login):
    client = login(people.interviewer)
    page = client.get(reverse("registry:person_detail", args=[kim.registry_number]))
    assert reverse("referrals:referral_new", args=[kim.registry_number]) in page.content.decode()
    listed = client.get(reverse("referrals:referral_list"), {"person": kim.registry_number})
    assert f"Referral #{referral.pk}" in listed.content.decode()
