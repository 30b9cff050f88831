"""The case forms: wills, withdrawal, steps, legal representation, cancelling; and the org pages."""

from django.urls import reverse
from django.utils import timezone

from safepassage.cases.models import CaseState, Transfer, WillExpression
from tests.factories import handover, post_confirmed, record_will, step


def _will_data(**overrides):
    data = {
        "expressed_on": timezone.localdate().isoformat(), "source": "press_interview",
        "setting": "public", "present": "Journalists", "interpreter": "", "language": "ko",
        "wish": "named_states", "destinations_preferred": "KR", "destinations_refused": "",
        "certainty": "80", "statement": "About 80 per cent sure.",
    }  # fmt: skip
    return data | overrides


def test_the_will_form_explains_what_counts_as_verified(people, kim, login):
    html = login(people.interviewer).get(reverse("cases:will_new", args=[kim.registry_number]))
    text = html.content.decode()
    assert "Only a private interview by the neutral verifier, without witnesses" in text
    assert "not the neutral verifier" not in text


def test_a_will_recorded_by_the_detaining_power_is_kept_as_evidence(people, kim, login):
    client = login(people.detaining_interviewer)
    url = reverse("cases:will_new", args=[kim.registry_number])
    assert "not the neutral verifier" in client.get(url).content.decode()

    response = client.post(url, _will_data())

    assert response.status_code == 302
    assert WillExpression.objects.get().verified is False


def test_it_shows_the_services_objection_to_a_will(people, kim, login):
    response = login(people.interviewer).post(
        reverse("cases:will_new", args=[kim.registry_number]),
        _will_data(source="private_verification_interview", setting="private"),
    )
    assert response.status_code == 200
    assert "A private interview has no one else present" in response.content.decode()
    assert not WillExpression.objects.exists()


def test_the_verifier_withdraws_a_will_recorded_in_error(people, kim, login):
    step(people.registrar, kim, CaseState.NOTIFIED)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    will = record_will(people.interviewer, kim)
    url = reverse("cases:will_withdraw", args=[kim.registry_number, will.pk])

    response = login(people.interviewer).post(url, {"reason": "Wrong person interviewed."})

    assert response.status_code == 302
    will.refresh_from_db()
    assert will.is_withdrawn
    kim.case.refresh_from_db()
    assert kim.case.governing_will_id is None
    assert kim.case.state == CaseState.AWAITING_INTERVIEW


def test_the_step_form_lists_only_open_steps_and_shows_a_missing_precondition(people, kim, login):
    step(people.registrar, kim, CaseState.NOTIFIED)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    client = login(people.interviewer)
    url = reverse("cases:case_transition", args=[kim.registry_number])
    choices = [value for value, _label in client.get(url).context["form"].fields["target"].choices]
    assert choices == ["", "will_recorded", "will_verified"]  # none chosen in advance

    response = client.post(url, {"target": "will_verified", "reason": "Interviewed."})

    assert response.status_code == 200
    assert "No verified will is on record" in response.content.decode()
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.AWAITING_INTERVIEW


def test_the_detail_page_offers_the_next_step_to_the_registrar(people, kim, login):
    html = login(people.registrar).get(
        reverse("registry:person_detail", args=[kim.registry_number])
    )
    text = html.content.decode()
    assert "Record notification to the Central Agency" in text
    assert f'action="/persons/{kim.registry_number}/step/"' in text


def test_the_planner_cancels_a_scheduled_transfer(people, kim, scheduled, login):
    url = reverse("cases:transfer_cancel", args=[kim.registry_number, scheduled.pk])
    response = login(people.planner).post(url, {"reason": "Flight cancelled."})
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == "cancelled"
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.ACCEPTED


def test_executing_twice_is_refused_in_plain_words(people, kim, scheduled, login):
    client = login(people.planner)
    url = reverse("cases:transfer_execute", args=[kim.registry_number, scheduled.pk])
    facts = {key: value for key, value in handover(scheduled).items() if key != "confirmed"}
    assert post_confirmed(client, url, facts).status_code == 302
    response = post_confirmed(client, url, facts)
    assert response.status_code == 200
    assert "cannot be executed" in response.content.decode()
    assert Transfer.objects.get().status == "executed"


def test_the_registrar_assigns_a_legal_ngo_who_then_sees_the_case(orgs, people, kim, login):
    lena = login(people.legal_officer)
    detail = reverse("registry:person_detail", args=[kim.registry_number])
    assert lena.get(detail).status_code == 404

    response = login(people.registrar).post(
        reverse("cases:legal_assign", args=[kim.registry_number]), {"organisation": orgs.legal.pk}
    )

    assert response.status_code == 302
    assert lena.get(detail).status_code == 200


def test_the_auditor_sees_only_events_of_his_own_organisation(people, kim, scheduled, login):
    html = login(people.auditor).get(reverse("audit:audit_list")).content.decode()
    assert "person.register" in html
    assert "transfer.schedule" in html
    assert "will.record" not in html  # recorded by the verifier


def test_the_administrator_sees_the_members_and_their_roles(people, login):
    html = login(people.admin).get(reverse("accounts:members")).content.decode()
    assert "alice" in html
    assert "Registrar" in html
    assert "vera" not in html
