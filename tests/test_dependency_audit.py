"""scripts/dependency_audit.py: what a pip-audit run means for CI, from its JSON output."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "dependency_audit", ROOT / "scripts/dependency_audit.py"
)
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "6.1.3", "vulns": [
            {"id": "PYSEC-2099-1", "fix_versions": ["6.1.4"], "aliases": ["CVE-2099-1"],
             "description": "SQL injection"},
        ]},
        {"name": "openpyxl", "version": "3.1.5", "vulns": []},
    ],
    "fixes": [],
}  # fmt: skip
CLEAN = {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []},
                          {"name": "pyicu", "skip_reason": "Dependency not found on PyPI"}],
         "fixes": []}  # fmt: skip
UNKNOWN = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
OFFLINE = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max "
    "retries exceeded with url: /pypi/django/6.1.3/json (Caused by NameResolutionError(...))"
)


def _decide(report=None, *, ci: bool, returncode: int = 1, stderr: str = ""):
    stdout = json.dumps(report) if report is not None else ""
    return audit.decide(returncode=returncode, stdout=stdout, stderr=stderr, ci=ci)


def test_a_known_vulnerability_fails_under_ci_naming_the_package_and_the_fix():
    decision = _decide(VULNERABLE, ci=True)
    assert decision.exit_code == 1
    assert "django 6.1.3: PYSEC-2099-1 (fixed in 6.1.4)" in decision.message


def test_a_known_vulnerability_outside_ci_is_a_warning():
    decision = _decide(VULNERABLE, ci=False)
    assert decision.exit_code == 0 and decision.message.startswith("WARNING")
    assert "PYSEC-2099-1" in decision.message


def test_no_vulnerability_passes_and_names_what_was_not_audited():
    decision = _decide(CLEAN, ci=True, returncode=0)
    assert decision.exit_code == 0
    assert "no known vulnerability in 1 pinned packages" in decision.message
    assert "not audited: pyicu" in decision.message


@pytest.mark.parametrize("ci", [True, False])
def test_an_unreachable_advisory_database_is_skipped_with_a_message(ci):
    decision = _decide(None, ci=ci, stderr=f"Traceback ...\n{OFFLINE}\n")
    assert decision.exit_code == 0
    assert decision.message.startswith("SKIPPED") and "cannot be reached" in decision.message


def test_an_advisory_database_that_knows_none_of_the_pins_is_a_skip_not_a_pass():
    decision = _decide(UNKNOWN, ci=True, returncode=0)
    assert decision.exit_code == 0 and decision.message.startswith("SKIPPED")


def test_a_pip_audit_that_could_not_run_is_skipped_saying_why():
    decision = _decide(None, ci=True, stderr="pip-audit: error: unrecognized arguments: --x\n")
    assert decision.exit_code == 0
    assert "could not run: pip-audit: error: unrecognized arguments" in decision.message


def test_it_audits_every_runtime_and_dev_pin():
    pins = audit.pinned_requirements(ROOT / "pyproject.toml")
    assert "Django==" in " ".join(pins) and any(p.startswith("pytest==") for p in pins)
    assert all("==" in pin for pin in pins)


def test_an_ignored_vulnerability_needs_a_reason(tmp_path):
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# comment\nPYSEC-2099-1 no fix released; not reachable from our code\n")
    assert audit.ignored_vulnerabilities(ignore) == {
        "PYSEC-2099-1": "no fix released; not reachable from our code"
    }
    ignore.write_text("PYSEC-2099-2\n")
    with pytest.raises(ValueError, match="line 1"):
        audit.ignored_vulnerabilities(ignore)
