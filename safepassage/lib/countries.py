"""Country codes as the registry keeps them: ISO 3166-1 alpha-2, in capitals; their names."""

from collections.abc import Iterable

from django.utils.translation import get_language
from django_countries import countries

# (code, language) -> name. django-countries translates the name afresh on every call (a
# search page shows fifty rows of nationalities); the names change only with the language.
_NAMES: dict[tuple[str, str | None], str] = {}


def country_code_of(value) -> str:
    """The code of `value` (a code, a django-countries `Country` or None), trimmed, in capitals."""
    return (getattr(value, "code", value) or "").strip().upper()


def country_codes(values: Iterable | None) -> list[str]:
    """The codes of `values` (`country_code_of` each), each once, in their order; none empty."""
    codes: list[str] = []
    for value in values or ():
        code = country_code_of(value)
        if code and code not in codes:
            codes.append(code)
    return codes


def country_name(code: str) -> str:
    """The name of the country `code` in the active language, or "" if there is none."""
    key = (code, get_language())
    name = _NAMES.get(key)
    if name is None:
        name = str(countries.name(code))
        if name:  # unknown codes are not kept: the cache holds only real countries
            _NAMES[key] = name
    return name
