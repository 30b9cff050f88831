"""The referral path through the API: refer, the state's answer, its profile; refusals are
problem details naming the field."""

import pytest

from safepassage.referrals.models import Referral, ReferralState
from tests.referrals.builders import FAMILY_LINKS, STATEMENT, refer, third_country

pytestmark = pytest.mark.django_db
LIST = "/api/v1/referrals/"


def _step(client, referral, **body):
    return client.post(f"{LIST}{referral.pk}/transitions/", body, format="json")


def test_the_verifier_refers_him_and_the_state_reads_only_his_profile(people, orgs, kim, api):
    third_country(people, kim)
    created = api(people.interviewer).post(
        LIST, {"person": kim.pk, "organisation": orgs.other_receiving.pk,
               "family_links": FAMILY_LINKS}, format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["person"] == kim.pk
    read = api(people.other_receiving_officer).get(f"{LIST}{created.json()['id']}/")
    body = read.json()
    assert body["person"] is None and body["profile"]["family_links"] == FAMILY_LINKS
    assert body["profile"]["will_outcome"] == "Any third country"
    assert kim.registry_number not in read.content.decode()
    assert STATEMENT not in read.content.decode()


def test_the_state_accepts_and_then_the_answer_names_him(people, orgs, kim, api):
    referral = refer(people, third_country(people, kim), orgs.other_receiving)
    client = api(people.other_receiving_officer)
    answered = _step(client, referral, target="accepted", reference="BR-9", version=1)
    assert answered.status_code == 200, answered.content
    assert answered.json()["state"] == "accepted" and answered.json()["person"] == kim.pk
    assert client.get(f"/api/v1/persons/{kim.pk}/").status_code == 200


def test_a_decline_without_a_reason_is_a_problem_naming_the_field(people, orgs, kim, api):
    referral = refer(people, third_country(people, kim), orgs.other_receiving)
    refused = _step(api(people.other_receiving_officer), referral, target="declined")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "reason"
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.REFERRED


def test_a_stale_version_is_a_conflict_problem(people, orgs, kim, api):
    referral = refer(people, third_country(people, kim), orgs.other_receiving)
    stale = _step(api(people.other_receiving_officer), referral, target="accepted", version=7)
    assert stale.status_code == 409


def test_a_referral_without_his_consent_is_refused(people, orgs, kim, api):
    refused = api(people.interviewer).post(
        LIST, {"person": kim.pk, "organisation": orgs.other_receiving.pk}, format="json"
    )
    assert refused.status_code == 422
    assert not Referral.objects.exists()


def test_the_state_lists_only_the_referrals_made_to_it(people, orgs, kim, api):
    third_country(people, kim)
    refer(people, kim, orgs.receiving)
    refer(people, kim, orgs.other_receiving)
    listed = api(people.receiving_officer).get(LIST).json()["results"]
    assert [r["organisation"] for r in listed] == [orgs.receiving.pk]
