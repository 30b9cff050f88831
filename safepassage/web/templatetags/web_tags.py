"""Template helpers: country names for ISO codes, and menu checks against the policy."""

from django import template
from django_countries import countries

from safepassage.access.policy import Action, can

register = template.Library()


@register.filter
def country_names(value) -> str:
    """ "KR, PL" or [Country, ...] → "South Korea (KR), Poland (PL)"."""
    if not value:
        return ""
    # One code or Country, or any iterable of them (a multiple CountryField's value).
    items = [value] if isinstance(value, str) or hasattr(value, "code") else list(value)
    names = []
    for item in items:
        code = getattr(item, "code", item)
        name = countries.name(code) or code
        names.append(f"{name} ({code})")
    return ", ".join(names)


@register.simple_tag
def can_do(user, action: str, person=None) -> bool:
    """Whether `user` may take `action` (an `Action` value), for menus and buttons."""
    return can(user, Action(action), person)
