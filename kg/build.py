"""Building the store from document files: incremental, one transaction per document."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from .errors import InputError
from .model import Extraction
from .namespaces import PK
from .pipeline import extract_document
from .rdfmap import document_quads
from .read import DEFAULT_MAX_BYTES, display_path, is_document, read_document
from .store import KgStore, StoredDocument


@dataclass
class BuildSummary:
    """What one build did."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    pruned: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.skipped + self.failed

    def line(self) -> str:
        """One-line summary.

        >>> BuildSummary(added=2, skipped=1).line()
        '3 documents: 2 added, 0 updated, 1 skipped, 0 failed (0.0 s)'
        """
        line = (
            f"{self.total} documents: {self.added} added, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failed} failed"
        )
        if self.pruned:
            line += f", {self.pruned} pruned"
        return line + f" ({self.seconds:.1f} s)"


def document_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Document files named directly or found under folders, sorted, each once.

    Symbolic links to folders are not followed, so a link loop cannot trap the walk.
    """
    seen: set[str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(_walk(path))
        elif path.exists() or path.is_symlink():
            found = [path]
        else:
            raise InputError(str(path), "no such file or folder")
        for file in found:
            key = display_path(file)
            if key not in seen:
                seen.add(key)
                yield file


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            candidate = Path(root) / name
            if is_document(candidate) and not name.startswith("."):
                yield candidate


def build(
    paths: Iterable[str | os.PathLike],
    store: KgStore,
    *,
    prune: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_document: Callable[[str], None] | None = None,
    model: str | None = None,
    link: bool = True,
) -> BuildSummary:
    """Extract every document under ``paths`` into ``store``; skip unchanged ones."""
    began = time.perf_counter()
    summary = BuildSummary()
    files = list(document_files(paths))
    store.ensure_ontology()
    stored = store.documents()
    for file in files:
        _build_one(file, store, stored, summary, max_bytes, model, link)
        if on_document:
            on_document(display_path(file))
    if prune:
        summary.pruned = prune_missing(store)
    store.flush()
    summary.seconds = time.perf_counter() - began
    return summary


def _build_one(
    file: Path,
    store: KgStore,
    stored: dict[str, StoredDocument],
    summary: BuildSummary,
    max_bytes: int,
    model: str | None = None,
    link: bool = True,
) -> None:
    try:
        raw = read_document(file, max_bytes=max_bytes)
        if not is_document(file):
            raise InputError(
                raw.path, f"unsupported file type {file.suffix!r} (use .txt, .md or .html)"
            )
        extraction = extract_document(raw, model=model, link=link)
    except InputError as error:
        summary.failed += 1
        summary.errors.append(str(error))
        return
    summary.warnings.extend(extraction.warnings)
    outcome = write_extraction(store, extraction, stored)
    setattr(summary, outcome, getattr(summary, outcome) + 1)


def write_extraction(
    store: KgStore, extraction: Extraction, stored: dict[str, StoredDocument]
) -> str:
    """Write one document; return ``"added"``, ``"updated"`` or ``"skipped"``.

    ``stored`` (the store's document index) is kept up to date.
    """
    iri = store.iris.document(extraction.doc_id)
    previous = [d for d in stored.values() if extraction.file in d.files and d.iri != iri]
    if iri in stored and not previous:
        if extraction.file not in stored[iri].files:
            _record_file_name(store, stored[iri], extraction.file)
        return "skipped"
    drop, detach = [], []
    for old in previous:
        (drop if old.files == [extraction.file] else detach).append(old)
    for old in detach:
        _forget_file_name(store, old, extraction.file)
    if iri in stored:
        _record_file_name(store, stored[iri], extraction.file)
    else:
        graph = store.iris.graph(extraction.doc_id)  # replaced whole, should a write have failed
        store.replace_graphs(
            [graph, *(d.graph for d in drop)], document_quads(extraction, store.iris)
        )
        stored[iri] = StoredDocument(
            iri, store.iris.graph(extraction.doc_id), extraction.content_hash, [extraction.file]
        )
    for old in drop:
        stored.pop(old.iri, None)
    return "updated" if previous else "added"


def _file_quad(doc: StoredDocument, file: str) -> Quad:
    return Quad(
        NamedNode(doc.iri), NamedNode(PK + "sourceFile"), Literal(file), NamedNode(doc.graph)
    )


def _record_file_name(store: KgStore, doc: StoredDocument, file: str) -> None:
    store.add_quads([_file_quad(doc, file)])
    doc.files = sorted({*doc.files, file})


def _forget_file_name(store: KgStore, doc: StoredDocument, file: str) -> None:
    store.remove_quads([_file_quad(doc, file)])
    doc.files = [f for f in doc.files if f != file]


def prune_missing(store: KgStore) -> int:
    """Remove documents none of whose files exist any more; return how many."""
    gone = [d for d in store.documents().values() if not any(Path(f).exists() for f in d.files)]
    if gone:
        store.replace_graphs([d.graph for d in gone])
    return len(gone)
