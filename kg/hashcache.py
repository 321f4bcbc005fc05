"""The content hashes of the files a build read, kept beside a store on disk.

A rebuild looks a file up by its recorded path, size, modification time and inode; when
all match, the hash is taken from here and the file is not read (nor its HTML rendered).
Like make and git, this trusts the file system's times: an entry is only made for a file
whose modification time is at least ``SETTLE_NS`` old, so an edit in the same clock tick
as the read cannot hide behind it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

FILE_NAME = "policy-kg-file-hashes.json"
SETTLE_NS = 2_000_000_000
VERSION = 1


def stat_key(path: Path) -> list[int] | None:
    """Size, modification time (ns) and inode of a file, or None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class HashCache:
    """Content hashes keyed by recorded path, valid while the file's stat is unchanged.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.txt").write_text("text")
    4
    >>> cache = HashCache(folder / FILE_NAME)
    >>> key = stat_key(folder / "a.txt")
    >>> cache.put("a.txt", key, "f00d", now_ns=key[1] + SETTLE_NS)
    >>> cache.get("a.txt", key)
    'f00d'
    >>> cache.get("a.txt", [key[0] + 1, *key[1:]]) is None
    True
    """

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = self._load() if path is not None else {}
        self.changed = False

    def _load(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no cache yet, or a damaged one: every file is read again
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def get(self, name: str, key: list[int] | None) -> str | None:
        entry = self.entries.get(name)
        if key is None or not isinstance(entry, list) or len(entry) != 4 or entry[:3] != key:
            return None
        return entry[3] if isinstance(entry[3], str) else None

    def put(self, name: str, key: list[int] | None, content_hash: str, *, now_ns=None) -> None:
        now_ns = time.time_ns() if now_ns is None else now_ns
        if key is None or now_ns - key[1] < SETTLE_NS:
            return  # modified just now: it could change again within the same time stamp
        if self.entries.get(name) != [*key, content_hash]:
            self.entries[name] = [*key, content_hash]
            self.changed = True

    def save(self) -> None:
        """Write the cache (atomically) when it changed; a failure only costs speed."""
        if self.path is None or not self.changed:
            return
        data = {"version": VERSION, "files": dict(sorted(self.entries.items()))}
        temporary = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.path)
            self.changed = False
        except OSError:
            temporary.unlink(missing_ok=True)


def for_store(store) -> HashCache:
    """The cache of a store on disk; an empty, unsaved one for stores in memory or remote."""
    folder = getattr(store, "folder", None)
    return HashCache(Path(folder) / FILE_NAME if folder is not None else None)
