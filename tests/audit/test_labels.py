"""Every action the code base writes into the log has a label in words; values read as text."""

import ast
from pathlib import Path

from django.utils import translation

from safepassage.audit.labels import ACTION_LABELS, action_known, action_label, value_text
from safepassage.exports.models import Document

PACKAGE = Path(__file__).resolve().parents[2] / "safepassage"


def _codes_in(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value:
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes_in(node.body) | _codes_in(node.orelse)
    if isinstance(node, ast.JoinedStr):  # f"export.{document}": every document
        prefix = node.values[0].value if isinstance(node.values[0], ast.Constant) else ""
        if prefix == "export.":
            return {f"export.{document}" for document in Document.values}
    return set()


def written_action_codes() -> set[str]:
    """The action codes in the source: `action=` of a call, or assigned to `action`."""
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        codes |= _codes_in(keyword.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                codes |= _codes_in(node.value)
    # argparse's `action="store_true"` is no audit action.
    return {code for code in codes if code.split(".")[0] not in {"store_true", "append"}}


def test_the_scan_finds_the_actions_it_should():
    codes = written_action_codes()
    assert {"person.register", "user.disable", "export.capture_card"} <= codes


def test_every_action_written_anywhere_has_a_label():
    missing = sorted(code for code in written_action_codes() if code not in ACTION_LABELS)
    assert not missing, f"add these to safepassage/audit/labels.py ACTION_LABELS: {missing}"


def test_a_sensitive_read_is_named_by_what_was_read():
    assert action_label("read.riskassessment") == "Sensitive values read: risk assessment"
    assert action_known("read.willexpression")
    assert not action_known("read.nothing") and not action_known("person.explode")


def test_an_unknown_code_shows_as_it_is_stored():
    assert action_label("something.new") == "something.new"


def test_labels_speak_the_readers_language():
    with translation.override("uk"):
        assert action_label("person.register") != "Person registered"


def test_values_read_as_text():
    assert value_text(None) == "∅"
    assert value_text(["KR", "PL"]) == "KR, PL"
    assert value_text([]) == "∅"
    assert value_text(True) == "yes"
    assert value_text({"a": 1}) == "a: 1"
