"""Reading document files: decoding, HTML rendering, and curator sidecars."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .htmltext import html_to_text
from .sidecar import Sidecar, find_sidecar, read_sidecar

FORMAT_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
DEFAULT_MAX_BYTES = 20_000_000


@dataclass
class RawDocument:
    """A decoded document, ready for extraction."""

    path: str
    text: str
    format: str
    html_meta: dict[str, list[str]] = field(default_factory=dict)
    html_captions: list[tuple[int, int]] = field(default_factory=list)
    sidecar: Sidecar | None = None
    sidecar_hash: str | None = None  # SHA-256 of the sidecar's bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def is_document(path: Path) -> bool:
    """True for files the builder reads (by suffix).

    >>> is_document(Path("a.txt")), is_document(Path("a.meta.yaml"))
    (True, False)
    """
    return path.suffix.lower() in FORMAT_BY_SUFFIX


def display_path(path: Path) -> str:
    """The path as recorded in the graph: relative to the working directory when inside it.

    >>> display_path(Path.cwd() / "a" / "b.txt"), display_path(Path("/") / "c.txt")
    ('a/b.txt', '/c.txt')
    """
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd:
        return "."
    inside = cwd.rstrip(os.sep) + os.sep
    if absolute.startswith(inside):
        absolute = absolute[len(inside) :]
    return absolute.replace(os.sep, "/")


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read, decode and normalise one document file.

    Raises :class:`InputError` naming the file for anything that is not a
    readable text document.
    """
    name = display_path(path)
    data = _read_bytes(path, name, max_bytes)
    text, warnings = decode(data, name)
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text")
    document = RawDocument(path=name, text=text, format=fmt, warnings=warnings)
    if fmt == "html":
        page = html_to_text(text)
        document.text, document.html_meta, document.html_captions = (
            page.text,
            page.meta,
            page.captions,
        )
        if not page.text.strip():
            raise InputError(name, "HTML page has no visible text")
    sidecar_path = find_sidecar(path)
    if sidecar_path is not None:
        document.sidecar = read_sidecar(sidecar_path, display_path(sidecar_path))
        document.sidecar_hash = sidecar_digest(sidecar_path)
    return document


def sidecar_digest(path: Path | None) -> str | None:
    """SHA-256 of a sidecar file's bytes (None without one, or when it cannot be read)."""
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                name, f"file is {size:,} bytes, over the limit of {max_bytes:,} (see --max-bytes)"
            )
        return path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(name, "file not found (it may have been removed)") from error
    except IsADirectoryError as error:
        raise InputError(name, "is a directory, not a file") from error
    except OSError as error:
        raise InputError(name, f"cannot read file: {error.strerror or error}") from error


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode bytes to text with normalised newlines; reject what is not text.

    >>> decode(b"caf\\xc3\\xa9\\r\\n", "a.txt")
    ('café\\n', [])
    >>> decode(b"caf\\xe9\\n", "a.txt")[1]
    ['a.txt: not valid UTF-8 (offset 3); decoded as Windows-1252']
    """
    warnings: list[str] = []
    if not data:
        raise InputError(name, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, name)
    elif b"\x00" in data[:8192]:
        raise InputError(name, "binary file, not text", offset=data.index(b"\x00"))
    else:
        text, warning = _decode_utf8_or_legacy(data, name)
        warnings.extend(warning)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "file holds only whitespace")
    return text, warnings


def _decode_utf16(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise InputError(name, "invalid UTF-16", offset=error.start) from error


def _decode_utf8_or_legacy(data: bytes, name: str) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        offset = error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 1000):
        raise InputError(name, "binary file or invalid UTF-8", offset=offset)
    return text, [f"{name}: not valid UTF-8 (offset {offset}); decoded as Windows-1252"]
