"""Name knowledge for tracing: romanizations and comparison keys (the script of a name is
`lib.text.detect_script`).

`name_keys(family, given, full)` is what the matching engine uses; the romanization functions
are for display, explanations and tests. Sources of the curated tables are in the modules and
in docs/linkage.md.
"""

from .hangul import apply_initial_sound_law, romanize
from .keys import KOREAN, SLAVIC, NameKeys, name_keys, same_name, split_full_name
from .korean import family_name_key as korean_family_name_key
from .korean import given_name_key as korean_given_name_key
from .korean import is_korean_family_name
from .slavic import bgn_pcgn, icao, ukrainian_national
from .slavic import family_name_key as slavic_family_name_key
from .slavic import given_name_key as slavic_given_name_key

__all__ = [
    "KOREAN",
    "SLAVIC",
    "NameKeys",
    "apply_initial_sound_law",
    "bgn_pcgn",
    "icao",
    "is_korean_family_name",
    "korean_family_name_key",
    "korean_given_name_key",
    "name_keys",
    "romanize",
    "same_name",
    "slavic_family_name_key",
    "slavic_given_name_key",
    "split_full_name",
    "ukrainian_national",
]
