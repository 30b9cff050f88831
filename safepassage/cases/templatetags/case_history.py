"""`{{ transition.reason|reason_shown }}`: a reason the system wrote, in the reader's language."""

from django import template

from safepassage.cases import history

register = template.Library()


@register.filter
def reason_shown(text: str) -> str:
    return history.reason_shown(text)
