"""The tracing search's candidates come from the registry's name index in the database: written
with every name, current in every process at once, and never a way around need-to-know."""

import datetime

import pytest

from safepassage.access import policy, visibility
from safepassage.accounts.models import OrganisationKind, Role
from safepassage.registry.models import NameKey, PersonName
from safepassage.registry.services import NameInput, person_name_add, person_update
from safepassage.tracing import search_index, services
from safepassage.tracing.linkage import LinkRecord
from safepassage.tracing.linkage.model import default_parameters
from safepassage.tracing.linkage.records import features
from tests.factories import register
from tests.tracing.tracing_data import mother_request, register_kim

pytestmark = pytest.mark.django_db


def _rank(people, family, given, birth_date=""):
    query = LinkRecord("q", family_name=family, given_name=given, birth_date=birth_date)
    return [
        int(c.id)
        for c in search_index.rank_visible(
            actor=people.interviewer, query=query, limit=20, threshold=0.05,
            visible=visibility.persons_visible_to(people.interviewer),
        )
    ]  # fmt: skip


def test_no_process_holds_an_index_of_its_own(people):
    kim = register_kim(people.registrar)
    assert _rank(people, "Ким", "Чхоль Су", "1999-04") == [kim.pk]
    assert _rank(people, "Kim", "Cheol-su", "1999") == [kim.pk]
    assert not hasattr(search_index, "registry_index")
    assert not hasattr(search_index, "_HOLDER")


def test_a_person_registered_a_moment_ago_is_found_by_the_next_search(people):
    register_kim(people.registrar)
    _rank(people, "Kim", "Chol Su")
    ri = register(
        people.registrar, family="리", given="경철", birth_date=datetime.date(1998, 3, 11)
    )
    assert _rank(people, "Lee", "Gyeong-cheol", "1998-03-11")[:1] == [ri.pk]
    assert NameKey.objects.filter(person=ri, kind="fam+dob").exists()


def test_an_edit_and_a_new_name_reach_the_index(people):
    kim = register_kim(people.registrar)
    assert _rank(people, "Kim", "Chol Su", "1999-04")[:1] == [kim.pk]
    person_update(
        actor=people.registrar, person=kim, expected_version=kim.version,
        birth_date=datetime.date(1987, 6, 2), birth_date_precision="exact",
    )  # fmt: skip
    top = search_index.rank_visible(
        actor=people.interviewer, query=LinkRecord("q", "Kim", "Chol Su", birth_date="1987-06-02"),
        limit=1, threshold=0.0, visible=visibility.persons_visible_to(people.interviewer),
    )[0]  # fmt: skip
    assert {e.field: e.level for e in top.explanation}["birth_date"] == "same date"
    name = NameInput(family_name="Ким", given_name="Пётр")  # Koryo-saram: a Russian given name
    person_name_add(actor=people.registrar, person=kim, name=name)
    assert _rank(people, "Ким", "Пётр", "1987-06-02")[:1] == [kim.pk]


def test_a_merged_record_leaves_the_index(people):
    from safepassage.tracing.services import duplicate_pair_decide
    from tests.tracing.tracing_data import pair_of

    kim = register_kim(people.registrar)
    twin = register_kim(people.registrar)
    assert set(_rank(people, "Kim", "Chol Su", "1999-04")) == {kim.pk, twin.pk}
    duplicate_pair_decide(
        actor=people.registrar, pair=pair_of(kim, twin), same=True, reason="One man.",
        survivor=kim,
    )  # fmt: skip
    assert _rank(people, "Kim", "Chol Su", "1999-04") == [kim.pk]
    assert NameKey.objects.filter(person=kim).count() > NameKey.objects.filter(person=twin).count()


def test_the_shared_index_answers_each_reviewer_only_with_persons_he_may_see(people, monkeypatch):
    ours = register_kim(people.registrar)
    theirs = register_kim(people.outsider)  # an exact twin, held by another detaining power
    assert set(_rank(people, "Kim", "Chol Su", "1999-04")) == {ours.pk, theirs.pk}  # the Agency
    rules = dict(policy._RULES)
    rules[policy.Action.TRACING_HANDLE] = [({OrganisationKind.DETAINING_POWER}, {Role.REGISTRAR})]
    monkeypatch.setattr(policy, "_RULES", rules)
    request = mother_request(people.registrar)
    found = services.tracing_request_search(actor=people.registrar, request=request)
    assert [c.person for c in found] == [ours]
    assert NameKey.objects.filter(person=theirs).exists()  # the index holds both; the answer one


def test_a_key_shared_by_more_names_than_a_block_holds_is_not_scanned(people, monkeypatch):
    kim = register_kim(people.registrar)
    twin = register_kim(people.registrar)
    monkeypatch.setattr(search_index, "MAX_BLOCK", 1)
    # Each of the query's keys finds both men: no block is scanned.
    assert _rank(people, "Kim", "Chol Su", "1999-04") == []
    monkeypatch.setattr(search_index, "MAX_BLOCK", 2)
    assert set(_rank(people, "Kim", "Chol Su", "1999-04")) == {kim.pk, twin.pk}


def test_the_term_frequencies_are_counted_in_the_index(people):
    register_kim(people.registrar)
    register_kim(people.registrar)
    row = features(LinkRecord("q", "Ким", "Чхоль Су"))
    frequencies = search_index.IndexFrequencies(row, default_parameters())
    names = PersonName.objects.count()  # each of his names is written "Kim" in some script
    assert frequencies.counts["fam"] == names == frequencies.total == 4
    assert frequencies.get("fam", row["fam"]) > frequencies.get("fam", row["fam"]) / 2 > 0
    assert frequencies.get("fam", "k:other") is None


def test_a_count_that_reaches_the_cap_is_taken_from_the_databases_statistics(people, monkeypatch):
    register_kim(people.registrar)
    row = features(LinkRecord("q", "Ким", "Чхоль Су"))
    monkeypatch.setattr(search_index, "TF_COUNT_CAP", 1)
    monkeypatch.setattr(search_index, "common_key_counts", lambda: {row["fam"]: 999})
    frequencies = search_index.IndexFrequencies(row, default_parameters())
    assert frequencies.counts["fam"] == 999  # Kim is common: the statistics say how common
    assert frequencies.counts["giv"] == 1  # a value the statistics do not list keeps the cap


def test_the_registrys_nationalities_and_partial_date_reach_the_comparison(people):
    kim = register_kim(people.registrar)
    query = LinkRecord("q", "Kim", "Chol Su", birth_date="1999-04", nationality="PRK")
    (top,) = search_index.rank_visible(
        actor=people.interviewer, query=query, limit=1, threshold=0.0,
        visible=visibility.persons_visible_to(people.interviewer),
    )  # fmt: skip
    levels = {e.field: e.level for e in top.explanation}
    assert int(top.id) == kim.pk
    assert levels["nationality"] == "same nationality"
    assert levels["birth_date"] != "not known on one side"


def test_only_the_names_with_the_rarest_keys_in_common_are_scored(monkeypatch):
    monkeypatch.setattr(search_index, "SCORED_NAMES", 2)
    common = list(range(100, 150))  # fifty names share a common key with the query
    found = search_index._best_evidence([common, [7, 100], [7]])
    assert found == [7, 100]  # 7: two rare keys; 100: a rare one besides the common one
    monkeypatch.setattr(search_index, "SCORED_NAMES", 300)
    assert len(search_index._best_evidence([common, [7, 100], [7]])) == 51


def test_a_value_the_statistics_put_above_the_cap_is_not_counted_again(people, monkeypatch):
    register_kim(people.registrar)
    row = features(LinkRecord("q", "Ким", "Чхоль Су"))
    monkeypatch.setattr(search_index, "common_key_counts", lambda: {row["fam"]: 5000})
    names, counts = search_index.candidates_and_counts(row)
    assert counts["fam"] == 5000  # the statistics' estimate, not the one row counted here
    assert counts["giv"] == 2 and names  # a rarer value is counted (two of his names hold it)
