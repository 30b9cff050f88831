"""The formats of offline field work, without Django: visit packages, return bundles and the
field instance's encrypted snapshot (docs/field.md#the-formats).

- A **visit package** goes from the centre to a team's laptop. Its header (in clear) names the
  package, the visit, the server's signing key and the key derivation; its body is sealed with
  AES-256-GCM under a key derived from the team's passphrase with scrypt; the server signs the
  header and the sealed body with its Ed25519 key.
- A **return bundle** goes back. Its body is sealed to the server's X25519 key (an ephemeral
  X25519 key, HKDF-SHA-256, AES-256-GCM); the per-package Ed25519 key carried inside the package
  signs its header (package, visit, a fresh bundle id) and the sealed body.
- A **snapshot** is the field instance's whole database and keys, sealed under the
  passphrase-derived key: the only form in which anything recorded in the field touches a disk.

Every header is canonical JSON and is the associated data of its AES-GCM seal, so a header
edited after sealing fails to open as well as to verify.
"""

import base64
import binascii
import json
import os
import secrets
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from safepassage.lib.chain import canonical_json

PACKAGE_FORMAT = "safepassage-visit-package/1"
BUNDLE_FORMAT = "safepassage-return-bundle/1"
SNAPSHOT_MAGIC = b"SPFIELD1\n"
NONCE_BYTES = 12
KEY_BYTES = 32
SALT_BYTES = 16
# scrypt as docs/field.md states it: N = 2^17, r = 8, p = 1 (128 MiB of memory, about half a
# second on a laptop, per guess of the passphrase).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
PASSPHRASE_MIN_LENGTH = 12
HKDF_INFO = b"safepassage-return-bundle/1 aes-256-gcm"


class FieldFormatError(ValueError):
    """A package, bundle or snapshot that cannot be read, opened or trusted. The message is one
    line that says what is wrong."""


# --- keys -------------------------------------------------------------------------------------


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def fingerprint(public: bytes) -> str:
    """A key's fingerprint to read aloud or print: the first 16 bytes of its SHA-256, in groups."""
    digest = hashes.Hash(hashes.SHA256())
    digest.update(public)
    text = digest.finalize()[:16].hex()
    return ":".join(text[i : i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class ServerKeys:
    """The centre's two field keys: it signs packages (Ed25519) and opens bundles (X25519)."""

    signing: Ed25519PrivateKey
    box: X25519PrivateKey

    @classmethod
    def generate(cls) -> "ServerKeys":
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    def to_text(self) -> str:
        return f"ed25519:{raw_private(self.signing).hex()}\nx25519:{raw_private(self.box).hex()}\n"

    @classmethod
    def from_text(cls, text: str) -> "ServerKeys":
        values = dict(line.split(":", 1) for line in text.split() if ":" in line)
        try:
            return cls(
                Ed25519PrivateKey.from_private_bytes(bytes.fromhex(values["ed25519"])),
                X25519PrivateKey.from_private_bytes(bytes.fromhex(values["x25519"])),
            )
        except (KeyError, ValueError) as exc:
            raise FieldFormatError("the server's field key file is malformed") from exc

    @property
    def public(self) -> "ServerPublic":
        signing, box = self.signing.public_key(), self.box.public_key()
        return ServerPublic(raw_public(signing), raw_public(box))


@dataclass(frozen=True)
class ServerPublic:
    """What a laptop pins: the server's public signing key (and, carried sealed in each package,
    its box key)."""

    signing: bytes
    box: bytes

    def to_text(self) -> str:
        return f"ed25519:{self.signing.hex()}\nx25519:{self.box.hex()}\n"

    @classmethod
    def from_text(cls, text: str) -> "ServerPublic":
        values = dict(line.split(":", 1) for line in text.split() if ":" in line)
        try:
            signing = bytes.fromhex(values["ed25519"])
            box = bytes.fromhex(values.get("x25519", ""))
            Ed25519PublicKey.from_public_bytes(signing)
        except (KeyError, ValueError) as exc:
            raise FieldFormatError("the server key file is not a safepassage server key") from exc
        return cls(signing, box)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing)


# --- passphrase -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def fresh(cls, n: int = SCRYPT_N) -> "KdfParams":
        return cls(salt=secrets.token_bytes(SALT_BYTES), n=n)

    def to_dict(self) -> dict:
        return {"name": "scrypt", "salt": _b64(self.salt), "n": self.n, "r": self.r, "p": self.p}

    @classmethod
    def from_dict(cls, data) -> "KdfParams":
        try:
            if data["name"] != "scrypt":
                raise FieldFormatError(f"unknown key derivation {data['name']!r}")
            params = cls(_unb64(data["salt"]), int(data["n"]), int(data["r"]), int(data["p"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise FieldFormatError("the key derivation parameters are malformed") from exc
        if params.n < 2**10 or params.n > 2**20 or params.n & (params.n - 1) or params.r > 32:
            raise FieldFormatError("the key derivation parameters are out of range")
        return params


def passphrase_check(passphrase: str) -> None:
    if len(passphrase) < PASSPHRASE_MIN_LENGTH:
        raise FieldFormatError(
            f"the team passphrase needs at least {PASSPHRASE_MIN_LENGTH} characters"
        )


def key_derive(passphrase: str, params: KdfParams) -> bytes:
    """The 256-bit key a passphrase gives under `params` (scrypt)."""
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return kdf.derive(passphrase.encode("utf-8"))


# --- helpers ----------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise FieldFormatError("a base64 value is missing")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FieldFormatError("a base64 value is malformed") from exc


def _seal(key: bytes, plaintext: bytes, header: dict) -> tuple[bytes, bytes]:
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, canonical_json(header).encode("utf-8"))


def _open(key: bytes, nonce: bytes, sealed: bytes, header: dict, what: str) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, sealed, canonical_json(header).encode("utf-8"))
    except InvalidTag as exc:
        raise FieldFormatError(what) from exc


def _signed_message(header: dict, sealed: bytes) -> bytes:
    return canonical_json(header).encode("utf-8") + b"\n" + sealed


def _document(text: bytes, fmt: str, what: str) -> dict:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FieldFormatError(f"this is not a {what}, or it was truncated (not JSON)") from exc
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise FieldFormatError(f"this is not a {what} ({fmt})")
    for name in ("header", "sealed", "signature"):
        if name not in data:
            raise FieldFormatError(f"the {what} lacks its {name}")
    if not isinstance(data["header"], dict):
        raise FieldFormatError(f"the {what}'s header is malformed")
    return data


# --- visit packages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """An opened visit package: its clear header, its content and the keys it carries."""

    package_id: str
    visit_id: int
    header: dict
    content: dict
    package_signing: Ed25519PrivateKey
    server_box: bytes


def package_write(
    *,
    server: ServerKeys,
    passphrase: str,
    visit_id: int,
    created_at: str,
    content: dict,
    kdf: KdfParams | None = None,
) -> tuple[bytes, str, bytes]:
    """The package file's bytes, its id and the public half of its fresh signing key (which the
    centre keeps, to know the bundles of this package)."""
    passphrase_check(passphrase)
    kdf = kdf or KdfParams.fresh()
    package_id = str(uuid.uuid4())
    package_key = Ed25519PrivateKey.generate()
    package_public = raw_public(package_key.public_key())
    header = {
        "package_id": package_id,
        "visit_id": visit_id,
        "created_at": created_at,
        "server_signing_key": server.public.signing.hex(),
        "package_public_key": package_public.hex(),
        "kdf": kdf.to_dict(),
    }
    body = {
        "content": content,
        "package_signing_key": raw_private(package_key).hex(),
        "server_box_key": server.public.box.hex(),
    }
    nonce, sealed = _seal(key_derive(passphrase, kdf), canonical_json(body).encode("utf-8"), header)
    sealed = nonce + sealed
    signature = server.signing.sign(_signed_message(header, sealed))
    document = {
        "format": PACKAGE_FORMAT,
        "header": header,
        "sealed": _b64(sealed),
        "signature": signature.hex(),
    }
    return json.dumps(document, indent=1).encode("utf-8") + b"\n", package_id, package_public


def package_verify(data: bytes, pinned: ServerPublic) -> dict:
    """The package's header once its signature verifies under the pinned server key."""
    document = _document(data, PACKAGE_FORMAT, "visit package")
    header = document["header"]
    if header.get("server_signing_key") != pinned.signing.hex():
        raise FieldFormatError(
            "the package was signed by another server than the one pinned on this laptop "
            f"(its key {fingerprint(bytes.fromhex(str(header.get('server_signing_key', ''))))}, "
            f"pinned {pinned.fingerprint})"
            if _is_hex(header.get("server_signing_key"))
            else "the package names no server key"
        )
    sealed = _unb64(document["sealed"])
    try:
        signature = bytes.fromhex(str(document["signature"]))
        Ed25519PublicKey.from_public_bytes(pinned.signing).verify(
            signature, _signed_message(header, sealed)
        )
    except (InvalidSignature, ValueError) as exc:
        raise FieldFormatError(
            "the package's signature does not verify: it was altered or truncated"
        ) from exc
    return header


def _is_hex(value) -> bool:
    try:
        bytes.fromhex(str(value))
    except ValueError:
        return False
    return bool(value)


def package_open(data: bytes, pinned: ServerPublic, passphrase: str) -> Package:
    """Verify the package against the pinned server key, then open it with the passphrase."""
    header = package_verify(data, pinned)
    document = json.loads(data)
    sealed = _unb64(document["sealed"])
    key = key_derive(passphrase, KdfParams.from_dict(header.get("kdf")))
    body = json.loads(
        _open(
            key,
            sealed[:NONCE_BYTES],
            sealed[NONCE_BYTES:],
            header,
            "the passphrase does not open this package",
        )
    )
    return Package(
        package_id=str(header["package_id"]),
        visit_id=int(header["visit_id"]),
        header=header,
        content=body["content"],
        package_signing=Ed25519PrivateKey.from_private_bytes(
            bytes.fromhex(body["package_signing_key"])
        ),
        server_box=bytes.fromhex(body["server_box_key"]),
    )


# --- return bundles ---------------------------------------------------------------------------


def _bundle_key(shared: bytes, ephemeral: bytes, server_box: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + server_box, info=HKDF_INFO
    ).derive(shared)


def bundle_write(
    *,
    package_id: str,
    visit_id: int,
    created_at: str,
    package_signing: Ed25519PrivateKey,
    server_box: bytes,
    content: dict,
) -> tuple[bytes, str]:
    """The return bundle's bytes and its fresh id."""
    bundle_id = str(uuid.uuid4())
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(server_box))
    header = {
        "bundle_id": bundle_id,
        "package_id": package_id,
        "visit_id": visit_id,
        "created_at": created_at,
        "ephemeral_key": ephemeral_public.hex(),
    }
    nonce, sealed = _seal(
        _bundle_key(shared, ephemeral_public, server_box),
        canonical_json(content).encode("utf-8"),
        header,
    )
    sealed = nonce + sealed
    document = {
        "format": BUNDLE_FORMAT,
        "header": header,
        "sealed": _b64(sealed),
        "signature": package_signing.sign(_signed_message(header, sealed)).hex(),
    }
    return json.dumps(document, indent=1).encode("utf-8") + b"\n", bundle_id


def bundle_header(data: bytes) -> dict:
    """The bundle's clear header (not yet verified): which package and visit it claims."""
    header = _document(data, BUNDLE_FORMAT, "return bundle")["header"]
    for name, kind in (("bundle_id", str), ("package_id", str), ("visit_id", int)):
        if not isinstance(header.get(name), kind):
            raise FieldFormatError(f"the return bundle's header lacks its {name}")
    return header


def bundle_open(data: bytes, *, package_public: bytes, server: ServerKeys) -> dict:
    """The bundle's content, once its signature verifies under the package's key and its seal
    opens under the server's box key."""
    document = _document(data, BUNDLE_FORMAT, "return bundle")
    header = bundle_header(data)
    sealed = _unb64(document["sealed"])
    try:
        signature = bytes.fromhex(str(document["signature"]))
        Ed25519PublicKey.from_public_bytes(package_public).verify(
            signature, _signed_message(header, sealed)
        )
    except (InvalidSignature, ValueError) as exc:
        raise FieldFormatError(
            f"the bundle is not signed by the key of package {header['package_id']}: it was "
            "altered, truncated or signed by another package"
        ) from exc
    try:
        ephemeral = bytes.fromhex(str(header["ephemeral_key"]))
        shared = server.box.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    except (KeyError, ValueError) as exc:
        raise FieldFormatError("the bundle's ephemeral key is malformed") from exc
    plaintext = _open(
        _bundle_key(shared, ephemeral, server.public.box),
        sealed[:NONCE_BYTES],
        sealed[NONCE_BYTES:],
        header,
        "the bundle does not open under this server's key: it was sealed for another server",
    )
    return json.loads(plaintext)


# --- snapshots --------------------------------------------------------------------------------


def snapshot_seal(*, key: bytes, kdf: KdfParams, meta: dict, database: bytes) -> bytes:
    """The snapshot file's bytes: `meta` (keys and the package's facts) and the database image,
    sealed under the passphrase-derived `key`."""
    header = {"kdf": kdf.to_dict()}
    meta_bytes = canonical_json(meta).encode("utf-8")
    plaintext = len(meta_bytes).to_bytes(8, "big") + meta_bytes + database
    nonce, sealed = _seal(key, plaintext, header)
    header_bytes = canonical_json(header).encode("utf-8")
    return SNAPSHOT_MAGIC + header_bytes + b"\n" + nonce + sealed


def snapshot_kdf(data: bytes) -> KdfParams:
    return KdfParams.from_dict(_snapshot_header(data)[0]["kdf"])


def _snapshot_header(data: bytes) -> tuple[dict, bytes]:
    if not data.startswith(SNAPSHOT_MAGIC):
        raise FieldFormatError("this is not a safepassage field snapshot")
    rest = data[len(SNAPSHOT_MAGIC) :]
    header_bytes, sep, sealed = rest.partition(b"\n")
    if not sep:
        raise FieldFormatError("the field snapshot is truncated")
    try:
        header = json.loads(header_bytes)
    except ValueError as exc:
        raise FieldFormatError("the field snapshot's header is malformed") from exc
    return header, sealed


def snapshot_open(data: bytes, key: bytes) -> tuple[dict, bytes]:
    """The snapshot's meta and database image."""
    header, sealed = _snapshot_header(data)
    plaintext = _open(
        key,
        sealed[:NONCE_BYTES],
        sealed[NONCE_BYTES:],
        header,
        "the passphrase does not open this field snapshot (or it was altered)",
    )
    length = int.from_bytes(plaintext[:8], "big")
    return json.loads(plaintext[8 : 8 + length]), plaintext[8 + length :]
