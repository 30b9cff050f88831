"""Russian and Ukrainian names: transliteration systems, Russian↔Ukrainian forms, the skeleton.

Transliterations:
- Passport / ICAO Doc 9303 (7th ed., 2015; used in Russian foreign passports since 2013);
- Ukrainian national (Cabinet of Ministers of Ukraine resolution No. 55 of 27 January 2010,
  used in Ukrainian passports) with its word-initial forms (Ye, Yi, Y, Yu, Ya) and zgh;
- BGN/PCGN (1947 Russian, 1965 Ukrainian) through ICU's CLDR transforms `Russian-Latin/BGN`
  and `Ukrainian-Latin/BGN` (PyICU).

Russian and Ukrainian forms of one given name differ beyond transliteration (Олексій /
Алексей, Дмитро / Дмитрий, Микола / Николай): `GIVEN_NAMES` is a curated table of those forms
and their usual English spellings, compiled from the Ukrainian orthography's name annex
(Правопис 2019, §§ 139–147), the Russian name dictionary of Petrovsky (Словарь русских личных
имён, 1966) and passport practice. Family names mostly differ only by Ukrainian є/і/ї/и for
Russian е/и/ы and by -ьов for -ёв (Кузнєцов / Кузнецов, Ковальов / Ковалёв); the skeleton
absorbs those.
"""

import re
from functools import cache, lru_cache

from safepassage.lib.groups import groups_sharing_keys

from .korean import fold_latin

# fmt: off
ICAO_9303 = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
UKRAINIAN_NATIONAL_2010 = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}
UKRAINIAN_NATIONAL_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# fmt: on


def _apply_table(word: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    out = []
    lower = word.casefold()
    for index, ch in enumerate(lower):
        if initial and (index == 0 or not lower[index - 1].isalpha()) and ch in initial:
            latin = initial[ch]
        else:
            latin = table.get(ch, ch)
        if word[index].isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def icao(text: str) -> str:
    """Passport / ICAO 9303 transliteration (Алексей → Aleksei, Кузнєцов → Kuznietsov)."""
    return _apply_table(text, ICAO_9303)


def ukrainian_national(text: str) -> str:
    """Ukrainian national system 2010 (Олексій → Oleksii, Юрій → Yurii, Згурський → Zghurskyi)."""
    # зг is written zgh so that it is not read as ж.
    text = re.sub("(?<=[зЗ])г", "\ue000", re.sub("(?<=[зЗ])Г", "\ue001", text))
    return _apply_table(text, UKRAINIAN_NATIONAL_2010 | _ZGH, UKRAINIAN_NATIONAL_2010_INITIAL)


_ZGH = {"\ue000": "gh", "\ue001": "GH"}


_ICU: dict[str, object] = {}


def _icu(transform_id: str):
    transliterator = _ICU.get(transform_id)
    if transliterator is None:
        import icu  # PyICU: lazy, the web app does not need it to start

        transliterator = icu.Transliterator.createInstance(transform_id)
        _ICU[transform_id] = transliterator
    return transliterator


def bgn_pcgn(text: str, language: str = "ru") -> str:
    """BGN/PCGN romanization through ICU (ru: Алексей → Aleksey; uk: Олексій → Oleksiy)."""
    transform = "Russian-Latin/BGN" if language == "ru" else "Ukrainian-Latin/BGN"
    return _icu(transform).transliterate(text)  # type: ignore[attr-defined]


def any_to_latin(text: str) -> str:
    """ICU's generic Any-Latin; Latin-ASCII (what a generic pipeline would use)."""
    return _icu("Any-Latin; Latin-ASCII").transliterate(text)  # type: ignore[attr-defined]


_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip


def cyrillic_to_latin(text: str) -> str:
    return "".join(_CYR.get(ch, ch) for ch in text.casefold())


_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"j", "y"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"ck|q", "k"),
        (r"ph", "f"),
        (r"shch|sch|shh|szcz", "q"),
        (r"zh", "x"),
        (r"kh", "g"),
        (r"tch|ch|cz", "w"),
        (r"sh|sz", "j"),
        (r"ts|tz", "c"),
        (r"h", "g"),
        (r"[eiy]", "I"),
        (r"[ao]", "A"),
        (r"u", "U"),
        (r"(.)\1+", r"\1"),
        (r"IA(?=[a-z])", "I"),
        (r"[IA]+v(A?)$", r"Av\1"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=262144)
def skeleton(latin: str) -> str:
    """The Slavic phonetic skeleton of a folded Latin word: Oleksii = Aleksey = Alexei,
    Kuznietsov = Kuznetsov, Kovalov = Kovalev = Kovalyov, Serhii = Sergei."""
    text = latin
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def to_latin(word: str) -> str:
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return fold_latin(cyrillic_to_latin(word))
    return fold_latin(word)


@lru_cache(maxsize=262144)
def word_skeleton(word: str) -> str:
    return skeleton(to_latin(word))


# Russian form first (it names the key), then Ukrainian forms and Latin spellings that the
# skeleton alone would not join.
# fmt: off
GIVEN_NAMES: list[tuple[str, ...]] = [
    ("Александр", "Олександр", "Alexander", "Aleksander", "Alexandr", "Oleksandr", "Sasha",
     "Саша"),
    ("Алексей", "Олексій", "Alexey", "Alexei", "Aleksei", "Oleksii", "Oleksiy", "Alyosha"),
    ("Андрей", "Андрій", "Andrew", "Andrei", "Andriy"),
    ("Анатолий", "Анатолій"),
    ("Антон", "Антон"),
    ("Аркадий", "Аркадій"),
    ("Артём", "Артем", "Artyom", "Artem", "Artiom"),
    ("Богдан", "Богдан", "Bohdan"),
    ("Борис", "Борис"),
    ("Вадим", "Вадим"),
    ("Валентин", "Валентин"),
    ("Валерий", "Валерій"),
    ("Василий", "Василь", "Vasyl", "Vasiliy", "Vasily", "Wassily"),
    ("Виктор", "Віктор"),
    ("Виталий", "Віталій"),
    ("Владимир", "Володимир", "Vladimir", "Volodymyr", "Wladimir", "Volodya"),
    ("Владислав", "Владислав"),
    ("Вячеслав", "В'ячеслав", "В’ячеслав", "Vyacheslav", "Viacheslav"),
    ("Геннадий", "Геннадій"),
    ("Георгий", "Георгій", "Юрій?", "George"),
    ("Григорий", "Григорій", "Hryhorii", "Grigory", "Gregory"),
    ("Даниил", "Данило", "Danylo", "Daniil", "Daniel", "Danila"),
    ("Денис", "Денис"),
    ("Дмитрий", "Дмитро", "Dmytro", "Dmitry", "Dmitri", "Dmitriy"),
    ("Евгений", "Євген", "Євгеній", "Yevgeny", "Evgeny", "Yevhen", "Ievgen", "Eugene"),
    ("Егор", "Єгор", "Yegor", "Egor", "Yehor"),
    ("Иван", "Іван", "Ivan", "John?"),
    ("Игорь", "Ігор", "Igor", "Ihor"),
    ("Илья", "Ілля", "Ilya", "Illia", "Ilia"),
    ("Кирилл", "Кирило", "Kyrylo", "Kirill", "Cyril"),
    ("Константин", "Костянтин", "Konstantin", "Kostiantyn", "Kostyantyn", "Constantine"),
    ("Леонид", "Леонід"),
    ("Максим", "Максим", "Maxim", "Maksym"),
    ("Михаил", "Михайло", "Mykhailo", "Mikhail", "Michael", "Mykhaylo"),
    ("Никита", "Микита", "Mykyta", "Nikita"),
    ("Николай", "Микола", "Mykola", "Nikolai", "Nikolay", "Nicholas"),
    ("Олег", "Олег", "Oleh", "Oleg"),
    ("Павел", "Павло", "Pavlo", "Pavel", "Paul"),
    ("Пётр", "Петро", "Petro", "Pyotr", "Petr", "Peter"),
    ("Роман", "Роман"),
    ("Руслан", "Руслан"),
    ("Сергей", "Сергій", "Serhii", "Serhiy", "Sergei", "Sergey"),
    ("Станислав", "Станіслав"),
    ("Степан", "Степан", "Stepan", "Stefan"),
    ("Тарас", "Тарас"),
    ("Тимофей", "Тимофій", "Tymofii", "Timofey"),
    ("Фёдор", "Федір", "Fedir", "Fyodor", "Fedor", "Theodore"),
    ("Юрий", "Юрій", "Yurii", "Yuriy", "Yury", "Iurii", "Jurij"),
    ("Яков", "Яків", "Yakiv", "Yakov", "Jacob"),
    ("Ярослав", "Ярослав", "Yaroslav", "Iaroslav"),
    ("Анна", "Ганна", "Hanna", "Anna"),
    ("Елена", "Олена", "Olena", "Yelena", "Elena", "Helen"),
    ("Ольга", "Ольга", "Olha", "Olga"),
    ("Наталья", "Наталія", "Nataliia", "Natalya", "Natalia"),
    ("Екатерина", "Катерина", "Kateryna", "Yekaterina", "Ekaterina", "Catherine"),
]
# fmt: on


def _form_variants(form: str) -> set[str]:
    """The skeletons a given name's form is written as: its own, and for a Cyrillic form those
    of the romanizations of its language."""
    variants = {word_skeleton(form)}
    if any("\u0400" <= ch <= "\u04ff" for ch in form):
        # Each language's system on its own forms only: Russian BGN drops the
        # Ukrainian і of Іван ("van"), which would make Korean "Won" an Ivan.
        letters = set(form.casefold())
        ukrainian = bool(letters & set("іїєґ'’"))
        russian = bool(letters & set("ыэъё"))
        variants.add(skeleton(fold_latin(icao(form))))
        if not russian:
            variants.add(skeleton(fold_latin(ukrainian_national(form))))
            variants.add(skeleton(fold_latin(bgn_pcgn(form, "uk"))))
        if not ukrainian:
            variants.add(skeleton(fold_latin(bgn_pcgn(form, "ru"))))
    return variants


@cache
def given_name_aliases() -> dict[str, str]:
    """Variant → the skeleton of its name's first form; rows sharing a variant are one name."""
    roots = groups_sharing_keys(
        [v for form in row if not form.endswith("?") for v in _form_variants(form)]
        for row in GIVEN_NAMES
    )
    return {variant: word_skeleton(GIVEN_NAMES[root][0]) for variant, root in roots.items()}


@lru_cache(maxsize=262144)
def is_known_given_name(word: str) -> bool:
    return word_skeleton(word) in given_name_aliases()


_PATRONYMIC = re.compile(r"(AvIw|AvnA|IwnA|vIw|vnA)$")


@lru_cache(maxsize=262144)
def is_patronymic(word: str) -> bool:
    """Олександрович, Ivanovych, Петровна, Ilyich… (by their endings)."""
    key = word_skeleton(word)
    return len(key) >= 6 and bool(_PATRONYMIC.search(key))


@lru_cache(maxsize=262144)
def given_name_key(word: str) -> str:
    """Key of one Slavic given name: Олексій = Алексей = Oleksii = Aleksey = Alexey."""
    key = word_skeleton(word)
    return given_name_aliases().get(key, key)


@lru_cache(maxsize=262144)
def family_name_key(word: str) -> str:
    """Key of a Slavic (or any non-Korean) family name: Кузнєцов = Кузнецов = Kuznietsov."""
    return word_skeleton(word)
