"""The name tables: every spelling of one name gets one comparison key, across scripts."""

import pytest

from safepassage.lib.text import detect_script
from safepassage.names import (
    apply_initial_sound_law,
    bgn_pcgn,
    icao,
    korean_family_name_key,
    korean_given_name_key,
    name_keys,
    romanize,
    slavic_family_name_key,
    slavic_given_name_key,
    split_full_name,
    ukrainian_national,
)

SAME_KOREAN_FAMILY_NAMES = [
    ["리", "이", "Ri", "Lee", "Yi", "Rhee", "I", "Ли", "Ри"],
    ["박", "Pak", "Park", "Bak", "Пак"],
    ["김", "Kim", "Gim", "Ким"],
    ["최", "Choe", "Ch'oe", "Choi", "Чхве", "Цой"],
    ["정", "Jong", "Jeong", "Chŏng", "Chung", "Jung", "Чон"],
    ["류", "유", "Ryu", "Yu", "Yoo", "You", "Рю", "Ю"],
    ["림", "임", "Rim", "Im", "Lim", "Рим", "Лим"],
    ["로", "노", "Ro", "No", "Roh", "Ро", "Но"],
    ["량", "양", "Ryang", "Yang", "Рян", "Ян"],
    ["룡", "용", "Ryong", "Yong"],
]


@pytest.mark.parametrize("spellings", SAME_KOREAN_FAMILY_NAMES, ids=lambda s: s[0])
def test_it_gives_every_spelling_of_a_korean_family_name_one_key(spellings):
    keys = {korean_family_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_family_name_key(s) for s in spellings}


def test_it_keeps_different_korean_family_names_apart():
    keys = [korean_family_name_key(s) for s in ("김", "리", "박", "최", "강", "윤", "한")]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Kyong-chol", "Kyong Chol", "Kyongchol", "Gyeongcheol", "Gyeong-cheol", "Kyŏngch'ŏl",
         "Кён Чхоль", "Кёнчхоль", "경철"],
        ["Chol Su", "Cheol-su", "Ch'ŏlsu", "Chul-soo", "Cheolsu", "Чхоль Су", "Чхольсу", "철수"],
        ["Ryong-su", "Yong-su", "룡수", "용수"],
    ],
    ids=["kyongchol", "cholsu", "initial-law"],
)  # fmt: skip
def test_it_gives_every_spelling_of_a_korean_given_name_one_key(spellings):
    keys = {korean_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_given_name_key(s) for s in spellings}


def test_it_keeps_different_korean_given_names_apart():
    assert korean_given_name_key("Chol Su") != korean_given_name_key("Kyong Chol")
    assert korean_given_name_key("철수") != korean_given_name_key("영호")


@pytest.mark.parametrize(
    "spellings",
    [
        ["Олексій", "Алексей", "Oleksii", "Oleksiy", "Aleksey", "Alexey", "Alexei", "Aleksei"],
        ["Олександр", "Александр", "Oleksandr", "Aleksandr", "Alexander", "Alexandr"],
        ["Сергій", "Сергей", "Serhii", "Serhiy", "Sergei", "Sergey"],
        ["Дмитро", "Дмитрий", "Dmytro", "Dmitriy", "Dmitry"],
        ["Микола", "Николай", "Mykola", "Nikolai", "Nikolay"],
        ["Володимир", "Владимир", "Volodymyr", "Vladimir"],
        ["Юрій", "Юрий", "Yurii", "Yuriy", "Yury", "Iurii"],
    ],
    ids=lambda s: s[2],
)
def test_it_gives_russian_and_ukrainian_forms_of_a_given_name_one_key(spellings):
    keys = {slavic_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: slavic_given_name_key(s) for s in spellings}


@pytest.mark.parametrize(
    "spellings",
    [
        ["Кузнєцов", "Кузнецов", "Kuznietsov", "Kuznetsov", "Kuznyetsov"],
        ["Ковальов", "Ковалёв", "Kovalov", "Kovalev", "Kovalyov"],
        ["Шевченко", "Shevchenko"],
        ["Гончаренко", "Honcharenko", "Goncharenko"],
    ],
    ids=lambda s: s[1],
)
def test_it_gives_russian_and_ukrainian_forms_of_a_family_name_one_key(spellings):
    keys = {slavic_family_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: slavic_family_name_key(s) for s in spellings}


def test_it_keeps_different_slavic_names_apart():
    assert slavic_given_name_key("Олексій") != slavic_given_name_key("Олександр")
    assert slavic_family_name_key("Кузнецов") != slavic_family_name_key("Ковалёв")


def test_it_applies_the_souths_initial_sound_law_to_the_first_syllable_only():
    assert apply_initial_sound_law("리") == "이"
    assert apply_initial_sound_law("림") == "임"
    assert apply_initial_sound_law("류") == "유"
    assert apply_initial_sound_law("량") == "양"
    assert apply_initial_sound_law("로") == "노"
    assert apply_initial_sound_law("룡수") == "용수"
    assert apply_initial_sound_law("김") == "김"
    assert apply_initial_sound_law("수룡") == "수룡"


def test_it_romanizes_hangul_in_each_system():
    assert romanize("김 철수", "revised") == "Gim Cheolsu"
    assert romanize("김 철수", "mccune_reischauer") == "Kim Ch'ŏlsu"
    assert romanize("리 경철", "dprk", syllables_apart=True) == "Ri Kyong Chol"
    assert romanize("박 경철", "kontsevich") == "Пак Кёнчхоль"
    assert romanize("정 길동", "mccune_reischauer") == "Chŏng Kildong"


def test_it_transliterates_cyrillic_in_each_passport_system():
    assert ukrainian_national("Олексій Кузнєцов") == "Oleksii Kuznietsov"
    assert ukrainian_national("Юрій Згурський") == "Yurii Zghurskyi"
    assert ukrainian_national("Жданов") == "Zhdanov"
    assert icao("Алексей Кузнецов") == "Aleksei Kuznetsov"
    assert bgn_pcgn("Алексей", "ru") == "Aleksey"
    assert bgn_pcgn("Олексій", "uk") == "Oleksiy"


def test_it_detects_the_script_of_a_name():
    assert detect_script("리경철") == "Hang"
    assert detect_script("Кузнєцов") == "Cyrl"
    assert detect_script("Kyŏng-ch'ŏl") == "Latn"
    assert detect_script("") == "Zyyy"
    assert detect_script("Kuznetsоv") == "Latn"  # one Cyrillic о typed inside


@pytest.mark.parametrize(
    ("full", "family", "given"),
    [
        ("Kim Chol Su", "Kim", "Chol Su"),
        ("Chol Su Kim", "Kim", "Chol Su"),
        ("김철수", "김", "철수"),
        ("남궁민수", "남궁", "민수"),
        ("Кузнецов Алексей Иванович", "Кузнецов", "Алексей"),
        ("Oleksii Kuznietsov", "Kuznietsov", "Oleksii"),
        ("Un Sok Chang", "Chang", "Un Sok"),
    ],
)
def test_it_finds_the_family_name_in_a_full_name_of_unknown_order(full, family, given):
    assert split_full_name(full)[:2] == (family, given)


def test_a_whole_name_keys_the_same_across_order_scripts_and_patronymics():
    variants = [
        name_keys("Ri", "Kyong Chol"),
        name_keys("리", "경철"),
        name_keys("Lee", "Gyeong-cheol"),
        name_keys("Ли", "Кён Чхоль"),
        name_keys(full="Kyong-chol Rhee"),
        name_keys("Kyong Chol", "Ri"),  # swapped fields
    ]
    assert len({(k.family, k.given) for k in variants}) == 1
    slavic = [
        name_keys("Кузнецов", "Алексей Иванович"),
        name_keys("Кузнєцов", "Олексій"),
        name_keys("Kuznietsov", "Oleksii"),
        name_keys(full="Aleksey Kuznetsov"),
        name_keys("Алексей", "Кузнецов"),  # swapped fields
    ]
    assert len({(k.family, k.given) for k in slavic}) == 1


def test_a_typo_in_a_short_korean_family_name_still_finds_the_name():
    assert korean_family_name_key("Cnoi") == korean_family_name_key("Choi")
    assert name_keys("Rhae", "Kyong-ho").origin == "korean"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Jun Gwang", "Jungwang", "Чун Кван", "Чункван", "준광", "Chun-kwang"],
        ["Ryon Guk", "Yeon-guk", "Рён Кук", "련국", "연국"],
    ],
    ids=["n-before-g", "initial-law-and-n-before-g"],
)
def test_a_final_n_before_a_k_keys_the_same_in_every_system(spellings):
    """Kontsevich writes ㅇ and ㄴ both "н"; a joined romanization cannot tell n+g from ng."""
    keys = {korean_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_given_name_key(s) for s in spellings}


@pytest.mark.parametrize(
    "spellings",
    [
        ["Myŏnggil", "Myonggil", "Myongkil", "Мёнгиль", "Мёнкиль", "명길"],
        ["Gwanggwang", "Kwangkwang", "Кванкван", "광광"],
        ["Sanggyeong", "Sangkyong", "Санкён", "상경"],
    ],
    ids=["myonggil", "gwanggwang", "sanggyeong"],
)
def test_ng_before_a_k_keys_as_kontsevich_writes_it(spellings):
    """Latin writes the ㅇ of 명길 and its ㄱ (ngg, ngk), Kontsevich one "нк" or "нг"."""
    keys = {korean_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_given_name_key(s) for s in spellings}


@pytest.mark.parametrize(
    "spellings",
    [
        ["Myeonghyeok", "Myonghyok", "Мёнхёк", "명혁"],
        ["Kwanghye", "Кванхе", "광혜"],
        ["Chonghui", "Чонхый", "정희"],
    ],
    ids=["myeonghyeok", "kwanghye", "chonghui"],
)
def test_an_h_after_ng_begins_the_next_syllable_in_every_system(spellings):
    keys = {korean_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_given_name_key(s) for s in spellings}


@pytest.mark.parametrize(
    "spellings",
    [
        ["Hyemin", "Hye-min", "Хемин", "Хе Мин", "혜민"],
        ["Hye-in", "Хе Ин", "혜인"],
        ["Yejin", "Ye-jin", "Еджин", "예진"],
    ],
    ids=["hyemin", "hyein", "yejin"],
)
def test_kontsevichs_e_is_the_souths_ye(spellings):
    """ㅖ is "е" in Kontsevich (Хемин) and "ye" in every Latin system (Hyemin)."""
    keys = {korean_given_name_key(s) for s in spellings}
    assert len(keys) == 1, {s: korean_given_name_key(s) for s in spellings}


def test_the_y_of_yeo_stays():
    assert korean_given_name_key("Hyeok") == korean_given_name_key("Хёк")
    assert korean_given_name_key("Hyeok") != korean_given_name_key("Hek")


def test_a_slavic_given_name_is_never_mistaken_for_a_mistyped_korean_family_name():
    assert name_keys("Иван", "Рыбаков").family == slavic_family_name_key("Рыбаков")  # not Хван
    assert name_keys("Nam", "Won Un").origin == "korean"  # Won is not Ivan
    assert slavic_given_name_key("Won") != slavic_given_name_key("Ivan")


def test_a_koryo_saram_name_keys_as_written_whatever_the_nationality():
    assert name_keys("Ким", "Пётр", nationality="KP") == name_keys("Ким", "Пётр")
    assert name_keys("Цой", "Виктор").given == slavic_given_name_key("Віктор")


def test_a_typo_in_a_korean_family_name_is_found_through_its_one_letter_deletions():
    assert korean_family_name_key("Cnoi") == korean_family_name_key("최")
    assert korean_family_name_key("Kmi") == korean_family_name_key("김")
    assert korean_family_name_key("Paark") == korean_family_name_key("박")
    assert korean_family_name_key("Smith") not in {
        korean_family_name_key(s) for s in ("김", "리", "박", "최", "정")
    }
