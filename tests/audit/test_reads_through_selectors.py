"""No page or API view records a sensitive read by hand: the selector that hands out a
statement, a next of kin, an interview, a basis or a requester's contact records its read in
the same call, so no view can show one and forget the audit."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "safepassage"
AUDIT_CALLS = {"sensitive_reads_record", "SensitiveRead", "audit_append"}
# What a view may take from audit.reads: gathering its selectors' reads into one append of the
# log records nothing itself (the selectors still do).
VIEW_MAY_USE = {"reads_gathered"}


def _view_modules() -> list[Path]:
    names = ("views.py", "api.py", "tokens.py", "shortcuts.py", "base.py")
    return sorted(p for p in ROOT.rglob("*.py") if p.name in names and "migrations" not in p.parts)


def _audit_names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "safepassage.audit.reads":
            used |= {alias.name for alias in node.names} - VIEW_MAY_USE
        elif isinstance(node, ast.Name) and node.id in AUDIT_CALLS:
            used.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in AUDIT_CALLS:
            used.add(node.attr)
    return used


def test_the_view_modules_are_found():
    found = {p.relative_to(ROOT).as_posix() for p in _view_modules()}
    assert {"registry/views.py", "registry/api.py", "cases/views.py", "cases/api.py"} <= found


def test_no_view_or_api_module_records_a_sensitive_read_itself():
    by_hand = {
        path.relative_to(ROOT).as_posix(): sorted(names)
        for path in _view_modules()
        if (names := _audit_names_used(path))
    }
    assert not by_hand, f"ask a selector that records the read: {by_hand}"
