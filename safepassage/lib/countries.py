"""Country codes as the registry keeps them: ISO 3166-1 alpha-2, in capitals."""

from collections.abc import Iterable


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
