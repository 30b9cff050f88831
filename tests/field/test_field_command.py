"""`safepassage field open|serve|close` on a laptop, as separate processes: the pinned key, the
passphrase, the snapshot that a restart opens again, and the wipe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from safepassage.lib.fieldpack import KdfParams, ServerKeys, package_write
from tests.field.test_docs_example import ROOT

PASSPHRASE = "granite lantern orchard 42"


def _field(laptop: Path, *args: str, passphrase: str = PASSPHRASE) -> subprocess.CompletedProcess:
    secret = laptop.parent / "given.pass"
    secret.write_text(passphrase + "\n", encoding="utf-8")
    env = {
        "PATH": f"/usr/bin:/bin:{Path(sys.executable).parent}",
        "PYTHONPATH": str(ROOT),
        "SAFEPASSAGE_VAR_DIR": str(laptop),
        "LC_ALL": "C.UTF-8",
    }
    return subprocess.run(  # noqa: S603 - our own console command
        [str(ROOT / ".venv" / "bin" / "safepassage"), "field", *args,
         "--passphrase-file", str(secret)],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _content() -> dict:
    """The smallest package: a visit with one interviewer and nobody to see yet."""
    organisation = {"id": 2, "name": "Mission", "kind": "neutral_verifier", "country": "CH"}
    detaining = {"id": 1, "name": "Bureau", "kind": "detaining_power", "country": "UA"}
    return {
        "organisations": [detaining, organisation],
        "visit": {
            "id": 5, "organisation": 2, "starts_on": "2026-12-01", "ends_on": "2026-12-31",
            "state": "under_way", "planned_by": "vera",
            "place": {"id": 3, "name": "Camp West-3", "kind": "camp", "region": "",
                      "detaining_organisation": 1},
        },
        "team": [{"user": "vera", "name": "", "role": "interviewer", "affiliation": ""}],
        "users": [{"id": 9, "username": "vera", "first_name": "", "last_name": "",
                   "organisation": 2, "roles": ["interviewer"], "language": ""}],
        "persons": [],
    }  # fmt: skip


@pytest.fixture
def laptop(tmp_path):
    server = ServerKeys.generate()
    data, _id, _public = package_write(
        server=server, passphrase=PASSPHRASE, visit_id=5, created_at="2026-12-07T09:00:00Z",
        content=_content(), kdf=KdfParams.fresh(n=2**14),
    )  # fmt: skip
    (tmp_path / "visit.pkg").write_bytes(data)
    (tmp_path / "server.pub").write_text(server.public.to_text(), encoding="ascii")
    return tmp_path / "laptop"


def test_open_pins_the_key_seals_a_snapshot_and_serve_opens_it_again(laptop):
    package, key = str(laptop.parent / "visit.pkg"), str(laptop.parent / "server.pub")
    opened = _field(laptop, "open", package, "--server-key", key, "--no-serve")
    assert opened.returncode == 0, opened.stderr
    assert "Team accounts: vera" in opened.stdout
    assert (laptop / "field-server.pub").exists() and (
        laptop / "field" / "snapshot.sealed"
    ).exists()
    assert b"Camp West-3" not in (laptop / "field" / "snapshot.sealed").read_bytes()
    again = _field(laptop, "serve", "--no-serve")
    assert again.returncode == 0 and "Visit 5 opened again" in again.stdout, again.stderr


def test_a_wrong_passphrase_opens_nothing_in_one_line(laptop):
    package, key = str(laptop.parent / "visit.pkg"), str(laptop.parent / "server.pub")
    refused = _field(laptop, "open", package, "--server-key", key, passphrase="another long phrase")
    assert refused.returncode == 2 and "passphrase does not open" in refused.stderr
    assert "Traceback" not in refused.stderr and not (laptop / "field").exists()
    _field(laptop, "open", package, "--server-key", key, "--no-serve")
    resumed = _field(laptop, "serve", "--no-serve", passphrase="another long phrase")
    assert resumed.returncode == 2 and "does not open this field snapshot" in resumed.stderr


def test_a_package_of_another_server_than_the_pinned_one_is_refused(laptop):
    package = str(laptop.parent / "visit.pkg")
    other = laptop.parent / "other.pub"
    other.write_text(ServerKeys.generate().public.to_text(), encoding="ascii")
    refused = _field(laptop, "open", package, "--server-key", str(other))
    assert refused.returncode == 2 and "another server" in refused.stderr
    # The first key given is pinned: the right one is now refused as a different key.
    later = _field(laptop, "open", package, "--server-key", str(laptop.parent / "server.pub"))
    assert later.returncode != 0 and "already trusts another server key" in later.stderr


def test_close_writes_the_bundle_outside_and_wipes_the_field_directory(laptop):
    package, key = str(laptop.parent / "visit.pkg"), str(laptop.parent / "server.pub")
    _field(laptop, "open", package, "--server-key", key, "--no-serve")
    inside = _field(laptop, "close", "--out", str(laptop / "field" / "return.bundle"))
    assert inside.returncode != 0 and "outside the field directory" in inside.stderr
    closed = _field(laptop, "close", "--out", str(laptop.parent / "return.bundle"))
    assert closed.returncode == 0, closed.stderr
    assert "0 will expressions" in closed.stdout
    assert not (laptop / "field").exists() and (laptop.parent / "return.bundle").exists()
    assert set(os.listdir(laptop)) <= {"field-server.pub", "static"}
