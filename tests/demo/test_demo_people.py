"""The name tables and generators, without the database."""

import datetime
import random

from safepassage.demo.names import KOREAN_FAMILY, korean_given
from safepassage.demo.people import korean_soldier, russian_soldier

TODAY = datetime.date(2026, 11, 23)


def test_a_given_name_has_its_dprk_popular_and_russian_forms():
    chol_su = korean_given("철수")
    assert (chol_su.dprk, chol_su.popular, chol_su.russian) == ("Chol Su", "Chul-soo", "Чхоль Су")


def test_family_names_keep_the_initial_sound_law_pairs():
    by_hangul = {f.hangul: f for f in KOREAN_FAMILY}
    assert (by_hangul["리"].dprk, by_hangul["리"].popular) == ("Ri", "Lee")
    assert (by_hangul["림"].dprk, by_hangul["림"].popular) == ("Rim", "Lim")
    assert (by_hangul["류"].dprk, by_hangul["류"].popular) == ("Ryu", "Yoo")


def test_the_same_seed_gives_the_same_people():
    first = [korean_soldier(random.Random(7), TODAY), russian_soldier(random.Random(7), TODAY)]
    again = [korean_soldier(random.Random(7), TODAY), russian_soldier(random.Random(7), TODAY)]
    assert first == again


def test_a_russian_soldier_has_a_patronymic_in_every_record():
    soldier = russian_soldier(random.Random(3), TODAY)
    assert {n.script for n in soldier.names} == {"Cyrl", "Latn"}
    assert all(n.patronymic for n in soldier.names)
    assert soldier.fields["capture_date"] < TODAY
