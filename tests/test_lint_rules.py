"""The security lint (ruff's S rules, from bandit) covers the code, and every finding silenced
on a line says why it is safe there."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_bandit_rules_are_on_and_none_is_ignored_for_the_code():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    lint = lint["lint"]
    assert "S" in lint["select"]
    assert not [rule for rule in lint.get("ignore", []) if rule.startswith("S")]
    for pattern, rules in lint.get("per-file-ignores", {}).items():
        if any(rule.startswith("S") for rule in rules):
            assert pattern.startswith(("tests/", "safepassage/demo/")) or "bench" in pattern, (
                pattern
            )


def test_every_silenced_security_finding_in_the_code_says_why():
    bare = []
    for path in (ROOT / "safepassage").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.search(r"#\s*noqa:\s*(S\d+(?:,\s*S\d+)*)(.*)$", line)
            if match and len(match[2].strip(" -—():")) < 8:
                bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert not bare, f"say why each is safe: {bare}"
