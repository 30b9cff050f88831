"""The field formats: packages, return bundles and snapshots, without Django."""

import json

import pytest

from safepassage.lib.fieldpack import (
    FieldFormatError,
    KdfParams,
    ServerKeys,
    ServerPublic,
    bundle_header,
    bundle_open,
    bundle_write,
    key_derive,
    package_open,
    package_verify,
    package_write,
    snapshot_kdf,
    snapshot_open,
    snapshot_seal,
)

PASSPHRASE = "correct horse battery staple"
FAST = 2**10  # scrypt's cost in these tests only; the default is docs/field.md's


@pytest.fixture(scope="module")
def server():
    return ServerKeys.generate()


def _package(server, content=None):
    return package_write(
        server=server,
        passphrase=PASSPHRASE,
        visit_id=7,
        created_at="2026-12-07T10:00:00Z",
        content=content or {"persons": [{"registry_number": "UA-2026-000001"}]},
        kdf=KdfParams.fresh(n=FAST),
    )


def test_a_package_opens_with_the_pinned_key_and_the_passphrase(server):
    data, package_id, public = _package(server)
    package = package_open(data, server.public, PASSPHRASE)
    assert package.package_id == package_id and package.visit_id == 7
    assert package.content["persons"][0]["registry_number"] == "UA-2026-000001"
    assert package.server_box == server.public.box
    assert package.package_signing.public_key().public_bytes_raw() == public


def test_a_package_holds_no_name_in_clear(server):
    data, _id, _public = _package(server, {"persons": [{"name": "Ри Ён Хо"}]})
    assert "Ри Ён Хо".encode() not in data and PASSPHRASE.encode() not in data


def test_a_wrong_passphrase_does_not_open_it(server):
    data, _id, _public = _package(server)
    with pytest.raises(FieldFormatError, match="passphrase does not open"):
        package_open(data, server.public, "another long passphrase")


def test_a_package_of_another_server_is_refused(server):
    data, _id, _public = _package(server)
    with pytest.raises(FieldFormatError, match="another server"):
        package_verify(data, ServerKeys.generate().public)


def test_an_altered_package_is_refused(server):
    data, _id, _public = _package(server)
    document = json.loads(data)
    document["header"]["visit_id"] = 8
    with pytest.raises(FieldFormatError, match="does not verify"):
        package_verify(json.dumps(document).encode(), server.public)


def test_a_truncated_package_is_refused(server):
    data, _id, _public = _package(server)
    with pytest.raises(FieldFormatError, match="truncated"):
        package_verify(data[: len(data) // 2], server.public)


def test_a_short_passphrase_is_refused(server):
    with pytest.raises(FieldFormatError, match="at least 12"):
        package_write(server=server, passphrase="short", visit_id=1, created_at="", content={})


def test_the_server_public_key_reads_back_from_its_text(server):
    assert ServerPublic.from_text(server.public.to_text()) == server.public
    assert ServerKeys.from_text(server.to_text()).public == server.public
    with pytest.raises(FieldFormatError):
        ServerPublic.from_text("nothing here")


def _bundle(server, package, visit_id=7, content=None):
    return bundle_write(
        package_id=package.package_id,
        visit_id=visit_id,
        created_at="2026-12-08T10:00:00Z",
        package_signing=package.package_signing,
        server_box=package.server_box,
        content=content or {"wills": [{"statement": "MARKER-STATEMENT"}]},
    )


def test_a_bundle_opens_at_the_server_and_is_sealed_in_transit(server):
    data, _id, public = _package(server)
    package = package_open(data, server.public, PASSPHRASE)
    bundle, bundle_id = _bundle(server, package)
    assert b"MARKER-STATEMENT" not in bundle
    header = bundle_header(bundle)
    assert header["bundle_id"] == bundle_id and header["package_id"] == package.package_id
    content = bundle_open(bundle, package_public=public, server=server)
    assert content["wills"][0]["statement"] == "MARKER-STATEMENT"


def test_two_bundles_have_two_ids(server):
    data, _id, _public = _package(server)
    package = package_open(data, server.public, PASSPHRASE)
    assert _bundle(server, package)[1] != _bundle(server, package)[1]


def test_a_bundle_with_an_edited_header_is_refused(server):
    data, _id, public = _package(server)
    package = package_open(data, server.public, PASSPHRASE)
    bundle, _bundle_id = _bundle(server, package)
    document = json.loads(bundle)
    document["header"]["visit_id"] = 99
    with pytest.raises(FieldFormatError, match="not signed by the key of package"):
        bundle_open(json.dumps(document).encode(), package_public=public, server=server)


def test_a_bundle_signed_by_another_package_is_refused(server):
    data, _id, public = _package(server)
    other = package_open(_package(server)[0], server.public, PASSPHRASE)
    package = package_open(data, server.public, PASSPHRASE)
    forged, _bundle_id = bundle_write(
        package_id=package.package_id, visit_id=7, created_at="", content={},
        package_signing=other.package_signing, server_box=package.server_box,
    )  # fmt: skip
    with pytest.raises(FieldFormatError, match="signed by another package"):
        bundle_open(forged, package_public=public, server=server)


def test_a_bundle_for_another_server_does_not_open(server):
    data, _id, public = _package(server)
    package = package_open(data, server.public, PASSPHRASE)
    bundle, _bundle_id = _bundle(server, package)
    with pytest.raises(FieldFormatError, match="another server"):
        bundle_open(bundle, package_public=public, server=ServerKeys.generate())


def test_a_truncated_bundle_is_refused(server):
    data, _id, public = _package(server)
    bundle, _bundle_id = _bundle(server, package_open(data, server.public, PASSPHRASE))
    with pytest.raises(FieldFormatError, match="truncated"):
        bundle_open(bundle[:-40], package_public=public, server=server)


def test_a_snapshot_opens_with_its_key_only():
    kdf = KdfParams.fresh(n=FAST)
    key = key_derive(PASSPHRASE, kdf)
    sealed = snapshot_seal(key=key, kdf=kdf, meta={"secret": "s"}, database=b"MARKER database")
    assert b"MARKER" not in sealed and b"secret" not in sealed
    assert snapshot_kdf(sealed) == kdf
    assert snapshot_open(sealed, key) == ({"secret": "s"}, b"MARKER database")
    with pytest.raises(FieldFormatError, match="does not open"):
        snapshot_open(sealed, key_derive("another long passphrase", kdf))
    with pytest.raises(FieldFormatError, match="does not open"):
        snapshot_open(sealed[:-1] + bytes([sealed[-1] ^ 1]), key)
