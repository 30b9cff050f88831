"""The documents' stored objects: ciphertext only, under random names, in the `documents`
storage (settings.STORAGES: a folder under the data directory, or an S3-compatible bucket)."""

import base64
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from safepassage.lib.envelope import bytes_decrypt, bytes_encrypt, data_key_new

STORAGE = "documents"


def documents_storage():
    return storages[STORAGE]


def associated_data(document_id: int, number: int) -> str:
    """What the ciphertext is bound to: a stored object swapped with another fails to open."""
    return f"safepassage.document#{document_id}.v{number}"


def object_name_new() -> str:
    """A name that says nothing: not his number, the kind, the title or the date."""
    return f"{secrets.token_hex(2)}/{secrets.token_hex(16)}"


def object_write(*, document_id: int, number: int, content: bytes) -> tuple[str, str, str]:
    """Encrypt and store; (stored name, data key in base64, nonce in hex)."""
    key = data_key_new()
    nonce, ciphertext = bytes_encrypt(key, content, associated_data(document_id, number))
    name = documents_storage().save(object_name_new(), ContentFile(ciphertext))
    return name, base64.b64encode(key).decode("ascii"), nonce.hex()


def object_read(version) -> bytes:
    """The plain bytes of a version, in memory."""
    with documents_storage().open(version.stored_name, "rb") as handle:
        ciphertext = handle.read()
    key = base64.b64decode(version.data_key)
    return bytes_decrypt(
        key,
        bytes.fromhex(version.nonce),
        ciphertext,
        associated_data(version.document_id, version.number),
    )


def object_delete(name: str) -> None:
    documents_storage().delete(name)
