"""Key files: written once, readable by their owner only, read again when they change."""

import os
import threading
from collections.abc import Callable
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


class KeyStore[T]:
    """A key given inline or kept in a key file, loaded once per version of either: the file is
    read again whenever it changes on disk, so a running server picks up a new key without a
    restart. `load(inline, path)` reads and parses it."""

    def __init__(self, load: Callable[[str, Path], T]):
        self._load = load
        self._lock = threading.Lock()
        self._cached: tuple[object, T] | None = None

    def current(self, *, inline: str, path: Path, create: Callable[[Path], None]) -> T:
        """The key: `inline` when given, else the file at `path` (made by `create` if missing)."""
        if inline:
            signature: object = ("inline", inline)
        else:
            try:
                stat = path.stat()
            except FileNotFoundError:
                create(path)
                stat = path.stat()
            signature = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = self._cached
        if cached is not None and cached[0] == signature:
            return cached[1]
        with self._lock:
            value = self._load(inline, path)
            self._cached = (signature, value)
            return value

    def forget(self) -> None:
        self._cached = None
