"""A long tail of fictional Russian surnames for `safepassage seed`, in the three forms records use.

The demo's 46 common surnames (`safepassage/demo/names.py`) would give every name of a million
persons 17,000 namesakes; a real registry has a few very common names and thousands of rare
ones. Here stems and suffixes make about a thousand more, each written as a Russian record
writes it, in BGN/PCGN Latin and as a Ukrainian record renders it — the same three forms as
the demo's table, so cross-script search behaves as with real data. Fictional, not a survey.
"""

import random

# Stems of surnames (nouns, old first names, trades), as Russian writes them.
_STEM_TEXT = """
Агап Акул Алтын Арсен Астах Бабак Баран Барсук Басман Белоус Берез Бобр Богдан Бондар Борщ Браг
Булат Бурлак Быстр Вакул Варнак Веден Верш Ветл Вихр Власт Вороб Ворон Гвозд Глад Глух Голуб Горд
Горюн Граб Гром Грузд Гуляк Дегтяр Дем Добр Долг Дорож Дрозд Дуб Дудар Ерем Ерш Ефрем Жар Жбан
Ждан Жил Журавл Забел Загор Замят Звер Зелен Злат Зуб Ивашк Игнат Изюм Кабан Калаш Калин Камен
Карп Каш Кедр Клен Клюк Ковыл Колес Комар Кондрат Копыл Корж Костыл Котл Кочет Крас Крот Круг Крыл
Кудр Кулик Куприян Курган Лапт Ларион Лебяж Левш Лесн Лис Лобан Лопат Луб Лукьян Лыс Мазур Малах
Малин Марк Мартын Медвед Мельн Мешк Мирон Молод Мох Назар Невзор Нестер Овчин Огар Орех Осип Остап
Пахом Пестр Плотн Полян Потап Прох Пушк Рад Раз Родион Рыж Ряб Сазон Самар Сафрон Свирид Сев Селезн
Сидор Сиз Скворц Скобл Сом Стар Стрельц Сурк Сыч Талан Тарак Тимош Тихон Ткач Толст Трофим Тур Угл
Устин Фад Федот Филат Фом Хар Харит Хмел Хомяк Хром Цвет Чайк Чеснок Черн Чиж Шаб Шар Швец Шил Шуб
Щегл Щук Юд Юрк Яблок Язык Якун Ярош Ястреб
"""
STEMS = _STEM_TEXT.split()
# Suffix as Russian writes it → as a Ukrainian record renders it.
SUFFIXES = {"ов": "ов", "ин": "ін", "ский": "ський", "енко": "енко", "ук": "ук", "ых": "их",
            "ичев": "ичев"}  # fmt: skip

_LATIN = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъыьэюя",
        ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
         "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
        strict=True,
    )
)  # fmt: skip
_VOWELS = set("аеёиоуыэюяьъ")
# Letters a Ukrainian record writes differently in a Russian stem.
_UKRAINIAN = {"и": "і", "ы": "и", "э": "е", "ё": "ьо"}


def latin(russian: str) -> str:
    """BGN/PCGN romanization (simplified): ё is yo; е is ye at the start and after a vowel."""
    out, previous = [], ""
    for letter in russian.lower():
        if letter == "ё":
            out.append("yo")
        elif letter == "е":
            out.append("ye" if not previous or previous in _VOWELS else "e")
        else:
            out.append(_LATIN.get(letter, letter))
        previous = letter
    text = "".join(out)
    return text[:1].upper() + text[1:]


def ukrainian(stem: str, suffix: str) -> str:
    """The surname as a Ukrainian record renders it (stem letter by letter, then the suffix)."""
    return "".join(_UKRAINIAN.get(letter, letter) for letter in stem) + SUFFIXES[suffix]


def surname_pool() -> list[tuple[str, str, str]]:
    """(Russian Cyrillic, Latin, Ukrainian Cyrillic) for every stem and suffix, in a fixed,
    shuffled order (so the commoner names are not all early in the alphabet)."""
    pool = [
        (stem + suffix, latin(stem + suffix), ukrainian(stem, suffix))
        for stem in STEMS
        for suffix in SUFFIXES
    ]
    random.Random(0).shuffle(pool)  # noqa: S311 - fictional data, not secrets
    return pool


def feminine(surname: str) -> str:
    """A woman's form of a Russian surname (the mother named as next of kin)."""
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname


def rare_surname(rng: random.Random, pool: list[tuple[str, str, str]]) -> tuple[str, str, str]:
    """One of the pool, the earlier ones more often: the first 1% of the names are drawn a
    tenth of the time, the last ones half as often as under a uniform draw."""
    index = int(len(pool) * rng.random() ** 2)
    return pool[min(index, len(pool) - 1)]
