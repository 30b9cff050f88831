"""The demo data, seeded once for this module through the services, then flushed."""

from dataclasses import replace

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from safepassage.access.documents import can_read_document
from safepassage.access.visibility import persons_visible_to
from safepassage.accounts.models import Organisation, Role, User
from safepassage.audit.labels import ACTION_LABELS, action_known
from safepassage.audit.models import AuditEvent
from safepassage.cases.guard import evaluate_movement, guard_check, guard_facts
from safepassage.cases.models import Case, CaseState, Transfer, Wish
from safepassage.cases.services import transfer_movement
from safepassage.demo.cast import ACCOUNTS, DEMO_PASSWORD, ORGANISATIONS
from safepassage.demo.seed import demo_seed
from safepassage.documents.models import Document
from safepassage.documents.selectors import document_content
from safepassage.referrals.models import ReferralState
from safepassage.registry.models import Person, PersonName, Script
from tests.audit.tamper import append_only_suspended
from tests.factories import force_login_fresh


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = demo_seed()
        yield result
        with append_only_suspended():  # the audit table refuses DELETE and TRUNCATE
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def story(demo, db):
    wounded, undecided = demo.story
    return (
        Person.objects.select_related("case__governing_will").get(registry_number=wounded),
        Person.objects.select_related("case__governing_will").get(registry_number=undecided),
    )


def test_it_seeds_three_hundred_persons(demo, db):
    # How long seeding takes is not a unit test's business (the machine may be busy).
    assert demo.persons == 300
    assert Person.objects.count() == 300


def test_every_case_state_occurs_several_times(demo, db):
    counts = {state: Case.objects.filter(state=state).count() for state in CaseState}
    assert all(count >= 3 for count in counts.values()), counts


def test_the_wounded_soldier_was_80_per_cent_sure_then_verified_for_kr(story):
    wounded, _undecided = story
    # The press, the private interview, and his answer to the medical finding (demo/medical.py).
    press, verified, answer = wounded.will_expressions.order_by("id")
    assert (press.source, press.verified, press.certainty) == ("press_interview", False, 80)
    assert [c.code for c in press.destinations_preferred] == ["KR"]
    for will in (verified, answer):
        assert will.verified and will.source == "private_verification_interview"
        assert [c.code for c in will.destinations_preferred] == ["KR"]
        assert {c.code for c in will.destinations_refused} == {"KP", "RU"}
    assert wounded.case.governing_will == answer
    assert wounded.case.state == CaseState.LEGAL_ASSESSMENT
    assert wounded.is_seriously_wounded_or_sick and "jaw" in wounded.wounds


def test_the_wounded_soldier_keeps_his_assumed_identity_linked(story):
    wounded, _undecided = story
    scripts = {n.script for n in wounded.names.filter(is_assumed_identity=False)}
    assert scripts == {Script.HANGUL, Script.LATIN, Script.CYRILLIC}
    assumed = wounded.names.filter(is_assumed_identity=True)
    assert assumed.exists() and all("Tuva" in n.source for n in assumed)
    assert wounded.names.filter(romanization="dprk").exists()


def test_the_guard_would_refuse_his_route_through_russia_and_allow_kr(story):
    wounded, _undecided = story
    assert {r.country.code for r in wounded.risk_assessments.all()} == {"KR", "KP", "RU"}
    assert guard_check(person=wounded, destination="KR") == []  # every state on it assessed
    violations = guard_check(person=wounded, destination="KR", transit=["RU"])
    assert {v.rule for v in violations} == {"refused", "onward_risk", "onward_blocked_by_will"}
    assert any("might send him on to KP" in str(v) for v in violations)
    assert [v.rule for v in guard_check(person=wounded, destination="KR", transit=["CN"])] == [
        "not_assessed"
    ]
    assert [v.rule for v in guard_check(person=wounded, destination="KP")] == [
        "refused", "high_risk",
    ]  # fmt: skip


def test_the_second_soldier_was_undecided_then_asked_for_a_third_country(story):
    _wounded, undecided = story
    first, second = undecided.will_expressions.order_by("id")
    assert first.verified and first.wish == Wish.UNDECIDED
    assert second.verified and undecided.case.governing_will == second
    assert second.wish == Wish.THIRD_COUNTRY
    assert undecided.capture_date == story[0].capture_date


def test_two_states_were_asked_for_him_one_declined_and_brazil_accepted(story):
    _wounded, undecided = story
    answers = {r.organisation.country.code: r.state for r in undecided.referrals.all()}
    assert answers == {"IN": ReferralState.DECLINED, "BR": ReferralState.ACCEPTED}
    assert undecided.case.state == CaseState.DECIDED
    assert undecided.decisions.get().destination.code == "BR"
    brazil = User.objects.get(username="br-decision")
    india = User.objects.get(username="in-decision")
    assert persons_visible_to(brazil).filter(pk=undecided.pk).exists()
    assert not persons_visible_to(india).filter(pk=undecided.pk).exists()


def test_names_are_written_in_hangul_cyrillic_and_latin(demo, db):
    for script in (Script.HANGUL, Script.CYRILLIC, Script.LATIN):
        assert PersonName.objects.filter(script=script).count() >= 50
    assert PersonName.objects.filter(romanization="ukrainian_national").exists()
    assert PersonName.objects.exclude(patronymic="").count() >= 100


def test_several_nationalities_and_seriously_wounded_are_present(demo, db):
    nationalities = {code for (codes,) in Person.objects.values_list("nationalities")
                     for code in codes.split(",")}  # fmt: skip
    assert {"KP", "RU", "UA"} <= nationalities and len(nationalities) >= 5
    assert Person.objects.filter(health_status="seriously_wounded_or_sick").count() >= 10


def test_no_transfer_violates_the_guard(demo, db):
    live = Transfer.objects.exclude(status="cancelled").select_related("person")
    assert live.filter(status="executed").exists() and live.filter(status="scheduled").exists()
    for transfer in live:
        # As the guard saw him when it was scheduled or executed: still held.
        facts = replace(guard_facts(transfer.person), case_state=CaseState.TRANSFER_SCHEDULED)
        assert evaluate_movement(facts, transfer_movement(transfer)) == [], transfer


def test_the_workflow_and_audit_are_real(demo, db):
    assert AuditEvent.objects.filter(action="case.transition").count() > 1000
    assert AuditEvent.objects.filter(action="organisation.create").count() == len(ORGANISATIONS)


def test_every_demo_account_logs_in_with_the_shared_password(demo, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    users = User.objects.filter(username__in=[name for name, _org, _roles in ACCOUNTS])
    assert users.count() == len(ACCOUNTS)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)


def test_the_second_detaining_power_sees_only_its_own_prisoners(demo, db):
    ru_registrar = User.objects.get(username="ru-registrar")
    visible = persons_visible_to(ru_registrar)
    assert visible.exists()
    assert not visible.filter(registry_number__startswith="UA-").exists()


def test_seeding_twice_does_not_duplicate(demo, db):
    persons, organisations = Person.objects.count(), Organisation.objects.count()
    assert demo_seed() is None
    assert (Person.objects.count(), Organisation.objects.count()) == (persons, organisations)


def test_the_audit_log_opens_for_every_auditor_of_the_demo(demo, db):
    auditors = User.objects.filter(
        role_assignments__role=Role.AUDITOR, username__in=[a[0] for a in ACCOUNTS]
    )
    assert auditors.count() >= 2
    for auditor in auditors:
        client = Client()
        force_login_fresh(client, auditor)
        for url in (reverse("audit:audit_list"), reverse("audit:audit_export")):
            response = client.get(url)
            assert response.status_code == 200, (auditor.username, url)
    written = set(AuditEvent.objects.values_list("action", flat=True))
    assert all(action_known(code) for code in written), written - set(ACTION_LABELS)


def test_the_verifiers_home_lists_the_demos_men_awaiting_interview_by_place(demo, db):
    from safepassage.work.selectors import to_be_seen_by_place

    verifier = User.objects.get(username="verifier-interviewer")
    waiting = Person.objects.filter(case__state=CaseState.AWAITING_INTERVIEW)
    by_place = to_be_seen_by_place(user=verifier, limit=1000)
    listed = {item.label: group.place for group in by_place for item in group.items}
    assert listed == {p.registry_number: p.internment_place for p in waiting}
    assert all(group.place for group in by_place)  # every demo man's place is recorded
    client = Client()
    force_login_fresh(client, verifier)
    html = client.get(reverse("work:home")).content.decode()
    for group in by_place:
        assert group.place in html


def test_every_internment_place_of_the_demo_is_a_place_and_one_visit_is_planned(demo, db):
    from safepassage.registry.models import Place
    from safepassage.visits.models import SeeReason, Visit, VisitState

    named = Person.objects.exclude(internment_place="")
    assert not named.filter(place__isnull=True).exists()
    assert Place.objects.count() == named.values("place").distinct().count() > 1
    visit = Visit.objects.get()
    assert visit.state == VisitState.PLANNED and visit.team.count() == 3
    reasons = set(visit.to_see.values_list("reason", flat=True))
    assert SeeReason.AWAITING_INTERVIEW in reasons
    assert all(row.person.place_id == visit.place_id for row in visit.to_see.all())


def test_the_wounded_soldier_walks_the_medical_track_up_to_his_refusal(story):
    from safepassage.medical import selectors

    wounded, undecided = story
    track = selectors.track_of(wounded)
    assert wounded.art110_category == "direct_repatriation"
    assert track.presentations and track.examination.commission.members.count() == 3
    assert track.stage == selectors.REFUSES and track.consent.verified
    # He wants the Republic of Korea: the track offers a third state, and he shares his record.
    assert track.offered == selectors.NEUTRAL and track.shared
    assert selectors.direct_repatriation_refusal(wounded) is not None
    assert selectors.track_of(undecided).stage == selectors.NOT_PRESENTED


def test_the_second_soldiers_path_goes_on_to_reception_follow_up_and_the_alert(story):
    from django.utils import timezone

    from safepassage.cases import services as case_services
    from safepassage.followup import selectors as followup_selectors
    from safepassage.followup import services as followup_services
    from safepassage.notifications.models import Notification
    from tests.factories import execute, tomorrow

    _wounded, undecided = story
    users = {u.username: u for u in User.objects.select_related("organisation")}
    case_services.acceptance_record(actor=users["br-decision"], person=undecided)
    transfer = case_services.transfer_schedule(
        actor=users["ua-planner"], person=undecided, destination="BR", scheduled_for=tomorrow()
    )
    execute(users["ua-planner"], transfer)
    followup_services.reception_record(
        actor=users["br-decision"], person=undecided, arrived_on=timezone.localdate()
    )
    contact = followup_services.followups_schedule(
        actor=users["verifier-interviewer"], person=undecided
    )[0]
    followup_services.followup_record(
        actor=users["verifier-interviewer"], contact=contact, reached=True,
        contacted_on=timezone.localdate(), outcome="onward_removal", sent_on_to="KP",
    )  # fmt: skip
    alerted = Notification.objects.filter(queue="onward_risk", person=undecided)
    assert {n.user.username for n in alerted} == {"verifier-legal"}
    reports = followup_selectors.onward_reports(actor=users["ngo-legal"], country="BR")
    assert [r.sent_on_to for r in reports] == ["KP"]


def test_the_first_soldier_has_a_capture_card_a_photo_and_a_medical_note_for_their_readers(story):
    wounded, _undecided = story
    documents = {d.kind: d for d in Document.objects.filter(person=wounded)}
    assert set(documents) == {"capture_card", "photo", "medical_record"}
    doctor = User.objects.get(username="ua-doctor")
    note = document_content(actor=doctor, document=documents["medical_record"]).data
    assert note.startswith(b"%PDF")
    registrar = User.objects.get(username="ua-registrar")
    assert can_read_document(registrar, documents["capture_card"])
    assert not can_read_document(registrar, documents["medical_record"])


@pytest.mark.parametrize(
    ("query", "soldier", "reason"),
    [
        ("Gang Eun-hyeok", 0, "Gang Eun-hyeok = 강 은혁, Revised Romanization (ROK 2000)"),
        ("Baek Jin-seong", 1, "Baek Jin-seong = 백 진성, Revised Romanization (ROK 2000)"),
        ("Kang Un Hyok", 0, "Kang Un Hyok = Kang Un Hyok, As written"),
        ("Кан Ын Хёк", 0, "Кан Ын Хёк = Кан Ын Хёк, As written"),
        ("강은혁", 0, "강은혁 = 강 은혁, As written"),
    ],
)
def test_the_registry_search_finds_the_soldiers_under_any_spelling_with_the_reason(
    story, query, soldier, reason
):
    registrar = User.objects.get(username="ua-registrar")
    client = Client()
    force_login_fresh(client, registrar)
    page = client.get(reverse("registry:person_list"), {"q": query}).content.decode()
    results = page[page.index('id="results"') :]
    first = results.index("/persons/")
    assert results[first:].startswith(f"/persons/{story[soldier].registry_number}/")
    assert reason in results
