"""Receiving a team's return bundle at the centre: all or nothing, once, from its own package."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case, CaseState, WillExpression
from safepassage.field.models import FieldConflict, FieldPackage, ReceivedBundle
from safepassage.field.services import (
    BundleRefused,
    server_keys,
    visit_bundle_receive,
    visit_package_create,
)
from safepassage.lib.fieldpack import bundle_write, package_open
from safepassage.registry.services import person_update
from safepassage.visits.models import Interview
from tests.field.scenario import MARKER, visit_ready

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _server_key(settings, tmp_path):
    settings.FIELD_SERVER_KEY_FILE = tmp_path / "field-server.key"


def package_for(people):
    """(visit, the man to see, the package as the team's laptop opens it)."""
    visit, person = visit_ready(people.registrar, people.interviewer)
    data, _package = visit_package_create(
        actor=people.interviewer, visit=visit, passphrase=PASSPHRASE
    )
    return visit, person, package_open(data, server_keys().public, PASSPHRASE)


@pytest.fixture
def packaged(people):
    return package_for(people)


def _will(person, **overrides):
    return {
        "local_id": 900,
        "person": person.registry_number,
        "recorded_by": "vera",
        "expressed_on": timezone.localdate().isoformat(),
        "source": "private_verification_interview",
        "setting": "private",
        "present": "",
        "present_party": False,
        "interpreter": "Kim Interpreter",
        "interpreter_affiliation": "verifier",
        "language": "ko",
        "wish": "named_states",
        "destinations_preferred": ["KR"],
        "destinations_refused": [],
        "certainty": 90,
        "statement": MARKER,
        **overrides,
    }


def _bundle(package, person, *, visit_id=None, wills=None, signing=None):
    visit_id = package.visit_id if visit_id is None else visit_id
    wills = [_will(person)] if wills is None else wills
    content = {
        "package_id": package.package_id,
        "visit_id": visit_id,
        "wills": wills,
        "interviews": [
            {
                "person": person.registry_number, "outcome": "interviewed",
                "held_on": wills[0]["expressed_on"] if wills else timezone.localdate().isoformat(),
                "setting": "private", "present": "", "present_party": False,
                "interpreter": "Kim Interpreter", "interpreter_affiliation": "verifier",
                "language": "ko", "will": wills[0]["local_id"] if wills else None,
                "recorded_by": "vera",
            }
        ],
        "seen": {person.registry_number: {"seen_on": "2026-12-07", "place": "Camp West-3"}},
    }  # fmt: skip
    data, _bundle_id = bundle_write(
        package_id=package.package_id,
        visit_id=visit_id,
        created_at=timezone.now().isoformat(),
        package_signing=signing or package.package_signing,
        server_box=package.server_box,
        content=content,
    )
    return data


def conflict_received(people, packaged) -> FieldConflict:
    """The team's bundle received after the registrar moved the man it saw: one conflict in
    the review queue."""
    _visit, person, package = packaged
    person.refresh_from_db()
    person_update(
        actor=people.registrar, person=person, expected_version=person.version,
        internment_place="Hospital East-1", internment_place_kind="hospital",
    )  # fmt: skip
    visit_bundle_receive(actor=people.interviewer, data=_bundle(package, person))
    return FieldConflict.objects.get()


def _written():
    return (
        WillExpression.objects.count(),
        Interview.objects.count(),
        ReceivedBundle.objects.count(),
        FieldConflict.objects.count(),
    )


def test_a_bundle_records_his_will_and_the_case_is_will_verified(people, packaged):
    _visit, person, package = packaged
    received, new = visit_bundle_receive(actor=people.interviewer, data=_bundle(package, person))
    assert new and received.wills == 1 and received.interviews == 1 and received.conflicts == 0
    will = WillExpression.objects.get(person=person)
    assert will.verified and will.statement == MARKER and will.recorded_by == people.interviewer
    assert Case.objects.get(person=person).state == CaseState.WILL_VERIFIED
    assert Interview.objects.get(person=person).will_expression == will
    assert AuditEvent.objects.filter(action="field.receive").count() == 1


def test_the_same_bundle_twice_writes_nothing_new(people, packaged):
    _visit, person, package = packaged
    data = _bundle(package, person)
    visit_bundle_receive(actor=people.interviewer, data=data)
    before = (_written(), AuditEvent.objects.count())
    received, new = visit_bundle_receive(actor=people.interviewer, data=data)
    assert not new and (_written(), AuditEvent.objects.count()) == before


def test_wills_are_appended_in_the_order_he_spoke(people, packaged):
    _visit, person, package = packaged
    today = timezone.localdate()
    later = _will(person, local_id=901, expressed_on=today.isoformat(), statement="later")
    earlier = _will(
        person, local_id=902, expressed_on=(today - timezone.timedelta(days=1)).isoformat(),
        wish="undecided", destinations_preferred=[], statement="earlier",
    )  # fmt: skip
    visit_bundle_receive(
        actor=people.interviewer, data=_bundle(package, person, wills=[later, earlier])
    )
    statements = [w.statement for w in WillExpression.objects.filter(person=person).order_by("id")]
    assert statements == ["earlier", "later"]
    assert Case.objects.get(person=person).governing_will.statement == "later"


def _refused(people, data, match):
    before = (_written(), AuditEvent.objects.count())
    with pytest.raises(BundleRefused, match=match) as caught:
        visit_bundle_receive(actor=people.interviewer, data=data)
    assert "\n" not in str(caught.value) and "Nothing was written" in str(caught.value)
    assert (_written(), AuditEvent.objects.count()) == before


def test_a_tampered_bundle_is_refused_with_nothing_written(people, packaged):
    _visit, person, package = packaged
    document = json.loads(_bundle(package, person))
    sealed = bytearray(document["sealed"].encode())
    sealed[40] = ord("A") if sealed[40] != ord("A") else ord("B")
    document["sealed"] = sealed.decode()
    _refused(people, json.dumps(document).encode(), "not signed by the key of package")


def test_a_truncated_bundle_is_refused_with_nothing_written(people, packaged):
    _visit, person, package = packaged
    data = _bundle(package, person)
    _refused(people, data[: len(data) - 200], "truncated")


def test_a_bundle_replayed_for_another_visit_is_refused(people, packaged):
    _visit, person, package = packaged
    _refused(people, _bundle(package, person, visit_id=package.visit_id + 1), "names visit")


def test_a_bundle_signed_by_another_packages_key_is_refused(people, packaged):
    visit, person, package = packaged
    other, _ = visit_package_create(actor=people.interviewer, visit=visit, passphrase=PASSPHRASE)
    forger = package_open(other, server_keys().public, PASSPHRASE).package_signing
    _refused(people, _bundle(package, person, signing=forger), "signed by another package")


def test_a_bundle_of_a_package_this_server_did_not_issue_is_refused(people, packaged):
    _visit, person, package = packaged
    data = _bundle(package, person)
    FieldPackage.objects.all().delete()
    _refused(people, data, "did not issue")


def test_a_will_the_rules_refuse_writes_nothing_of_the_bundle(people, packaged):
    _visit, person, package = packaged
    good = _will(person, local_id=901)
    bad = _will(person, local_id=902, present="A camp officer")  # "private" yet witnessed
    _refused(people, _bundle(package, person, wills=[good, bad]), "private interview has no one")


def test_a_record_the_centre_changed_meanwhile_reaches_the_review_queue(people, packaged):
    _visit, person, package = packaged
    person.refresh_from_db()
    person_update(
        actor=people.registrar, person=person, expected_version=person.version,
        internment_place="Hospital East-1", internment_place_kind="hospital",
    )  # fmt: skip
    received, _new = visit_bundle_receive(actor=people.interviewer, data=_bundle(package, person))
    conflict = FieldConflict.objects.get()
    assert received.conflicts == 1 and conflict.resolved_at is None
    assert conflict.packaged_values["internment_place"] == "Camp West-3"
    assert conflict.centre_values["internment_place"] == "Hospital East-1"
    assert conflict.field_values["place"] == "Camp West-3"
    person.refresh_from_db()
    assert person.internment_place == "Hospital East-1"  # never overwritten from the field
    assert WillExpression.objects.filter(person=person).count() == 1  # history still appended


def test_only_the_visiting_team_may_receive(people, packaged):
    _visit, person, package = packaged
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        visit_bundle_receive(actor=people.registrar, data=_bundle(package, person))
    assert _written()[2] == 0


def test_the_console_refuses_in_one_line_with_exit_code_2(people, packaged, tmp_path):
    _visit, person, package = packaged
    path = tmp_path / "return.bundle"
    path.write_bytes(_bundle(package, person)[:-100])
    with pytest.raises(CommandError) as caught:
        call_command("visit", "receive", str(path), "--as", "vera")
    assert caught.value.returncode == 2 and "\n" not in str(caught.value)
    assert _written()[2] == 0


def test_a_bundle_received_for_another_visit_than_expected_is_refused(people, packaged):
    _visit, person, package = packaged
    before = _written()
    with pytest.raises(BundleRefused, match="not of visit"):
        visit_bundle_receive(
            actor=people.interviewer, data=_bundle(package, person),
            expected_visit=package.visit_id + 1,
        )  # fmt: skip
    assert _written() == before
