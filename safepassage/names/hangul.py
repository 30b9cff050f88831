"""Hangul syllables and their romanizations, syllable by syllable.

Systems (documented in docs/linkage.md):
- Revised Romanization of Korean (ROK Ministry of Culture and Tourism, 2000), the syllable table
  without the optional sound-change rules across syllables (names are usually written so);
- McCune–Reischauer (1939) with its breves and apostrophes and the voicing of k/t/p/ch between
  voiced sounds;
- DPRK practice: the 1992 DPRK system as it appears on lists, i.e. without breves, aspirates as
  ch/kh/th/ph, given-name syllables written apart ("Kyong Chol");
- Kontsevich (the Russian Academy's Korean-Cyrillic system).

The *comparison keys* of `korean.py` do not depend on which system a writer used, so these
functions are for display, explanations and tests rather than for matching.
"""

from functools import lru_cache

SBASE = 0xAC00
N_MEDIALS = 21
N_FINALS = 28

INITIAL_JAMO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIAL_JAMO = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"

# fmt: off
RR_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
              "k", "t", "p", "h"]
RR_MEDIAL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "eu", "ui", "i"]
RR_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
            "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]

MR_INITIAL = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'",
              "k'", "t'", "p'", "h"]
MR_MEDIAL = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wŏ", "we", "wi", "yu", "ŭ", "ŭi", "i"]
MR_FINAL = RR_FINAL

DPRK_INITIAL = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch",
                "kh", "th", "ph", "h"]
DPRK_MEDIAL = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
               "wo", "we", "wi", "yu", "u", "ui", "i"]

KO_CYR_INITIAL = ["к", "кк", "н", "т", "тт", "р", "м", "п", "пп", "с", "сс", "", "ч", "чч", "чх",
                  "кх", "тх", "пх", "х"]
# After a consonant / at the start of a syllable without one (ㅇ initial).
KO_CYR_MEDIAL = ["а", "э", "я", "йя", "о", "е", "ё", "е", "о", "ва", "вэ", "ве", "ё", "у",
                 "во", "ве", "ви", "ю", "ы", "ый", "и"]
KO_CYR_MEDIAL_BARE = ["а", "э", "я", "я", "о", "е", "ё", "йе", "о", "ва", "вэ", "ве", "ё", "у",
                      "во", "ве", "ви", "ю", "ы", "ый", "и"]
KO_CYR_FINAL = ["", "к", "к", "к", "н", "н", "н", "т", "ль", "к", "м", "ль", "ль", "ль", "п",
                "ль", "м", "п", "п", "т", "т", "н", "т", "т", "к", "т", "п", "т"]
# fmt: on

VOICED_FINALS = {"", "n", "m", "ng", "l"}
MR_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}


def is_hangul_syllable(ch: str) -> bool:
    return SBASE <= ord(ch) <= 0xD7A3


def decompose(syllable: str) -> tuple[int, int, int]:
    """(initial, medial, final) indices of one precomposed Hangul syllable."""
    index = ord(syllable) - SBASE
    return index // (N_MEDIALS * N_FINALS), (index // N_FINALS) % N_MEDIALS, index % N_FINALS


def compose(initial: int, medial: int, final: int = 0) -> str:
    return chr(SBASE + (initial * N_MEDIALS + medial) * N_FINALS + final)


# Initials and medials that trigger the South's initial-sound law (두음법칙).
_L, _N, _IEUNG = 5, 2, 11
_I_LIKE = {2, 3, 6, 7, 12, 17, 20}  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ


def apply_initial_sound_law(word: str) -> str:
    """The Southern spelling of a word's first syllable: 리→이, 림→임, 류→유, 량→양, 로→노, 룡→용.

    North Korean spelling keeps an initial ㄹ (and ㄴ before i/y); the South writes ㄹ as ㄴ, and
    ㄴ as silent ㅇ before i/y. Applied to the first syllable only.
    """
    if not word or not is_hangul_syllable(word[0]):
        return word
    initial, medial, final = decompose(word[0])
    if initial == _L:
        initial = _IEUNG if medial in _I_LIKE else _N
    elif initial == _N and medial in _I_LIKE:
        initial = _IEUNG
    return compose(initial, medial, final) + word[1:]


def _syllables(word: str) -> list[tuple[int, int, int] | str]:
    return [decompose(ch) if is_hangul_syllable(ch) else ch for ch in word]


@lru_cache(maxsize=65536)
def romanize_word(word: str, system: str = "revised") -> str:
    """Romanize one Hangul word (lower case, syllables joined) in `system`:
    "revised", "mccune_reischauer", "dprk" or "kontsevich" (Cyrillic)."""
    out: list[str] = []
    prev_final = None
    for position, syl in enumerate(_syllables(word)):
        if isinstance(syl, str):
            out.append(syl)
            prev_final = None
            continue
        i, m, f = syl
        if system == "revised":
            ini, med, fin = RR_INITIAL[i], RR_MEDIAL[m], RR_FINAL[f]
            if i == _L and position == 0:
                ini = "r"
        elif system in ("mccune_reischauer", "dprk"):
            table_i = MR_INITIAL if system == "mccune_reischauer" else DPRK_INITIAL
            table_m = MR_MEDIAL if system == "mccune_reischauer" else DPRK_MEDIAL
            ini, med, fin = table_i[i], table_m[m], MR_FINAL[f]
            base = {"j": "ch"}.get(ini, ini) if system == "dprk" else ini
            if position > 0 and prev_final in VOICED_FINALS and base in MR_VOICED:
                ini = MR_VOICED[base]
            elif system == "dprk" and position == 0 and ini == "j":
                ini = "ch"
            if i == _L and position > 0 and prev_final in {"n", "l"}:
                ini = "l"
        elif system == "kontsevich":
            ini = KO_CYR_INITIAL[i]
            med = (KO_CYR_MEDIAL if ini else KO_CYR_MEDIAL_BARE)[m]
            fin = KO_CYR_FINAL[f]
        else:
            raise ValueError(f"unknown romanization system {system!r}")
        out.append(ini + med + fin)
        prev_final = MR_FINAL[f]
    return "".join(out)


def romanize(name: str, system: str = "revised", *, syllables_apart: bool = False) -> str:
    """Romanize a Hangul name, word by word, capitalised ("김 철수" → "Gim Cheolsu").

    `syllables_apart` writes given-name syllables as separate words, as DPRK lists do
    ("Kyong Chol"); Kontsevich output is Cyrillic.
    """
    words = []
    for word in name.split():
        if syllables_apart and len(word) > 1:
            parts = [romanize_word(ch, system) for ch in word]
            words.extend(p[:1].upper() + p[1:] for p in parts)
        else:
            text = romanize_word(word, system)
            words.append(text[:1].upper() + text[1:])
    return " ".join(words)
