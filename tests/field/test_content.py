"""What a package holds (need-to-know) and what a return bundle carries back."""

import json

from django.utils import timezone

from safepassage.cases.models import InterviewSetting, Wish
from safepassage.field.content import bundle_content, package_content
from safepassage.registry.models import Person
from safepassage.visits import services as visit_services
from tests.factories import record_will
from tests.field.scenario import MARKER, visit_ready

NEXT_OF_KIN = "NOK-MARKER mother in Hamhung"


def test_a_package_holds_his_names_and_will_outcome_never_a_statement(people):
    visit, person = visit_ready(people.registrar, people.interviewer)
    record_will(people.interviewer, person, statement=MARKER)
    person = Person.objects.get(pk=person.pk)
    person.next_of_kin = NEXT_OF_KIN
    person.save(update_fields=["next_of_kin"])
    content = package_content(visit)
    text = json.dumps(content, ensure_ascii=False)
    assert MARKER not in text
    assert NEXT_OF_KIN not in text
    (packaged,) = content["persons"]
    assert packaged["registry_number"] == person.registry_number
    assert {n["family_name"] for n in packaged["names"]} == {"리"}
    assert packaged["languages"] == "ko, ru" and packaged["nationalities"] == ["KP"]
    assert packaged["governing_will"]["wish"] == Wish.NAMED_STATES
    assert packaged["governing_will"]["verified"] is True
    assert [u["username"] for u in content["users"]] == ["vera"]
    assert "password" not in text


def test_a_bundle_carries_the_interview_and_the_will_recorded_in_the_field(people):
    visit, person = visit_ready(people.registrar, people.interviewer)
    visit_services.interview_record(
        actor=people.interviewer, visit=visit, person=person, outcome="interviewed",
        held_on=timezone.localdate(), setting=InterviewSetting.PRIVATE,
        interpreter="Kim Interpreter", interpreter_affiliation="verifier", language="ko",
        will=visit_services.WillInput(wish=Wish.NAMED_STATES, certainty=85,
                                      destinations_preferred=["KR"], statement=MARKER),
    )  # fmt: skip
    content = bundle_content(package_id="p", visit_id=visit.pk, packaged_wills=[])
    (will,) = content["wills"]
    (interview,) = content["interviews"]
    assert will["statement"] == MARKER and will["recorded_by"] == "vera"
    assert interview["will"] == will["local_id"] and interview["outcome"] == "interviewed"
    assert content["seen"][person.registry_number]["place"] == "Camp West-3"


def test_a_will_recorded_on_its_own_page_returns_as_his_interview(people):
    visit, person = visit_ready(people.registrar, people.interviewer)
    packaged = record_will(people.interviewer, person, statement="before the visit")
    later = record_will(people.interviewer, person, statement=MARKER)
    content = bundle_content(package_id="p", visit_id=visit.pk, packaged_wills=[packaged.pk])
    assert [w["statement"] for w in content["wills"]] == [MARKER]
    assert [i["will"] for i in content["interviews"]] == [later.pk]
