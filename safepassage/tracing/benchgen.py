"""Multi-script benchmark generator: Korean, Russian and Ukrainian men written as lists write them.

Distributions: Korean family names by their share in the 2015 ROK census (김 21.5 %, 이 14.7 %,
박 8.4 % …; the North's shares are similar), given names from two syllables of a pool of common
male syllables; Russian and Ukrainian given and family names from frequency-ordered lists (the
head of the list drawn most). The many same-name different people that result are the point.

Each person is written in a *style* (who wrote the list): Hangul North or South, DPRK-style Latin,
Revised Romanization or popular spellings, McCune–Reischauer, Kontsevich Cyrillic; Russian or
Ukrainian Cyrillic, ICAO/BGN/Ukrainian-national Latin, English spellings. Noise: typos, family and
given name swapped, a full name of unknown order, patronymics, partial dates (year, year-month),
day and month swapped, Korean age counting (a year off), an age guessed (two or three years off),
missing fields, service numbers with and without separators.
"""

import random
from dataclasses import dataclass

from safepassage.lib.text import CYRILLIC, HANGUL, LATIN, detect_script
from safepassage.names import hangul, slavic
from safepassage.names.korean import FAMILY_NAMES
from safepassage.tracing.linkage.records import LinkRecord

KOREAN_FAMILY_SHARES = {
    "김": 21.5, "리": 14.7, "박": 8.4, "최": 4.7, "정": 4.3, "강": 2.3, "조": 2.1, "윤": 2.1,
    "장": 2.0, "림": 1.7, "한": 1.5, "오": 1.5, "서": 1.5, "신": 1.5, "권": 1.4, "황": 1.4,
    "안": 1.4, "송": 1.4, "류": 1.3, "전": 1.1, "홍": 1.1, "고": 0.9, "문": 0.9, "량": 0.9,
    "손": 0.9, "배": 0.8, "백": 0.8, "허": 0.6, "남": 0.5, "심": 0.5, "로": 0.5, "하": 0.5,
    "곽": 0.4, "성": 0.4, "차": 0.4, "주": 0.4, "우": 0.4, "구": 0.4, "민": 0.3, "라": 0.3,
    "진": 0.3, "지": 0.3, "엄": 0.3, "채": 0.3, "원": 0.3, "천": 0.3, "방": 0.3, "공": 0.2,
    "현": 0.2, "함": 0.2, "변": 0.2, "렴": 0.2, "려": 0.2, "추": 0.1, "도": 0.1, "석": 0.1,
    "선": 0.1, "설": 0.1, "마": 0.1, "길": 0.1, "련": 0.1, "위": 0.1, "표": 0.1, "명": 0.1,
}  # fmt: skip
GIVEN_SYLLABLES = [
    "철",
    "수",
    "영",
    "호",
    "민",
    "준",
    "성",
    "진",
    "경",
    "남",
    "일",
    "광",
    "명",
    "혁",
    "현",
    "석",
    "동",
    "용",
    "룡",
    "길",
    "학",
    "국",
    "상",
    "훈",
    "원",
    "재",
    "정",
    "춘",
    "봉",
    "만",
    "복",
    "덕",
    "범",
    "태",
    "우",
    "식",
    "선",
    "희",
    "혜",
    "금",
    "은",
    "산",
    "송",
    "무",
    "혁",
    "건",
    "주",
    "명",
    "룡",
    "림",
    "련",
    "력",
    "락",
]
RUSSIAN_UKRAINIAN_FAMILY = [
    ("Кузнецов", "Кузнєцов"), ("Иванов", "Іванов"), ("Смирнов", "Смирнов"), ("Попов", "Попов"),
    ("Ковалёв", "Ковальов"), ("Шевченко", "Шевченко"), ("Бондаренко", "Бондаренко"),
    ("Мельник", "Мельник"), ("Соколов", "Соколов"), ("Лебедев", "Лебедєв"), ("Козлов", "Козлов"),
    ("Новиков", "Новіков"), ("Морозов", "Морозов"), ("Петров", "Петров"), ("Волков", "Волков"),
    ("Соловьёв", "Соловйов"), ("Васильев", "Васильєв"), ("Зайцев", "Зайцев"),
    ("Павлов", "Павлов"), ("Семёнов", "Семенов"), ("Голубев", "Голубєв"),
    ("Виноградов", "Виноградов"), ("Богданов", "Богданов"), ("Воробьёв", "Воробйов"),
    ("Фёдоров", "Федоров"), ("Михайлов", "Михайлов"), ("Беляев", "Біляєв"),
    ("Тарасов", "Тарасов"), ("Белов", "Білов"), ("Комаров", "Комаров"), ("Орлов", "Орлов"),
    ("Киселёв", "Кисельов"), ("Макаров", "Макаров"), ("Андреев", "Андрєєв"),
    ("Ковальчук", "Ковальчук"), ("Бойко", "Бойко"), ("Ткаченко", "Ткаченко"),
    ("Кравченко", "Кравченко"), ("Коваленко", "Коваленко"), ("Олейник", "Олійник"),
    ("Шевчук", "Шевчук"), ("Полищук", "Поліщук"), ("Лысенко", "Лисенко"),
    ("Руденко", "Руденко"), ("Савченко", "Савченко"), ("Марченко", "Марченко"),
    ("Мороз", "Мороз"), ("Романенко", "Романенко"), ("Петренко", "Петренко"),
    ("Клименко", "Клименко"), ("Павленко", "Павленко"), ("Гончаренко", "Гончаренко"),
    ("Григорьев", "Григор'єв"), ("Сидоренко", "Сидоренко"), ("Ильин", "Ільїн"),
    ("Гусев", "Гусєв"), ("Титов", "Титов"), ("Кузьмин", "Кузьмін"), ("Кудрявцев", "Кудрявцев"),
    ("Баранов", "Баранов"), ("Куликов", "Куликов"), ("Алексеев", "Олексеєв"),
    ("Степанов", "Степанов"), ("Яковлев", "Яковлєв"), ("Сорокин", "Сорокін"),
    ("Сергеев", "Сергєєв"), ("Романов", "Романов"), ("Захаров", "Захаров"),
    ("Борисов", "Борисов"), ("Королёв", "Корольов"), ("Герасимов", "Герасимов"),
]  # fmt: skip
# The long tail of Slavic family names: patronymic-type names built the way most Russian and
# Ukrainian surnames were (a stem — a trade, a nickname, a baptismal name — and -ов/-ев/-ин,
# -енко, -чук/-ук, -ский). The 70 common names above head the list; the tail follows in a fixed
# order, so that the same name is the same rank whatever the seed.
SURNAME_STEMS = (
    "Бабак", "Бабин", "Белоус", "Бережн", "Бирюк", "Богатыр", "Бондар", "Борщ", "Бровар",
    "Булав", "Бурлак", "Быч", "Вакул", "Варен", "Ващ", "Верб", "Вишн", "Вовк", "Ворон", "Гайдам",
    "Галуш", "Гарбуз", "Гнат", "Голуб", "Гончар", "Горбат", "Грач", "Гриц", "Гуз", "Дацк",
    "Демид", "Дудар", "Дьяк", "Ерем", "Жук", "Журав", "Забол", "Задорож", "Зинч", "Зубр",
    "Игнат", "Карп", "Кваш", "Кириленк", "Клим", "Ковтун", "Колесн", "Комар", "Кондрат", "Корж",
    "Косач", "Костыл", "Котл", "Кравц", "Крут", "Кулиш", "Куц", "Лавр", "Левч", "Лесн", "Литвин",
    "Лозов", "Лукаш", "Лыс", "Мазур", "Макух", "Малыш", "Мартын", "Матв", "Мацк", "Мель",
    "Мирош", "Мороз", "Мотыл", "Назар", "Нестер", "Нечип", "Овчар", "Ожог", "Олейн", "Онищ",
    "Остап", "Павлюк", "Панас", "Пархом", "Пасечн", "Петрук", "Пилип", "Плах", "Погреб",
    "Полтав", "Пономар", "Приход", "Прокоп", "Пушкар", "Радч", "Рыбак", "Рудн", "Рябок", "Савч",
    "Самойл", "Свирид", "Сем", "Сирот", "Скрип", "Слюс", "Собол", "Сотн", "Стец", "Тимош",
    "Ткач", "Трофим", "Тур", "Тягн", "Устим", "Федор", "Фом", "Хом", "Цыбул", "Чайк", "Черн",
    "Чуприн", "Шаповал", "Швец", "Шостак", "Щерб", "Юрч", "Явор", "Ярем", "Яцен",
)  # fmt: skip
SURNAME_ENDINGS = ("ов", "енко", "ук", "ин", "ев", "чук", "ский")


def _tail_surnames() -> list[tuple[str, str]]:
    names = []
    for index, stem in enumerate(SURNAME_STEMS):
        for step in range(3):  # three endings per stem, rotating through the list
            ending = SURNAME_ENDINGS[(index + step * 2) % len(SURNAME_ENDINGS)]
            russian = stem + ending
            names.append((russian, _ukrainian_form(russian)))
    random.Random(0).shuffle(names)
    return names


def _ukrainian_form(russian: str) -> str:
    """The Ukrainian spelling of a Russian-spelled surname: ы→и, и→і, э→е, ё→ьо, -ев→-єв,
    -ский→-ський. Names of Ukrainian form (-енко, -ук) are written alike in both."""
    if russian.endswith(("енко", "ук")):
        return russian
    stem, ending = (russian[:-4], "ський") if russian.endswith("ский") else (russian, "")
    text = stem.replace("и", "і").replace("ы", "и").replace("э", "е").replace("ё", "ьо") + ending
    return text[:-2] + "єв" if text.endswith("ев") else text


SLAVIC_FAMILY = RUSSIAN_UKRAINIAN_FAMILY + [
    name for name in _tail_surnames() if name[0] not in {r for r, _ in RUSSIAN_UKRAINIAN_FAMILY}
]
MALE_GIVEN = [row for row in slavic.GIVEN_NAMES if not row[0].endswith(("а", "я"))]
PLACES_KO = [("평양", "Pyongyang", "Пхеньян"), ("함흥", "Hamhung", "Хамхын"),
             ("청진", "Chongjin", "Чхонджин"), ("원산", "Wonsan", "Вонсан"),
             ("신의주", "Sinuiju", "Синыйджу"), ("개성", "Kaesong", "Кэсон")]  # fmt: skip
PLACES_SL = [("Москва", "Москва", "Moscow"), ("Ростов", "Ростов", "Rostov"),
             ("Курск", "Курськ", "Kursk"), ("Белгород", "Бєлгород", "Belgorod"),
             ("Донецк", "Донецьк", "Donetsk"), ("Казань", "Казань", "Kazan"),
             ("Кызыл", "Кизил", "Kyzyl")]  # fmt: skip


@dataclass(frozen=True)
class Person:
    """The truth about one generated man."""

    key: str
    origin: str  # "korean", "russian", "ukrainian"
    family: tuple[str, ...]  # Korean: the table row; Slavic: (ru, uk)
    given: tuple[str, ...]  # Korean: (hangul,); Slavic: the GIVEN_NAMES row
    father: tuple[str, ...]
    year: int
    month: int
    day: int
    place: tuple[str, ...]
    unit: str
    service_number: str


def _korean_row(hangul_name: str) -> tuple[str, ...]:
    for row in FAMILY_NAMES:
        if row[0] == hangul_name:
            return row
    raise KeyError(hangul_name)


class Generator:
    def __init__(self, seed: int = 1):
        self.rng = random.Random(seed)
        korean_names = [h for h in KOREAN_FAMILY_SHARES if any(r[0] == h for r in FAMILY_NAMES)]
        self._ko_rows = [_korean_row(h) for h in korean_names]
        self._ko_weights = [KOREAN_FAMILY_SHARES[h] for h in korean_names]
        # Zipf-like shares: the commonest family name about 2 %, the commonest given name
        # about 10 % (Ivanov, Aleksandr; Kim's 21.5 % is the census figure).
        self._sl_weights = [1 / (i + 10) for i in range(len(SLAVIC_FAMILY))]
        self._gv_weights = [1 / (i + 4) for i in range(len(MALE_GIVEN))]
        self._counter = 0

    # --- people -------------------------------------------------------------------------
    def person(self, origin: str | None = None) -> Person:
        rng = self.rng
        self._counter += 1
        origin = origin or rng.choices(["korean", "russian", "ukrainian"], [0.5, 0.3, 0.2])[0]
        year = rng.randint(1975, 2006)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        unit = f"{rng.randint(1, 400)}"
        service = f"{rng.randint(10, 99)}{rng.randint(100000, 999999)}"
        if origin == "korean":
            family = rng.choices(self._ko_rows, self._ko_weights)[0]
            given = (rng.choice(GIVEN_SYLLABLES) + rng.choice(GIVEN_SYLLABLES),)
            father: tuple[str, ...] = ()
            place = rng.choice(PLACES_KO)
        else:
            family = rng.choices(SLAVIC_FAMILY, self._sl_weights)[0]
            given = rng.choices(MALE_GIVEN, self._gv_weights)[0]
            father = rng.choices(MALE_GIVEN, self._gv_weights)[0]
            place = rng.choice(PLACES_SL)
        return Person(f"p{self._counter}", origin, family, given, father, year, month, day,
                      place, unit, service)  # fmt: skip

    def namesake(self, person: Person) -> Person:
        """Another man with the same name (born elsewhere, another year)."""
        self._counter += 1
        rng = self.rng
        return Person(f"p{self._counter}", person.origin, person.family, person.given,
                      person.father, rng.randint(1975, 2006), rng.randint(1, 12),
                      rng.randint(1, 28), person.place, f"{rng.randint(1, 400)}",
                      f"{rng.randint(10, 99)}{rng.randint(100000, 999999)}")  # fmt: skip

    # --- writing ------------------------------------------------------------------------
    def _korean_family(self, person: Person, script: str, style: str) -> str:
        row = person.family
        if script == HANGUL:
            south = len(row) > 1 and detect_script(row[1]) == HANGUL
            return row[1] if (style == "south" and south) else row[0]
        spellings = [s for s in row if detect_script(s) == script and not s.endswith("?")]
        if style == "north" and script == LATIN:
            north = hangul.romanize(row[0], "dprk")
            return north if self.rng.random() < 0.7 else self.rng.choice(spellings)
        return self.rng.choice(spellings)

    def _korean_given(self, person: Person, system: str) -> str:
        word = person.given[0]
        if system in ("revised", "mccune_reischauer") and self.rng.random() < 0.5:
            word = hangul.apply_initial_sound_law(word)
        if system == "hangul":
            return word
        syllables = [hangul.romanize_word(ch, system) for ch in word]
        joined = hangul.romanize_word(word, system)
        form = self.rng.random()
        if system == "kontsevich":
            text = " ".join(s.capitalize() for s in syllables) if form < 0.6 else joined
            return text.capitalize() if form >= 0.6 else text
        if form < 0.4:
            return " ".join(s.capitalize() for s in syllables)
        if form < 0.75:
            return "-".join(syllables).capitalize()
        return joined.capitalize()

    def _slavic(self, person: Person, style: str) -> tuple[str, str, str]:
        rng = self.rng
        ukrainian = style.startswith("uk")
        family = person.family[1] if ukrainian else person.family[0]
        given_cyr = person.given[1] if ukrainian else person.given[0]
        father = person.father[1] if ukrainian else person.father[0]
        patronymic = _patronymic(father, ukrainian)
        if style.endswith("cyr"):
            return family, given_cyr, patronymic
        if ukrainian:
            translit = slavic.ukrainian_national
        else:
            translit = rng.choice([slavic.icao, lambda t: slavic.bgn_pcgn(t, "ru")])
        given = translit(given_cyr)
        popular = [s for s in person.given[2:] if detect_script(s) == LATIN and "?" not in s]
        if style == "popular" and popular:
            given = rng.choice(popular)
        return translit(family), given, translit(patronymic)

    def write(self, person: Person, style: str, *, noise: float = 1.0) -> LinkRecord:
        """One list entry for `person` in `style` (see STYLES), with noise."""
        rng = self.rng
        patronymic = ""
        if person.origin == "korean":
            script, spelling, system = {
                "hangul_north": (HANGUL, "north", "hangul"),
                "hangul_south": (HANGUL, "south", "hangul"),
                "dprk_latin": (LATIN, "north", "dprk"),
                "revised": (LATIN, "south", "revised"),
                "mccune_reischauer": (LATIN, "any", "mccune_reischauer"),
                "cyrillic": (CYRILLIC, "any", "kontsevich"),
            }[KOREAN_STYLE[style]]
            family = self._korean_family(person, script, spelling)
            if system == "hangul" and spelling == "south":
                given = self._korean_given(person, "hangul")
                given = hangul.apply_initial_sound_law(given)
            else:
                given = self._korean_given(person, system)
            place = person.place[{HANGUL: 0, LATIN: 1, CYRILLIC: 2}[script]]
        else:
            family, given, patronymic = self._slavic(person, SLAVIC_STYLE[style])
            place = person.place[2 if SLAVIC_STYLE[style] in ("ru_latin", "uk_latin", "popular")
                                 else (1 if SLAVIC_STYLE[style] == "uk_cyr" else 0)]  # fmt: skip
        family, given = self._typo(family, noise), self._typo(given, noise)
        if patronymic and rng.random() < 0.3:
            given = f"{given} {patronymic}"
        full = ""
        if rng.random() < 0.05 * noise:
            family, given = given, family
        if rng.random() < 0.15 * noise:
            parts = [family, given] if rng.random() < 0.6 else [given, family]
            full, family, given = " ".join(p for p in parts if p), "", ""
        return LinkRecord(
            id="",
            family_name=family,
            given_name=given,
            full_name=full,
            birth_date=self._date(person, noise),
            birth_place=place if rng.random() < 0.5 else "",
            nationality="",
            unit=self._unit(person, noise) if rng.random() < 0.5 else "",
            service_number=self._service(person) if rng.random() < 0.25 else "",
        )

    def _typo(self, text: str, noise: float) -> str:
        rng = self.rng
        if len(text) < 4 or rng.random() > 0.08 * noise or detect_script(text) == HANGUL:
            return text
        i = rng.randrange(1, len(text) - 1)
        kind = rng.random()
        if kind < 0.3:
            return text[:i] + text[i + 1 :]
        if kind < 0.6:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        letters = "аеиоуклмнрст" if detect_script(text) == CYRILLIC else "aeiouklmnrst"
        return text[:i] + rng.choice(letters) + text[i + 1 :]

    def _date(self, person: Person, noise: float) -> str:
        rng = self.rng
        r = rng.random() / max(noise, 1e-9)
        y, m, d = person.year, person.month, person.day
        if r < 0.05:
            return ""
        if r < 0.15:
            return f"{y}"
        if r < 0.23:
            return f"{y}-{m:02d}"
        if r < 0.27 and d <= 12:
            return f"{y}-{d:02d}-{m:02d}"
        if r < 0.30 and person.origin == "korean":
            return f"{y - 1}-{m:02d}-{d:02d}"
        if r < 0.33:  # a typo in the day
            return f"{y}-{m:02d}-{rng.choice([x for x in range(1, 29) if x != d]):02d}"
        if r < 0.35:
            # An age guessed or a year misremembered: two or three years off. The day and month
            # stay, so the share of partial dates (and their weights) is as it was; the offset
            # is drawn without the generator, so every other record stays as it was too.
            return f"{y + (2 + d % 2) * (1 if m % 2 else -1)}-{m:02d}-{d:02d}"
        return f"{y}-{m:02d}-{d:02d}"

    def _unit(self, person: Person, noise: float) -> str:
        """Mostly his unit; sometimes another (moved, or miswritten by the other side)."""
        if self.rng.random() < 0.05 * noise:
            return f"{self.rng.randint(1, 400)}"
        return person.unit

    def _service(self, person: Person) -> str:
        s = person.service_number
        return f"{s[:2]}-{s[2:]}" if self.rng.random() < 0.5 else s


def _patronymic(father: str, ukrainian: bool) -> str:
    """Сергей → Сергеевич, Игорь → Игоревич; Сергій → Сергійович, Петро → Петрович."""
    if ukrainian:
        if father.endswith("о"):
            return father[:-1] + "ович"
        if father.endswith("а"):
            return father[:-1] + "ович"
        return father + "ович"
    if father.endswith("ий"):
        return father[:-2] + "ьевич"
    if father.endswith(("ей", "ай")):
        return father[:-1] + "евич"
    if father.endswith("ь"):
        return father[:-1] + "евич"
    return father.replace("ё", "е") + "ович"


KOREAN_STYLE = {
    "north": "hangul_north", "north_latin": "dprk_latin", "south": "hangul_south",
    "south_latin": "revised", "scholar": "mccune_reischauer", "russian": "cyrillic",
    "ukrainian": "cyrillic", "ukrainian_latin": "revised", "russian_latin": "dprk_latin",
}  # fmt: skip
SLAVIC_STYLE = {
    "north": "ru_cyr", "north_latin": "ru_latin", "south": "uk_cyr", "south_latin": "popular",
    "scholar": "ru_latin", "russian": "ru_cyr", "ukrainian": "uk_cyr",
    "ukrainian_latin": "uk_latin", "russian_latin": "ru_latin",
}  # fmt: skip
LEFT_STYLES = ("north", "north_latin", "russian", "russian_latin")
RIGHT_STYLES = ("south", "south_latin", "scholar", "ukrainian", "ukrainian_latin")


def link_task(
    size: int, *, seed: int = 1, overlap: float = 0.6, namesakes: float = 0.15
) -> tuple[list[LinkRecord], list[LinkRecord], set[tuple[str, str]]]:
    """A list from one party (`size` men) and one from the other: `overlap` of the men appear in
    both, written differently; namesakes (same name, another man) and strangers fill the right."""
    gen = Generator(seed)
    left, right, truth = [], [], set()
    for i in range(size):
        person = gen.person()
        record = gen.write(person, gen.rng.choice(LEFT_STYLES))
        left.append(_with_id(record, f"L{i}"))
        if gen.rng.random() < overlap:
            other = gen.write(person, gen.rng.choice(RIGHT_STYLES))
            right.append(_with_id(other, f"R{len(right)}"))
            truth.add((f"L{i}", f"R{len(right) - 1}"))
        if gen.rng.random() < namesakes:
            namesake = gen.write(gen.namesake(person), gen.rng.choice(RIGHT_STYLES))
            right.append(_with_id(namesake, f"R{len(right)}"))
    for _ in range(int(size * (1 - overlap))):
        right.append(_with_id(gen.write(gen.person(), gen.rng.choice(RIGHT_STYLES)),
                              f"R{len(right)}"))  # fmt: skip
    gen.rng.shuffle(right)
    return left, right, truth


def dedupe_task(
    size: int, *, seed: int = 2, duplicate_rate: float = 0.3
) -> tuple[list[LinkRecord], dict[str, str]]:
    """`size` records; about `duplicate_rate` of them are further records of a man already in
    the list (in another style). Returns the records and record id → true person key."""
    gen = Generator(seed)
    styles = LEFT_STYLES + RIGHT_STYLES
    records, truth = [], {}
    people: list[Person] = []
    while len(records) < size:
        if people and gen.rng.random() < duplicate_rate:
            person = gen.rng.choice(people)
        else:
            person = gen.person()
            people.append(person)
        record_id = f"D{len(records)}"
        records.append(_with_id(gen.write(person, gen.rng.choice(styles)), record_id))
        truth[record_id] = person.key
    return records, truth


def _with_id(record: LinkRecord, record_id: str) -> LinkRecord:
    from dataclasses import replace

    return replace(record, id=record_id)
