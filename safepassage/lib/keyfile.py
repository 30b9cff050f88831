"""Key files: written once, readable by their owner only."""

import os
from pathlib import Path


def key_file_write(path: Path, content: bytes) -> None:
    """Create `path` (and its folders) holding `content`, mode 0600 from its first byte.

    Never replaces a file: `FileExistsError` when `path` exists, whether another process just
    made it or a key whose ciphertexts, pseudonyms or signatures are still about sits there.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
