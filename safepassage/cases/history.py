"""The reasons the system writes into a record, shown in the reader's language.

An automatic step (a case reopened by a new will, a transfer recorded, an exchange executed)
records a reason the system words, in the language of whoever caused it; a person's typed
reason stays as typed. `reason_shown` recognises a system reason in any of the site's languages
and words it again in the reader's, keeping what it quotes (a code, a batch, a typed reason) as
recorded. A text it does not recognise is shown as it was written.
"""

import re
from functools import cache

from django.conf import settings
from django.utils.translation import gettext_lazy, override

# Every reason the system writes into a case's history or an exchange entry, as the services
# word it (`cases.services`, `exchanges.services`); tests/cases/test_history_reasons.py holds
# this table to the services' texts.
SYSTEM_REASONS = (
    gettext_lazy("Will expression recorded."),
    gettext_lazy("New verified will recorded."),
    gettext_lazy("The governing will expression was withdrawn."),
    gettext_lazy("A new risk assessment forbids the planned destination or route."),
    gettext_lazy("His recorded nationalities changed."),
    gettext_lazy("A new statement of his will."),
    gettext_lazy("Duplicate records merged: %(reason)s"),
    gettext_lazy("Accepted by %(org)s."),
    gettext_lazy("Transfer to %(code)s scheduled for %(date)s."),
    gettext_lazy("Transferred to %(code)s."),  # as recorded before the handover's date was asked
    gettext_lazy("Transferred to %(code)s on %(date)s."),
    gettext_lazy("Declined by %(org)s: %(reason)s"),
    gettext_lazy("Correction of “%(step)s” recorded in error: %(reason)s"),
    gettext_lazy("Exchanged to %(code)s in %(batch)s."),
    gettext_lazy("The batch was cancelled: %(r)s"),
    gettext_lazy("Clearances rebuilt from the rule."),
)

_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def _pattern(text: str) -> re.Pattern:
    """`text` with each `%(name)s` as a group that matches what was put there."""
    return re.compile(
        "^" + _PLACEHOLDER.sub(lambda m: f"(?P<{m[1]}>.+?)", re.escape(text)) + "$", re.DOTALL
    )


@cache
def _patterns() -> tuple[tuple[re.Pattern, object], ...]:
    """Each system reason as it reads in each language, with the message it came from."""
    found: dict[str, object] = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            for message in SYSTEM_REASONS:
                found.setdefault(str(message), message)
    return tuple((_pattern(text), message) for text, message in found.items())


def reason_shown(text: str) -> str:
    """A recorded reason in the reader's language when the system wrote it; else as written."""
    stripped = (text or "").strip()
    for pattern, message in _patterns():
        if match := pattern.match(stripped):
            return str(message) % match.groupdict() if match.groupdict() else str(message)
    return text
