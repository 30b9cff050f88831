"""The person search finds a man under the spelling a family knows, in every romanization and
script of the name tables, ranks by the tracing engine's comparison and says why he was found,
and never shows a person the reader may not see."""

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from safepassage.names import bgn_pcgn, icao, romanize, ukrainian_national
from safepassage.registry.models import NameKey, Person, PersonName
from safepassage.registry.search import SYSTEMS, person_search
from safepassage.registry.selectors import person_list
from safepassage.registry.services import NameInput, person_name_add, person_update
from tests.factories import force_login_fresh, register

pytestmark = pytest.mark.django_db

# (stored family, stored given, system, how that system writes the name).
HANGUL_SYSTEMS = [
    ("revised", lambda f, g: romanize(f"{f} {g}", "revised")),
    ("mccune_reischauer", lambda f, g: romanize(f"{f} {g}", "mccune_reischauer")),
    ("dprk", lambda f, g: romanize(f"{f} {g}", "dprk", syllables_apart=True)),
    ("kontsevich", lambda f, g: romanize(f"{f} {g}", "kontsevich")),
]
CYRILLIC_SYSTEMS = [
    ("icao", "Ковальов", "Олексій", lambda f, g: icao(f"{f} {g}")),
    ("ukrainian_national", "Ковальов", "Олексій", lambda f, g: ukrainian_national(f"{f} {g}")),
    ("bgn_pcgn", "Ковалёв", "Алексей", lambda f, g: bgn_pcgn(f"{f} {g}", "ru")),
    ("bgn_pcgn", "Ковальов", "Олексій", lambda f, g: bgn_pcgn(f"{f} {g}", "uk")),
]


def client_of(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def _search(actor, query):
    found, _capped = person_search(actor=actor, query=query, cap=100)
    return list(found)


@pytest.mark.parametrize(("system", "spell"), HANGUL_SYSTEMS, ids=[s for s, _f in HANGUL_SYSTEMS])
@pytest.mark.parametrize(("family", "given"), [("강", "은혁"), ("리", "경철"), ("백", "진성")])
def test_a_hangul_name_is_found_in_each_romanization_with_the_system_named(
    people, system, spell, family, given
):
    man = register(people.registrar, family=family, given=given)
    register(people.registrar, family="박", given="영수")  # another man, not found
    query = spell(family, given)
    found = _search(people.registrar, query)
    assert [p.pk for p in found] == [man.pk], query
    reason = found[0].found.reason
    assert reason.startswith(f"{query} = {family} {given}, ")
    assert str(SYSTEMS[system]) in reason


@pytest.mark.parametrize(
    ("system", "family", "given", "spell"),
    CYRILLIC_SYSTEMS,
    ids=[f"{s}-{f}" for s, f, _g, _x in CYRILLIC_SYSTEMS],
)
def test_a_cyrillic_name_is_found_in_each_transliteration_with_the_system_named(
    people, system, family, given, spell
):
    man = register(people.registrar, family=family, given=given, nationalities=("UA",))
    query = spell(family, given)
    found = _search(people.registrar, query)
    assert [p.pk for p in found] == [man.pk], query
    assert str(SYSTEMS[system]) in found[0].found.reason


def test_the_southern_spelling_of_the_initial_sound_law_is_found(people):
    man = register(people.registrar, family="리", given="경철")
    found = _search(people.registrar, "이경철")
    assert [p.pk for p in found] == [man.pk]
    assert str(SYSTEMS["initial_sound"]) in found[0].found.reason


def test_a_spelling_of_no_system_is_found_by_the_phonetic_keys_with_the_engines_words(people):
    man = register(people.registrar, family="강", given="은혁")
    found = _search(people.registrar, "Gang Eun-hyuk")  # popular, not Revised
    assert [p.pk for p in found] == [man.pk]
    assert "same name in another script or romanization" in found[0].found.reason


def test_the_best_match_comes_first(people):
    namesake = register(people.registrar, family="강", given="은철")
    man = register(people.registrar, family="강", given="은혁")
    found = _search(people.registrar, "Kang Un Hyok")
    assert found[0].pk == man.pk
    assert namesake.pk not in [p.pk for p in found[:1]]


def test_a_person_the_reader_may_not_see_is_never_found(people):
    theirs = register(people.outsider, family="강", given="은혁")
    assert NameKey.objects.filter(person=theirs).exists()
    assert _search(people.registrar, "Gang Eun-hyeok") == []
    assert not person_list(actor=people.registrar, query="Gang Eun-hyeok").exists()


def test_the_api_list_finds_him_under_another_romanization_too(people):
    man = register(people.registrar, family="강", given="은혁")
    assert list(person_list(actor=people.registrar, query="Gang Eun-hyeok")) == [man]


def test_a_new_name_and_an_edit_rewrite_his_keys_in_the_same_transaction(people):
    import datetime

    man = register(people.registrar, family="Kim", given="Chol Su")
    person_name_add(actor=people.registrar, person=man, name=NameInput("김", "철수"))
    assert [p.pk for p in _search(people.registrar, "Gim Cheolsu")] == [man.pk]
    man.refresh_from_db()
    person_update(
        actor=people.registrar, person=man, expected_version=man.version,
        birth_date=datetime.date(1990, 5, 17),
    )  # fmt: skip
    names = PersonName.objects.filter(person=man).count()
    assert NameKey.objects.filter(person=man, kind="fam+dob").count() == names
    assert NameKey.objects.filter(person=man, key__endswith="|1990-05-17").exists()


def test_the_search_page_shows_the_reason(people):
    man = register(people.registrar, family="강", given="은혁")
    page = client_of(people.registrar).get(reverse("registry:person_list"), {"q": "Gang Eun-hyeok"})
    text = page.content.decode()
    assert man.registry_number in text
    assert "Gang Eun-hyeok = 강 은혁, Revised Romanization" in text


def test_the_ranking_reads_names_only_and_the_page_reads_its_own_persons(people):
    for i in range(12):
        register(people.registrar, family="Kim", given=f"Chol {i}")
    loaded = []
    original = Person.from_db.__func__

    def counting(cls, *args, **kwargs):
        loaded.append(1)
        return original(cls, *args, **kwargs)

    with mock.patch.object(Person, "from_db", classmethod(counting)):
        found, capped = person_search(actor=people.registrar, query="Kim Chol", cap=100)
        assert (len(found), capped, loaded) == (12, False, [])
        page = found[:5]
    assert len(loaded) == 5
    assert all(p.found.name.startswith("Kim Chol") for p in page)
