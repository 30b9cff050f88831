"""Template helpers: country names for ISO codes, menu checks against the policy, long texts."""

from django import template
from django.contrib.auth.models import AnonymousUser

from safepassage.access.policy import Action, can, has_any_role_for
from safepassage.lib.countries import country_name
from safepassage.web.menu import menu_for
from safepassage.web.menu import site_menu as site_menu_of

register = template.Library()

# A free text longer than this folds after its first lines (web/_long_text.html).
LONG_TEXT_CHARS = 900
LONG_TEXT_LINES = 9


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
        name = country_name(code) or code
        names.append(f"{name} ({code})")
    return ", ".join(names)


@register.simple_tag(takes_context=True)
def site_menu(context) -> dict[str, str]:
    """The site menu's addresses for this request's user, "" where he may not go
    (`safepassage.web.menu`): computed once per request."""
    request = context.get("request")
    if request is None:  # a page rendered without its request (the plain 500 page)
        return menu_for(context.get("user") or AnonymousUser())
    return site_menu_of(request)


@register.simple_tag
def can_do(user, action: str, person=None) -> bool:
    """Whether `user` may take `action` (an `Action` value), for menus and buttons."""
    return can(user, Action(action), person)


@register.simple_tag
def has_role_for(user, action: str) -> bool:
    """Whether `user`'s organisation kind and roles could ever take `action`, for menus of
    pages that are his organisation's own (`has_any_role_for`)."""
    return has_any_role_for(user, Action(action))


@register.filter
def is_long(text) -> bool:
    """Whether a free text is long enough to show folded, its first lines and "Show all"."""
    text = "" if text is None else str(text)
    return len(text) > LONG_TEXT_CHARS or text.count("\n") >= LONG_TEXT_LINES
