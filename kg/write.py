"""Writing prepared documents into the store, each document whole.

A changed document is replaced in one transaction; the new documents of a batch are
written together in one atomic ingestion (``KgStore.insert_new_graphs``). Either way a
crash leaves every document with its complete old graph or its complete new one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from .model import Extraction
from .namespaces import PK
from .store import INGEST_MAX_QUADS, DocumentIndex, KgStore, StoredDocument


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
    compacted_seconds: float | None = None  # of ``seconds``, compacting the store at the end

    @property
    def total(self) -> int:
        return self.added + self.updated + self.skipped + self.failed

    def line(self) -> str:
        """One-line summary.

        >>> BuildSummary(added=2, skipped=1).line()
        '3 documents: 2 added, 0 updated, 1 skipped, 0 failed (0.0 s)'
        >>> BuildSummary(added=900, seconds=52.0, compacted_seconds=6.3).line()
        '900 documents: 900 added, 0 updated, 0 skipped, 0 failed (52.0 s; compacted in 6.3 s)'
        """
        line = (
            f"{self.total} documents: {self.added} added, {self.updated} updated, "
            f"{self.skipped} skipped, {self.failed} failed"
        )
        if self.pruned:
            line += f", {self.pruned} pruned"
        if self.compacted_seconds is None:
            return line + f" ({self.seconds:.1f} s)"
        return line + f" ({self.seconds:.1f} s; compacted in {self.compacted_seconds:.1f} s)"


@dataclass
class Prepared:
    """One file read (and, unless its content is stored already, extracted and mapped)."""

    file: str
    doc_id: str = ""
    content_hash: str = ""
    quads: list[Quad] | bytes | None = None  # N-Quads text as a build extracts them
    rules: str = ""  # the rules fingerprint of its extraction, when extracted
    stat: list[int] | None = None  # size, mtime and inode, taken before the file was read
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def stands_for(stored_rules: str, first: str, file: str, rules: str) -> bool:
    """Whether a document stored with ``stored_rules`` under the first name ``first``
    needs no new extraction for ``file`` read with ``rules``: the same rules, or the same
    rules but another sidecar, belonging to a name that is not the first.

    >>> stands_for("r1+sidecar-a", "a.txt", "b.txt", "r1+sidecar-b")
    True
    >>> stands_for("r1+sidecar-a", "a.txt", "a.txt", "r1+sidecar-b")
    False
    """
    if stored_rules == rules:
        return True
    return stored_rules.split("+")[0] == rules.split("+")[0] and first < file


def gather_new(
    store: KgStore, prepared: Prepared, stored: DocumentIndex, gathered: list[Prepared]
) -> bool:
    """Take into ``gathered`` a document whose graph is new to the store (no version of it
    stored, no other document read from its file, no graph of its name), recording it
    in ``stored`` at once; False, taking nothing, for any other document."""
    if prepared.error is not None or prepared.quads is None or not isinstance(store, KgStore):
        return False  # a remote store (kg.remote) takes each document in requests of its own
    iri = store.iris.document(prepared.doc_id)
    graph = store.iris.graph(prepared.doc_id)
    if iri in stored or stored.holders(prepared.file) or store.has_graph(graph):
        return False
    if sum(_size(p.quads) for p in gathered) + _size(prepared.quads) > INGEST_MAX_QUADS:
        return False
    stored[iri] = StoredDocument(
        iri, graph, prepared.content_hash, [prepared.file], rules=prepared.rules
    )
    gathered.append(prepared)
    return True


def store_gathered(
    store: KgStore,
    stored: DocumentIndex,
    gathered: list[Prepared],
    summary: BuildSummary,
    finished: Callable[[Prepared], None],
    shared_written: set[bytes],
) -> None:
    """Write the gathered new documents in one atomic ingestion, then empty the list.
    Documents extracted by workers come as N-Quads text and go in as text."""
    if not gathered:
        return
    try:
        store.insert_new_graphs(_text(gathered), shared_written)
    except BaseException:  # none of them was written: the index must not list them
        for prepared in gathered:
            stored.pop(store.iris.document(prepared.doc_id), None)
        raise
    for prepared in gathered:
        summary.added += 1
        summary.warnings.extend(prepared.warnings)
        finished(prepared)
    gathered.clear()


def _size(quads: list[Quad] | bytes | None) -> int:
    """The number of quads, also of N-Quads bytes (one per line)."""
    if isinstance(quads, bytes):
        return quads.count(b"\n")
    return len(quads or [])


def write_document(
    store: KgStore, prepared: Prepared, stored: DocumentIndex, summary: BuildSummary
) -> None:
    """Write one prepared document on its own (or count its error) into ``summary``."""
    if prepared.error is not None:
        summary.failed += 1
        summary.errors.append(prepared.error)
        return
    summary.warnings.extend(prepared.warnings)
    outcome = write_prepared(store, prepared, stored)
    setattr(summary, outcome, getattr(summary, outcome) + 1)


def write_extraction(
    store: KgStore, extraction: Extraction, stored: dict[str, StoredDocument]
) -> str:
    """Write one extracted document; return ``"added"``, ``"updated"`` or ``"skipped"``."""
    from .rdfmap import document_quads

    if not isinstance(stored, DocumentIndex):
        stored = DocumentIndex(stored)
    prepared = Prepared(
        extraction.file,
        extraction.doc_id,
        extraction.content_hash,
        document_quads(extraction, store.iris),
        rules=extraction.rules,
    )
    return write_prepared(store, prepared, stored)


def write_prepared(store: KgStore, prepared: Prepared, stored: DocumentIndex) -> str:
    """Write one document; return ``"added"``, ``"updated"`` or ``"skipped"``.

    ``stored`` (the store's document index) is kept up to date.
    """
    iri = store.iris.document(prepared.doc_id)
    file = prepared.file
    previous = [d for d in stored.holders(file) if d.iri != iri]
    rules = prepared.rules
    stale = (
        iri in stored
        and prepared.quads is not None
        and not stands_for(stored[iri].rules, min(stored[iri].files, default=""), file, rules)
    )
    if iri in stored and not previous and not stale:
        if file not in stored[iri].files:
            _record_file_name(store, stored[iri], file)
            stored.note(file, iri)
        return "skipped"
    others: list[str] = []
    if stale:  # extracted again with new rules; its other file names stay recorded
        old = stored.pop(iri)
        others = [name for name in old.files if name != file]
        prepared.quads = _quads(prepared.quads) + [_file_quad(old, name) for name in others]
    drop, detach = [], []
    for old in previous:
        (drop if old.files == [file] else detach).append(old)
    for old in detach:
        _forget_file_name(store, old, file)
    if iri in stored:  # the file now holds an article stored already
        _record_file_name(store, stored[iri], file, drop=[d.graph for d in drop])
        stored.note(file, iri)
    else:
        graph = store.iris.graph(prepared.doc_id)  # replaced whole, should a write have failed
        store.replace_graphs([graph, *(d.graph for d in drop)], _quads(prepared.quads))
        files = sorted([file, *others])
        stored[iri] = StoredDocument(iri, graph, prepared.content_hash, files, rules=rules)
    for old in drop:
        stored.pop(old.iri, None)
    return "updated" if previous or stale else "added"


def _text(gathered: list[Prepared]) -> bytes:
    """The N-Quads text of the gathered documents' quads, each document's as it came or
    as it is serialised."""
    return b"".join(
        p.quads if isinstance(p.quads, bytes) else serialize(p.quads, format=RdfFormat.N_QUADS)
        for p in gathered
    )


def _quads(quads: list[Quad] | bytes | None) -> list[Quad]:
    if isinstance(quads, bytes):
        return list(parse(quads, format=RdfFormat.N_QUADS))
    return quads or []


def _file_quad(doc: StoredDocument, file: str) -> Quad:
    return Quad(
        NamedNode(doc.iri), NamedNode(PK + "sourceFile"), Literal(file), NamedNode(doc.graph)
    )


def _record_file_name(
    store: KgStore, doc: StoredDocument, file: str, drop: list[str] | None = None
) -> None:
    """Record ``file`` as a name of ``doc``, dropping the graphs in ``drop`` (what the
    file held before) in the same transaction."""
    store.replace_graphs(drop or [], [_file_quad(doc, file)])
    doc.files = sorted({*doc.files, file})


def _forget_file_name(store: KgStore, doc: StoredDocument, file: str) -> None:
    store.remove_quads([_file_quad(doc, file)])
    doc.files = [f for f in doc.files if f != file]


def prune_missing(store: KgStore, stored: DocumentIndex | None = None) -> int:
    """Remove documents none of whose files exist any more; return how many. ``stored``,
    when given, is the store's document index, and loses them too."""
    stored = store.documents() if stored is None else stored
    gone = [d for d in stored.values() if not any(Path(f).exists() for f in d.files)]
    if gone:
        store.replace_graphs([d.graph for d in gone])
    for doc in gone:
        stored.pop(doc.iri)
    return len(gone)
