"""A delegate's day without a network, through the browser: the centre packages a visit under
way, the laptop opens it (`safepassage field open`, a process of its own), a member of the team
logs in with his username and the team passphrase and records two interviews on the visit's
interview form, `field close` writes the return bundle, and the centre receives it."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safepassage.cases.models import Case, CaseState, WillExpression
from safepassage.field.services import server_keys, visit_bundle_receive, visit_package_create
from safepassage.visits.models import Interview, InterviewOutcome
from tests.browser.conftest import Browsing
from tests.factories import register, step
from tests.field.scenario import MARKER, visit_ready

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "granite lantern orchard 42"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(laptop: Path) -> dict:
    return {
        "PATH": f"/usr/bin:/bin:{Path(sys.executable).parent}",
        "PYTHONPATH": str(ROOT),
        "SAFEPASSAGE_VAR_DIR": str(laptop),
        "LC_ALL": "C.UTF-8",
    }


def _command(*args: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "safepassage"), *args]


def _stop(process: subprocess.Popen) -> None:
    """Stop the field server if it still runs: SIGTERM seals and exits; kill if it hangs."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: nothing of it is left behind
        process.wait(timeout=10)


def _wait_until_served(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"field open exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - 127.0.0.1
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"the field instance did not answer on {url}:\n{log.read_text()}")


@pytest.fixture
def centre(people, settings, tmp_path):
    """At the centre: a visit under way to Camp West-3 with two men on its list, packaged for
    the verifier's team with the team passphrase."""
    settings.FIELD_SERVER_KEY_FILE = tmp_path / "field-server.key"
    second = register(
        people.registrar, family="Пак", given="Сон Мин", internment_place="Camp West-3",
        languages="ko",
    )  # fmt: skip
    step(people.registrar, second, CaseState.NOTIFIED)
    step(people.registrar, second, CaseState.AWAITING_INTERVIEW)
    visit, first = visit_ready(people.registrar, people.interviewer)
    second.refresh_from_db()
    assert {row.person_id for row in visit.to_see.all()} == {first.pk, second.pk}
    data, _package = visit_package_create(
        actor=people.interviewer, visit=visit, passphrase=PASSPHRASE
    )
    (tmp_path / "visit.pkg").write_bytes(data)
    (tmp_path / "server.pub").write_text(server_keys().public.to_text(), encoding="ascii")
    (tmp_path / "team.pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    return visit, first, second


@pytest.fixture
def laptop(centre, tmp_path):
    """The laptop: `field open` serving the package on a free port of 127.0.0.1, stopped at the
    end of the test whatever happened."""
    folder = tmp_path / "laptop"
    port = _free_port()
    log = tmp_path / "field.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own console command
            _command(
                "field", "open", str(tmp_path / "visit.pkg"),
                "--server-key", str(tmp_path / "server.pub"),
                "--passphrase-file", str(tmp_path / "team.pass"), "--port", str(port),
            ),
            env=_env(folder), stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_served(process, f"{url}/login/", log)
        yield folder, url, process
    finally:
        _stop(process)


@pytest.fixture
def field_browsing(browser, laptop, request):
    _folder, url, _process = laptop
    session = Browsing(browser, url, request.node.name)
    yield session
    session.close()
    assert not session.problems, "\n".join(session.problems)


def _record_interview(page, number: str, outcome: str) -> None:
    page.get_by_role("link", name="Record an interview").click()
    expect(page.get_by_role("heading", name="Record an interview")).to_be_visible()
    page.get_by_label("Person seen:").select_option(label=number)
    page.get_by_label("Outcome:").select_option(label=outcome)
    page.get_by_label("Date:").fill(timezone.localdate().isoformat())


def test_a_delegate_records_two_interviews_offline_and_the_centre_receives_them(
    people, centre, laptop, field_browsing
):
    visit, first, second = centre
    folder, _url, process = laptop
    browsing = field_browsing

    # On the laptop: the team member logs in with his username and the team passphrase.
    page = browsing.open(None, path="/login/")
    page.get_by_label("Username").fill(people.interviewer.username)
    page.get_by_label("Password").fill(PASSPHRASE)
    browsing.shot(page, "login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    browsing.shot(page, "logged-in")

    page.goto(f"/visits/{visit.pk}/")
    expect(page.get_by_role("heading", name="Visit · Camp West-3")).to_be_visible()
    browsing.shot(page, "visit")

    # The first man, heard with his will in private, through the verifier's interpreter.
    _record_interview(page, first.registry_number, "Interviewed")
    page.get_by_label("Setting:").select_option(label="Private, without witnesses")
    page.get_by_label(re.compile(r"^Interpreter:?$")).fill("Kim Interpreter")
    page.get_by_label("Interpreter's organisation:").select_option(
        label="The neutral verifier's own staff"
    )
    page.get_by_label("Language of the interview:").fill("ko")
    page.get_by_label("Wish:").select_option(label="Go to named state(s)")
    page.get_by_label("Destinations preferred:").fill("KR")
    page.get_by_label("Certainty (%):").fill("90")
    page.get_by_label("Statement:").fill(MARKER)
    browsing.shot(page, "interview-with-will")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interview recorded.")).to_be_visible()
    interviews = page.locator("#interviews")
    expect(
        interviews.get_by_role("listitem").filter(has_text=first.registry_number)
    ).to_contain_text("his will is verified")
    browsing.shot(page, "first-recorded")

    # The second man declines.
    _record_interview(page, second.registry_number, "Declined to be interviewed")
    browsing.shot(page, "interview-declined")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Interview recorded.")).to_be_visible()
    expect(
        interviews.get_by_role("listitem").filter(has_text=second.registry_number)
    ).to_contain_text("Declined to be interviewed")
    expect(interviews.get_by_role("listitem")).to_have_count(2)
    browsing.shot(page, "both-recorded")

    # Back at base: `field close` stops the instance, writes the bundle and wipes the laptop.
    bundle = folder.parent / "return.bundle"
    closed = subprocess.run(  # noqa: S603 - our own console command
        _command("field", "close", "--out", str(bundle),
                 "--passphrase-file", str(folder.parent / "team.pass")),
        env=_env(folder), capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert closed.returncode == 0, closed.stdout + closed.stderr
    assert "1 will expressions, 2 interviews" in closed.stdout
    process.wait(timeout=60)
    assert not (folder / "field").exists()

    # At the centre: received as if typed into its own pages.
    assert not Interview.objects.filter(visit=visit).exists()
    _received, new = visit_bundle_receive(actor=people.interviewer, data=bundle.read_bytes())
    assert new
    case = Case.objects.get(person=first)
    assert case.state == CaseState.WILL_VERIFIED
    assert case.governing_will.verified and case.governing_will.statement == MARKER
    declined = Interview.objects.get(visit=visit, person=second)
    assert declined.outcome == InterviewOutcome.DECLINED and declined.will_expression is None
    assert not WillExpression.objects.filter(person=second).exists()
    assert Case.objects.get(person=second).state == CaseState.AWAITING_INTERVIEW
    assert Interview.objects.get(visit=visit, person=first).held_on == timezone.localdate()
