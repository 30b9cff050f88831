"""The curl example of docs/api.md, run as written against a live server on demo data."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from safepassage.accounts.models import User
from safepassage.api.services import api_token_create
from safepassage.demo.cast import DEMO_PASSWORD
from safepassage.demo.seed import demo_seed
from safepassage.registry.models import Person
from tests.audit.tamper import triggers_create, triggers_drop

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _block(name: str) -> str:
    """The ```sh block that follows `<!-- example: NAME -->` in docs/api.md."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- example: {name} -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/api.md has no example block {name!r}"
    return match.group(1)


def _tokens() -> dict[str, tuple[str, bool]]:
    """Variable → (demo account, whether his password confirms it), from the
    `export VAR=$(token ACCOUNT)` and `export VAR=$(echo PW | token ACCOUNT --password-stdin)`
    lines of the doc."""
    lines = re.findall(
        r"export (\w+)=\$\((?:echo \S+ \| )?token ([\w-]+)( --password-stdin)?\)",
        _block("tokens"),
    )
    return {variable: (username, bool(confirmed)) for variable, username, confirmed in lines}


def test_the_token_block_creates_every_token_the_example_uses():
    used = set(re.findall(r"Bearer \$(\w+)", _block("partner")))
    assert used and used <= set(_tokens())
    assert "safepassage api-token create" in _block("tokens")
    assert f"echo {DEMO_PASSWORD} | token" in _block("tokens")


@pytest.fixture(scope="module")
def _audit_triggers_restored(django_db_blocker):
    """Creates the audit log's append-only triggers again once the live test's flush is done."""
    state = {"dropped": False}
    yield state
    if state["dropped"]:
        with django_db_blocker.unblock():
            triggers_create()


@pytest.fixture
def live(_audit_triggers_restored, live_server):
    """The live server on committed data. The flush that ends the test deletes the audit
    log, which its triggers refuse: they are dropped here and created again after the flush
    (pytest-django sets the database up before this fixture, so it tears it down after)."""
    yield live_server
    triggers_drop()
    _audit_triggers_restored["dropped"] = True


@pytest.mark.skipif(not shutil.which("curl"), reason="needs curl")
def test_the_partner_example_runs_against_a_live_server(live):
    live_server = live
    demo_seed(persons=2)
    env = {
        "API": f"{live_server.url}/api/v1",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "LC_ALL": "C.UTF-8",
    }
    for variable, (username, confirmed) in _tokens().items():
        env[variable] = api_token_create(
            user=User.objects.get(username=username),
            name="docs example",
            authenticated_at=timezone.now() if confirmed else None,
        )[1]
    before = Person.objects.count()
    result = subprocess.run(  # noqa: S603 - our own documented example, against a test server
        [shutil.which("bash") or "/bin/bash", "-euo", "pipefail", "-c", _block("partner")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert Person.objects.count() == before + 2
    answers = _json_stream(result.stdout)
    refusals = [a for a in answers if a.get("type") == "/api/v1/problems/non-refoulement"]
    assert len(refusals) == 1, result.stdout
    # CN might send him on to KP, which his will refuses: "blocked" to the planner.
    assert refusals[0]["status"] == 422
    assert refusals[0]["rules"] == ["blocked", "high_risk", "onward_risk"]
    assert {v["country"] for v in refusals[0]["violations"]} == {"CN", None}
    assert answers[-1]["status"] == "scheduled" and answers[-1]["transit"] == []


def _json_stream(text: str) -> list[dict]:
    """The JSON answers curl printed one after the other."""
    decoder, answers, index = json.JSONDecoder(), [], 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        value, index = decoder.raw_decode(text, index)
        answers.append(value)
    return answers
