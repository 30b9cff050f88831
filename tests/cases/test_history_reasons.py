"""The case history shows the reasons the system wrote in the reader's language, whichever
language they were written in; a person's typed reason stays as typed."""

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from safepassage.cases.history import SYSTEM_REASONS, reason_shown
from safepassage.cases.models import CaseState, CaseTransition
from tests.cases.builders import awaiting_interview
from tests.factories import force_login_fresh, record_will, register, step

ROOT = Path(__file__).resolve().parents[2] / "safepassage"
# Where the system words the reasons it records, and the calls that carry them.
WRITERS = ("cases/services.py", "exchanges/services.py", "cases/management/commands/guard.py")
REASON_CALLS = {"_wills_changed", "_facts_changed", "_governing_will_changed"}


def _page(user, language: str, person) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    force_login_fresh(client, user)
    url = reverse("registry:person_detail", args=[person.registry_number])
    return client.get(url).content.decode()


def _system_reason(person) -> CaseTransition:
    return CaseTransition.objects.filter(case__person=person, trigger="system").latest("at", "id")


def test_a_reason_the_system_wrote_in_english_reads_in_ukrainian(people):
    person = awaiting_interview(people)
    with override("en"):
        record_will(people.interviewer, person)
    assert _system_reason(person).reason == "New verified will recorded."
    page = _page(people.registrar, "uk", person)
    with override("uk"):
        ukrainian = gettext("New verified will recorded.")
    assert ukrainian != "New verified will recorded."
    assert ukrainian in page and "New verified will recorded." not in page


def test_a_reason_the_system_wrote_in_ukrainian_reads_in_english(people):
    person = awaiting_interview(people)
    with override("uk"):
        record_will(people.interviewer, person)
        ukrainian = gettext("New verified will recorded.")
    assert _system_reason(person).reason == ukrainian
    page = _page(people.registrar, "en", person)
    assert "New verified will recorded." in page and ukrainian not in page


def test_a_typed_reason_stays_as_typed_in_every_language(people):
    person = register(people.registrar)
    step(people.registrar, person, CaseState.NOTIFIED, reason="Повідомлено телефоном.")
    for language in ("en", "ko", "ru"):
        assert "Повідомлено телефоном." in _page(people.registrar, language, person)


@pytest.mark.parametrize("language", ["uk", "ko", "ru"])
def test_a_reason_quoting_a_typed_text_keeps_the_quote(language):
    with override("en"):
        written = gettext("Duplicate records merged: %(reason)s") % {"reason": "Same man, KP-7."}
    with override(language):
        shown = reason_shown(written)
        assert shown == gettext("Duplicate records merged: %(reason)s") % {
            "reason": "Same man, KP-7."
        }
    assert shown != written


def _literal(node) -> str | None:
    """The text of `_("…")`, or of `_("…") % {...}`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        node = node.left
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value
    return None


def _reasons_written() -> set[str]:
    found: set[str] = set()
    for path in WRITERS:
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            candidates = []
            if isinstance(node, ast.Call):
                candidates += [k.value for k in node.keywords if k.arg == "reason"]
                name = getattr(node.func, "id", None)
                if name in REASON_CALLS and len(node.args) >= 3:
                    candidates.append(node.args[2])
            elif isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) in ("reason", "why") for t in node.targets
            ):
                candidates.append(node.value)
            found |= {text for c in candidates if (text := _literal(c)) is not None}
    return found


def test_every_reason_the_system_writes_is_in_the_table():
    written = _reasons_written()
    assert "New verified will recorded." in written  # the scan sees the services' reasons
    missing = written - {str(message) for message in SYSTEM_REASONS}
    assert not missing, f"add to cases.history.SYSTEM_REASONS: {sorted(missing)}"
