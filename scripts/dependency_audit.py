"""Audit the pinned dependencies (pyproject.toml) with pip-audit; run by .ci/run.

    .venv/bin/python scripts/dependency_audit.py

Offline-safe: when the advisory database cannot be reached (or pip-audit cannot run), the audit
is skipped with a message and exits 0. A known vulnerability is printed with its fix and fails
the run under CI=true; elsewhere it is a warning. A vulnerability that cannot be fixed yet is
listed in scripts/pip-audit-ignore.txt, one `ID reason` a line, and printed on every run.
"""

import json
import os
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / "scripts" / "pip-audit-ignore.txt"
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
# What pip-audit's error output says when the advisory service cannot be reached.
NETWORK_SIGNS = ("ConnectionError", "Max retries exceeded", "Failed to establish",
                 "Name or service not known", "Temporary failure in name resolution",
                 "timed out", "Timeout", "SSLError", "Connection refused", "Network is unreachable",
                 "429", "502", "503", "504")  # fmt: skip


@dataclass(frozen=True)
class Decision:
    exit_code: int
    message: str


def pinned_requirements(pyproject: Path) -> list[str]:
    """The run-time and dev dependencies, as pinned in pyproject.toml."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["dev"]]


def ignored_vulnerabilities(path: Path) -> dict[str, str]:
    """`{id: reason}` from the ignore file; a line without a reason is refused."""
    if not path.exists():
        return {}
    ignored = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _sep, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path.name} line {number}: write the id, a space and the reason")
        ignored[vuln_id] = reason.strip()
    return ignored


def decide(*, returncode: int, stdout: str, stderr: str, ci: bool) -> Decision:
    """What a pip-audit run (`--format json`) means for CI."""
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        return _not_run(returncode, stderr)
    found = [
        f"  {dep['name']} {dep['version']}: {vuln['id']}"
        + (f" (fixed in {', '.join(vuln['fix_versions'])})" if vuln.get("fix_versions") else "")
        for dep in dependencies
        for vuln in dep.get("vulns", [])
    ]
    skipped = [f"{d['name']} ({d['skip_reason']})" for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    note = f"; not audited: {', '.join(skipped)}" if skipped else ""
    if not found and not audited:
        return Decision(
            0,
            f"SKIPPED: the dependency audit (the advisory database knows none of the "
            f"{len(dependencies)} pinned packages: a mirror without vulnerability data?).",
        )
    if not found:
        return Decision(0, f"pip-audit: no known vulnerability in {audited} pinned packages{note}.")
    listing = "\n".join(found)
    if ci:
        return Decision(1, f"FAIL: pip-audit found known vulnerabilities:\n{listing}")
    return Decision(
        0, f"WARNING: pip-audit found known vulnerabilities (CI fails on them):\n{listing}"
    )


def _not_run(returncode: int, stderr: str) -> Decision:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else f"exit status {returncode}"
    if any(sign in stderr for sign in NETWORK_SIGNS):
        return Decision(
            0, f"SKIPPED: the dependency audit (the advisory database cannot be reached: {last})."
        )
    return Decision(0, f"SKIPPED: the dependency audit (pip-audit could not run: {last}).")


def main() -> int:
    ci = os.environ.get("CI") == "true"
    if not PIP_AUDIT.exists():
        message = f"pip-audit is not installed at {PIP_AUDIT} (it is in the dev extra)"
        print(f"{'FAIL' if ci else 'SKIPPED'}: {message}.", file=sys.stderr)
        return 1 if ci else 0
    try:
        ignored = ignored_vulnerabilities(IGNORE_FILE)
    except ValueError as error:
        print(f"FAIL: {error}.", file=sys.stderr)
        return 1
    for vuln_id, reason in ignored.items():
        print(f"pip-audit: ignoring {vuln_id}: {reason}")
    with tempfile.TemporaryDirectory() as directory:
        requirements = Path(directory) / "requirements.txt"
        requirements.write_text("\n".join(pinned_requirements(ROOT / "pyproject.toml")) + "\n")
        command = [str(PIP_AUDIT), "--requirement", str(requirements), "--no-deps",
                   "--disable-pip", "--format", "json", "--progress-spinner", "off",
                   "--timeout", "15"]  # fmt: skip
        for vuln_id in ignored:
            command += ["--ignore-vuln", vuln_id]
        try:
            result = subprocess.run(  # noqa: S603 - the venv's pip-audit, a fixed argv
                command, capture_output=True, text=True, timeout=600, check=False
            )
        except subprocess.TimeoutExpired:
            print("SKIPPED: the dependency audit (pip-audit took over 10 minutes).")
            return 0
    decision = decide(
        returncode=result.returncode, stdout=result.stdout, stderr=result.stderr, ci=ci
    )
    print(decision.message, file=sys.stderr if decision.exit_code else sys.stdout)
    return decision.exit_code


if __name__ == "__main__":
    sys.exit(main())
