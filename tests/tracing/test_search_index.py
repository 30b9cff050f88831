"""The tracing search's cached index: built once, kept current as the registry changes, and
never a way around need-to-know."""

import datetime

import pytest

from safepassage.access import policy, visibility
from safepassage.accounts.models import OrganisationKind, Role
from safepassage.registry.services import NameInput, person_name_add, person_update
from safepassage.tracing import search_index, services
from safepassage.tracing.linkage import LinkRecord
from tests.factories import register
from tests.tracing.tracing_data import mother_request, register_kim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    search_index.forget()
    yield
    search_index.forget()


def _rank(people, family, given, birth_date=""):
    query = LinkRecord("q", family_name=family, given_name=given, birth_date=birth_date)
    return [
        int(c.id)
        for c in search_index.rank_visible(
            actor=people.interviewer, query=query, limit=20, threshold=0.05,
            visible=visibility.persons_visible_to(people.interviewer),
        )
    ]  # fmt: skip


def test_it_is_built_once_and_reused_while_the_registry_is_unchanged(people):
    kim = register_kim(people.registrar)
    builds = search_index._HOLDER.builds
    assert _rank(people, "Ким", "Чхоль Су", "1999-04") == [kim.pk]
    assert _rank(people, "Kim", "Cheol-su", "1999") == [kim.pk]
    assert search_index._HOLDER.builds == builds + 1


def test_a_person_registered_after_the_build_is_found_without_a_rebuild(people):
    register_kim(people.registrar)
    _rank(people, "Kim", "Chol Su")
    builds = search_index._HOLDER.builds
    ri = register(
        people.registrar, family="리", given="경철", birth_date=datetime.date(1998, 3, 11)
    )
    assert _rank(people, "Lee", "Gyeong-cheol", "1998-03-11")[:1] == [ri.pk]
    assert search_index._HOLDER.builds == builds


def test_an_edit_and_a_new_name_reach_the_index(people):
    kim = register_kim(people.registrar)
    assert _rank(people, "Kim", "Chol Su", "1999-04")[:1] == [kim.pk]
    person_update(
        actor=people.registrar, person=kim, expected_version=kim.version,
        birth_date=datetime.date(1987, 6, 2), birth_date_precision="exact",
    )  # fmt: skip
    top = search_index.registry_index().rank(
        LinkRecord("q", "Kim", "Chol Su", birth_date="1987-06-02"), limit=1
    )[0]
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
    assert str(twin.pk) not in search_index.registry_index().positions


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
    assert len(search_index.registry_index()) >= 2  # the index holds both; the answer one


def test_a_registry_that_went_back_is_indexed_again(people):
    register_kim(people.registrar)
    search_index.registry_index()
    builds = search_index._HOLDER.builds
    mark = search_index._HOLDER.mark
    search_index._HOLDER.mark = search_index.Watermark(
        mark.last_person + 100, mark.last_name + 100, mark.last_change
    )  # as if persons had been rolled back since
    search_index.registry_index()
    assert search_index._HOLDER.builds == builds + 1
