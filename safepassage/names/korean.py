"""Korean names in any script: the curated family-name table and the phonetic skeleton.

No library maps DPRK, Revised, McCune–Reischauer, popular and Cyrillic spellings of one Korean
name to one key (ICU and `korean-romanizer` each produce one system), so:

- family names come from a curated table (below), built from the National Institute of Korean
  Language's romanization guidance, the 2015 ROK census list of common family names, DPRK
  publications (Ri, Rim, Ryu, Ro, Ryang), Kontsevich's Cyrillic system and the spellings in use
  among Koryo-saram (Цой, Тен, Ли). Spellings shared by two names (Latin "Song" for 송 and for
  the DPRK spelling of 성; Cyrillic "Чон" for 정 and 전) put both names in one key group: the
  comparison then relies on the given name and the date of birth, and the exact-spelling level
  still separates 송 from 성 when both sides wrote Hangul;
- given names (and family names missing from the table) are reduced to a phonetic *skeleton*
  that erases the differences between the systems: voicing (k/g, t/d, p/b, ch/j), aspiration
  marks (ch', kh, чх), ŏ/eo/o/u, ŭ/eu/ы, final ng/н, hyphens and spaces, and the South's initial
  sound law (리/이, 로/노).
"""

import re
import unicodedata
from functools import cache, lru_cache

from safepassage.lib.groups import groups_sharing_keys

from . import hangul

# Each row: Hangul forms (North form first where they differ), then Latin and Cyrillic spellings.
# fmt: off
FAMILY_NAMES: list[tuple[str, ...]] = [
    ("김", "Kim", "Gim", "Ким"),
    ("리", "이", "Ri", "I", "Yi", "Lee", "Rhee", "Rhie", "Li", "Ree", "Reigh", "Ли", "Ри", "И"),
    ("박", "Pak", "Park", "Bak", "Bahk", "Paek?", "Пак"),
    ("최", "Choe", "Ch'oe", "Choi", "Chey", "Choy", "Chwe", "Чхве", "Цой", "Чой", "Чве"),
    ("정", "Jong", "Jeong", "Chŏng", "Chong", "Chung", "Jung", "Cheong", "Joung", "Чон", "Тен",
     "Чен"),
    ("전", "Jon", "Jeon", "Chŏn", "Chon", "Chun", "Jun", "Cheon?", "Чон", "Тён", "Чён"),
    ("강", "Kang", "Gang", "Кан", "Канг"),
    ("조", "Jo", "Cho", "Joh", "Чо", "Чжо", "Тё"),
    ("윤", "Yun", "Yoon", "Youn", "Юн"),
    ("장", "Jang", "Chang", "Чан", "Тян"),
    ("림", "임", "Rim", "Im", "Lim", "Yim", "Leem", "Rhim", "Лим", "Рим", "Им"),
    ("한", "Han", "Hahn", "Хан"),
    ("오", "O", "Oh", "Oh", "О"),
    ("서", "So", "Seo", "Sŏ", "Suh", "Sur", "Soh", "Со"),
    ("신", "Sin", "Shin", "Син", "Шин"),
    ("권", "Kwon", "Gwon", "Kwŏn", "Kweon", "Квон"),
    ("황", "Hwang", "Whang", "Хван"),
    ("안", "An", "Ahn", "Ан"),
    ("송", "Song", "Son?", "Сон"),
    ("류", "유", "Ryu", "Yu", "Yoo", "You", "Ryoo", "Lyu", "Rhyu", "Yoe", "Рю", "Ю", "Лю"),
    ("고", "Ko", "Go", "Koh", "Ко", "Го"),
    ("문", "Mun", "Moon", "Мун"),
    ("량", "양", "Ryang", "Yang", "Лян", "Рян", "Ян"),
    ("손", "Son", "Sohn", "Сон"),
    ("배", "Pae", "Bae", "Pai", "Bai", "Пэ", "Пе"),
    ("백", "Paek", "Baek", "Paik", "Baik", "Back", "Пэк", "Пяк"),
    ("허", "Ho", "Heo", "Hŏ", "Huh", "Hur", "Хо", "Хе"),
    ("남", "Nam", "Нам"),
    ("심", "Sim", "Shim", "Сим", "Шим"),
    ("로", "노", "Ro", "No", "Roh", "Noh", "Rho", "Но", "Ро", "Ноу"),
    ("하", "Ha", "Ха"),
    ("곽", "Kwak", "Gwak", "Квак"),
    ("성", "Song", "Seong", "Sŏng", "Sung", "Сон", "Сун"),
    ("차", "Cha", "Ch'a", "Чха", "Ча"),
    ("주", "Ju", "Chu", "Joo", "Choo", "Чу", "Чжу"),
    ("우", "U", "Woo", "Wu", "У"),
    ("구", "Ku", "Gu", "Koo", "Goo", "Ку", "Гу"),
    ("민", "Min", "Мин"),
    ("진", "Jin", "Chin", "Чин", "Джин"),
    ("라", "나", "Ra", "Na", "Rah", "Nah", "Ла", "Ра", "На"),
    ("지", "Ji", "Chi", "Jee", "Чи"),
    ("엄", "Om", "Eom", "Ŏm", "Um", "Ohm", "Ом"),
    ("채", "Chae", "Ch'ae", "Chai", "Чхэ", "Че"),
    ("원", "Won", "Weon", "Вон"),
    ("천", "Chon", "Cheon", "Ch'ŏn", "Chun", "Чхон"),
    ("방", "Pang", "Bang", "Пан"),
    ("공", "Kong", "Gong", "Кон"),
    ("현", "Hyon", "Hyeon", "Hyŏn", "Hyun", "Хён"),
    ("함", "Ham", "Хам"),
    ("변", "Pyon", "Byeon", "Pyŏn", "Byun", "Пён"),
    ("렴", "염", "Ryom", "Yeom", "Yŏm", "Yum", "Yom", "Рём", "Ём"),
    ("려", "여", "Ryo", "Yeo", "Yŏ", "Yuh", "Yo", "Рё", "Ё"),
    ("추", "Chu", "Ch'u", "Choo", "Чху"),
    ("도", "To", "Do", "Doh", "То", "До"),
    ("소", "So", "Soh", "Со"),
    ("석", "Sok", "Seok", "Sŏk", "Suk", "Сок"),
    ("선", "Son", "Seon", "Sŏn", "Sun", "Сон", "Сын"),
    ("설", "Sol", "Seol", "Sŏl", "Sul", "Соль", "Сол"),
    ("마", "Ma", "Ма"),
    ("길", "Kil", "Gil", "Киль", "Кил"),
    ("련", "연", "Ryon", "Yeon", "Yŏn", "Yon", "Рён", "Ён"),
    ("위", "Wi", "Wee", "Ви"),
    ("표", "Phyo", "Pyo", "P'yo", "Пхё"),
    ("명", "Myong", "Myeong", "Myŏng", "Myung", "Мён"),
    ("기", "Ki", "Gi", "Ки"),
    ("반", "Pan", "Ban", "Пан"),
    ("왕", "Wang", "Ван"),
    ("금", "Kum", "Geum", "Kŭm", "Keum", "Кым"),
    ("옥", "Ok", "Ock", "Ок"),
    ("륙", "육", "Ryuk", "Yuk", "Yook", "Рюк", "Юк"),
    ("인", "In", "Ин"),
    ("맹", "Maeng", "Мэн"),
    ("제", "Je", "Che", "Чже", "Че"),
    ("모", "Mo", "Мо"),
    ("탁", "Thak", "Tak", "T'ak", "Тхак"),
    ("국", "Kuk", "Guk", "Kook", "Кук"),
    ("은", "Un", "Eun", "Ŭn", "Ын"),
    ("편", "Phyon", "Pyeon", "P'yŏn", "Pyun", "Пхён"),
    ("룡", "용", "Ryong", "Yong", "Рён", "Ён"),
    ("예", "Ye", "Йе", "Е"),
    ("경", "Kyong", "Gyeong", "Kyŏng", "Kyung", "Кён"),
    ("봉", "Pong", "Bong", "Пон"),
    ("계", "Kye", "Gye", "Ke", "Кe", "Кье"),
    ("태", "Thae", "Tae", "T'ae", "Тхэ"),
    ("남궁", "Namgung", "Namkung", "Namkoong", "Намгун"),
    ("황보", "Hwangbo", "Хванбо"),
    ("제갈", "Jegal", "Chegal", "Чегаль"),
    ("선우", "Sonu", "Seonu", "Sunwoo", "Сону"),
    ("독고", "Tokko", "Dokgo", "Токко"),
]
# fmt: on

_ASPIRATE = re.compile(r"['’ʼ`ʻ]")


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters only: accents, breves, apostrophes, hyphens and spaces gone."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if "a" <= ch <= "z")


_KO_CYR = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "p", "х": "h", "ц": "ch", "ч": "ch", "ш": "s", "щ": "s",
    "ъ": "", "ы": "u", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
    "ґ": "g",
}  # fmt: skip


def korean_cyrillic_to_latin(text: str) -> str:
    """Kontsevich (and Koryo-saram) Cyrillic to a rough Latin form for the skeleton."""
    text = text.casefold()
    for digraph, latin in (
        ("чж", "j"),
        ("дж", "j"),
        ("чх", "ch"),
        ("кх", "k"),
        ("тх", "t"),
        ("пх", "p"),
    ):
        text = text.replace(digraph, latin)
    return "".join(_KO_CYR.get(ch, ch) for ch in text)


# Rewrites from any romanization to the skeleton, in order. The skeleton's letters:
# consonants k t p c s l n m h w y (voicing and aspiration gone), vowels A E I O.
_SKELETON_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        # A final ㅇ (ng) and a final ㄴ (n) before a k/g are one sound apart and Kontsevich
        # writes both "н": Jun Gwang = Jungwang = Чун Кван = 준광. Joined romanizations cannot
        # tell n+g from ng+vowel either (RR writes 선길 and 성일 both "seongil").
        # Before that, ㅇ before ㄱ/ㅋ: Latin writes both (Myŏnggil, Gwanggwang, Myongkil),
        # Kontsevich one "нк"/"нг" (Мёнгиль, Кванкван): the g of "ng" goes first, so that the
        # rule below treats both alike. A "gh" before a vowel is g + the next syllable's h
        # (Myeonghyeok = Мёнхёк), not an aspirated g.
        (r"ng(?=[gk])", "n"),
        (r"n(?:kk|kh|gh(?![aeiouwy])|g|k)|ng", "n"),
        (r"tch|jj|ch|j|ts|tz|c", "C"),
        (r"sh", "s"),
        (r"kk|ck|kh|gh|g|q", "k"),
        (r"tt|th|d", "t"),
        (r"pp|ph|b|f|v", "p"),
        (r"r", "l"),
        (
            r"(?<=[A-Za-z])h(?![aeiouwy])|(?<=l)h",
            "",
        ),  # aspiration mark or a silent final h (Oh, Ahn)
        (r"wu|woo|wo(?=o)", "u"),
        # ㅖ after a consonant, and 예, are "е" in Kontsevich (Хе Ин = Hye-in, Ке Сун = Gye-sun):
        # the y of "ye" goes (not of "yeo", "yeu": ㅕ, ㅡ are "ё", "ы").
        (r"(?<![aeiou])ye(?![ou])", "e"),
        (r"eo|eu|oo|ou|o|u", "O"),
        (r"ae|ai|ay|e", "E"),
        (r"ee|ea|ie|i", "I"),
        (r"a", "A"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=262144)
def skeleton(latin: str) -> str:
    """The Korean phonetic skeleton of a romanized word (already folded to a–z)."""
    text = latin
    for pattern, replacement in _SKELETON_RULES:
        text = pattern.sub(replacement, text)
    return text.lower()


def initial_law_skeleton(key: str) -> str:
    """Apply the South's initial-sound law to a skeleton: l/n before i/y vanish, l becomes n."""
    if key[:2] in {"li", "ly", "ni", "ny"}:
        return key[1:]
    if key[:1] == "l":
        return "n" + key[1:]
    return key


def to_latin(word: str) -> str:
    """A Korean word in any script, folded to a–z (Hangul through Revised Romanization)."""
    if any(hangul.is_hangul_syllable(ch) for ch in word):
        return fold_latin(hangul.romanize_word(word, "revised"))
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return fold_latin(korean_cyrillic_to_latin(word))
    return fold_latin(word)


@lru_cache(maxsize=262144)
def given_name_key(name: str) -> str:
    """Comparison key of a Korean given name in any script: Kyong-chol = Gyeongcheol = 경철 =
    Кён Чхоль → the same skeleton."""
    word = "".join(name.split()).replace("-", "")
    if any(hangul.is_hangul_syllable(ch) for ch in word):
        word = hangul.apply_initial_sound_law(word)
    return initial_law_skeleton(skeleton(to_latin(word)))


@cache
def surname_table() -> dict[str, str]:
    """Spelling (folded) → group key; rows sharing a spelling are one name."""
    roots = groups_sharing_keys(
        [_spelling_form(s) for s in row if not s.endswith("?")] for row in FAMILY_NAMES
    )
    group_key: dict[int, str] = {}
    for root in set(roots.values()):
        latin = next(s for s in FAMILY_NAMES[root] if fold_latin(s) and not s.endswith("?"))
        group_key[root] = "k:" + initial_law_skeleton(skeleton(fold_latin(latin)))
    return {folded: group_key[root] for folded, root in roots.items()}


@lru_cache(maxsize=262144)
def _spelling_form(spelling: str) -> str:
    """How a family-name spelling is looked up: Hangul as is, others lower-cased and folded."""
    if any(hangul.is_hangul_syllable(ch) for ch in spelling):
        return spelling
    if any("\u0400" <= ch <= "\u04ff" for ch in spelling):
        return "cyr:" + spelling.casefold().replace("ё", "е")
    return fold_latin(spelling)


@lru_cache(maxsize=262144)
def is_korean_family_name(name: str) -> bool:
    return _spelling_form(name.strip()) in surname_table()


_RANKS: dict[str, int] = {}


def family_name_rank(name: str) -> int:
    """Position of the family name's row in the table (which is ordered by frequency)."""
    if not _RANKS:
        for index, row in reversed(list(enumerate(FAMILY_NAMES))):
            _RANKS.update({_spelling_form(s): index for s in row if not s.endswith("?")})
    return _RANKS.get(_spelling_form(name.strip()), len(FAMILY_NAMES))


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


_NEAR: dict[str, list[tuple[int, str]]] = {}


def _near_index() -> dict[str, list[tuple[int, str]]]:
    """Every table spelling (3+ letters, not Hangul) under each of its one-letter deletions:
    two words one typo apart (Damerau–Levenshtein) share a deletion ("symmetric delete")."""
    if not _NEAR:
        for order, spelling in enumerate(surname_table()):
            bare = spelling.removeprefix("cyr:")
            if len(bare) < 3 or any(hangul.is_hangul_syllable(ch) for ch in bare):
                continue
            prefix = spelling[: len(spelling) - len(bare)]
            for variant in _deletions(bare):
                _NEAR.setdefault(prefix + variant, []).append((order, spelling))
    return _NEAR


@lru_cache(maxsize=65536)
def near_korean_family_name(name: str) -> str | None:
    """The table spelling one typo away from a short Latin or Cyrillic `name` (Cnoi → Choi);
    the longest when several are."""
    from rapidfuzz.distance import DamerauLevenshtein

    form = _spelling_form(name.strip())
    if form in surname_table():
        return form
    bare = form.removeprefix("cyr:")
    if not 3 <= len(bare) <= 6 or any(hangul.is_hangul_syllable(ch) for ch in form):
        return None
    prefix = "cyr:" if form.startswith("cyr:") else ""
    index = _near_index()
    found = {hit for variant in _deletions(bare) for hit in index.get(prefix + variant, ())}
    near = [
        (-len(spelling), order, spelling)
        for order, spelling in found
        if DamerauLevenshtein.distance(bare, spelling.removeprefix("cyr:")) <= 1
    ]
    return min(near)[2] if near else None


@lru_cache(maxsize=65536)
def family_name_key(name: str) -> str:
    """Comparison key of a Korean family name in any script: 리 = 이 = Ri = Lee = Yi = Rhee =
    Ли = Ри; names missing from the table fall back to the skeleton with the initial-sound law."""
    name = name.strip()
    key = surname_table().get(_spelling_form(name))
    if key:
        return key
    near = near_korean_family_name(name)
    if near:
        return surname_table()[near]
    word = name.replace(" ", "").replace("-", "")
    if any(hangul.is_hangul_syllable(ch) for ch in word):
        word = hangul.apply_initial_sound_law(word)
    return "k:" + initial_law_skeleton(skeleton(to_latin(word)))
