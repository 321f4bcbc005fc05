"""Building the store from document files: incremental, each document written whole.

A changed document is replaced in one transaction; the new documents of a batch are
written together in one atomic ingestion. Either way a crash leaves every document
with its complete old graph or its complete new one, never half."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from .errors import InputError, KgError
from .hashcache import HashCache, for_store, stat_key
from .ids import Iris
from .model import Extraction
from .namespaces import PK
from .read import DEFAULT_MAX_BYTES, display_path, is_document, read_document, sidecar_digest
from .rules import document_rules, rules_fingerprint
from .sidecar import find_sidecar
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


DEFAULT_BATCH = 16  # documents read and extracted at a time
FLUSH_EVERY = 64  # documents written between flushes of the store's write buffers


@dataclass
class Prepared:
    """One file read (and, unless its content is stored already, extracted and mapped)."""

    file: str
    doc_id: str = ""
    content_hash: str = ""
    quads: list[Quad] | bytes | None = None  # N-Quads bytes when they crossed processes
    rules: str = ""  # the rules fingerprint of its extraction, when extracted
    stat: list[int] | None = None  # size, mtime and inode, taken before the file was read
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` as ``(K, N)`` with 1 <= K <= N.

    >>> parse_shard("2/3")
    (2, 3)
    """
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise KgError(f"--shard {text!r}: write it as K/N with 1 <= K <= N, e.g. 1/2")
    return int(match.group(1)), int(match.group(2))


def in_shard(file: Path, shard: tuple[int, int] | None) -> bool:
    """Whether ``file`` belongs to slice K of N: a stable hash of its recorded path, so
    every machine given the same K/N takes the same files whatever else it was given."""
    if shard is None:
        return True
    digest = hashlib.sha256(display_path(file).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shard[1] == shard[0] - 1


def build(
    paths: Iterable[str | os.PathLike],
    store: KgStore,
    *,
    prune: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_document: Callable[[str], None] | None = None,
    model: str | None = None,
    link: bool = True,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
    batch: int = DEFAULT_BATCH,
    stored: DocumentIndex | None = None,
) -> BuildSummary:
    """Extract every document under ``paths`` into ``store``; skip unchanged ones.

    Files are read and extracted ``batch`` at a time (in ``jobs`` worker processes
    when more than one); while one batch is written, in a thread of its own, the next is
    extracted, and no other is read, so memory does not grow with the corpus. Documents
    are written in the order of the files: a changed one in its own transaction, the new
    ones of a batch together in one atomic ingestion (``KgStore.insert_new_graphs``).
    ``stored``, the store's document index from an earlier build by this process (the
    store's only writer), saves reading it again; it is kept up to date.
    """
    if prune and shard is not None:
        raise KgError("--prune cannot be combined with --shard (a shard sees only its files)")
    began = time.perf_counter()
    summary = BuildSummary()
    files = [f for f in document_files(paths) if in_shard(f, shard)]
    store.ensure_ontology()
    stored = store.documents() if stored is None else stored
    options = build_options(store, stored, max_bytes=max_bytes, model=model, link=link)
    hashes = for_store(store)

    unflushed = 0
    shared_written: set[Quad] = set()  # shared copies stored by this build's ingestions

    def finished(prepared: Prepared) -> None:
        if prepared.error is None:
            hashes.put(prepared.file, prepared.stat, prepared.content_hash)
        if on_document:
            on_document(prepared.file)

    def write_batch(prepared_batch: list[Prepared]) -> None:
        nonlocal unflushed
        gathered: list[Prepared] = []  # new documents, stored together
        for prepared in prepared_batch:
            if stopping.is_set():
                break
            if gather_new(store, prepared, stored, gathered):
                continue
            store_gathered(store, stored, gathered, summary, finished, shared_written)
            shared_written.clear()  # a replacement can remove shared copies
            _write(store, prepared, stored, summary)
            finished(prepared)
        store_gathered(store, stored, gathered, summary, finished, shared_written)
        unflushed += len(prepared_batch)
        if unflushed >= FLUSH_EVERY:  # write buffers out now and then, so memory stays flat
            store.flush()
            unflushed = 0

    # One thread writes a batch while the next is read and extracted: the store's writes
    # release the GIL, so on two cores extraction and writing overlap. Two batches are
    # held, the one being written and the one being extracted (with --jobs, a third is
    # extracted ahead in the workers). A write's error surfaces when the next batch is
    # handed over. On Ctrl-C the writer stores what it has gathered and begins no other; on
    # any other error it finishes its batch.
    stopping = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
        written = None
        try:
            batches = prepared_batches(files, options, jobs=jobs, batch=batch, hashes=hashes)
            for prepared_batch in batches:
                if written is not None:
                    written.result()
                written = writer.submit(write_batch, prepared_batch)
            if written is not None:
                written.result()
        except KeyboardInterrupt:
            stopping.set()
            raise
    if prune:
        summary.pruned = prune_missing(store, stored)
    store.flush()
    hashes.save()
    summary.seconds = time.perf_counter() - began
    return summary


@dataclass(frozen=True)
class _Options:
    max_bytes: int
    model: str | None
    link: bool
    base: str
    rules: str  # the fingerprint of the rules and options of this build
    known: dict[str, tuple[str, str]]  # stored document id -> (its rules, its first file)

    def is_current(self, doc_id: str, file: str, sidecar_hash: str | None) -> bool:
        """Whether the stored document with this id stands for ``file`` as it is now:
        extracted with these rules and this file's sidecar. When one text is stored under
        several names, the sidecar of the first name (in sorted order) is the one read."""
        if doc_id not in self.known:
            return False
        stored_rules, first = self.known[doc_id]
        return stands_for(stored_rules, first, file, document_rules(self.rules, sidecar_hash))


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


def build_options(
    store: KgStore,
    stored: dict[str, StoredDocument] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model: str | None = None,
    link: bool = True,
) -> _Options:
    """What workers need to know: limits, pipeline options and, for each stored document,
    the rules it was extracted with and its first file name."""
    stored = store.documents() if stored is None else stored
    known = {
        iri.rsplit("/", 1)[-1]: (d.rules, min(d.files, default="")) for iri, d in stored.items()
    }
    current = rules_fingerprint(model, link)
    return _Options(max_bytes, model, link, store.iris.base, current, known)


def prepared_batches(
    files: list[Path],
    options: _Options,
    *,
    jobs: int = 1,
    batch: int = DEFAULT_BATCH,
    hashes: HashCache | None = None,
) -> Iterator[list[Prepared]]:
    """Each batch of files read and extracted. Serially a batch is read only once the one
    before it has been taken; with workers, at most the next batch is read ahead. Files
    whose cached hash names a document stored with the current rules are not read."""
    hashes = hashes if hashes is not None else HashCache(None)
    chunks = [files[start : start + batch] for start in range(0, len(files), batch)]
    if jobs <= 1:
        for chunk in chunks:
            yield [unchanged(f, options, hashes) or prepare(f, options) for f in chunk]
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(jobs) as pool:

        def submit(chunk: list[Path]):
            found = [unchanged(f, options, hashes) for f in chunk]
            work = [(f, options) for f, hit in zip(chunk, found, strict=True) if hit is None]
            size = max(1, batch // (jobs * 4))
            return found, pool.starmap_async(_prepare_in_worker, work, chunksize=size)

        def collect(submitted) -> list[Prepared]:
            found, pending = submitted
            extracted = iter(pending.get())
            return [hit if hit is not None else next(extracted) for hit in found]

        pending = submit(chunks[0]) if chunks else None
        for chunk in chunks[1:]:  # the workers extract the next batch while this one is written
            following = submit(chunk)
            yield collect(pending)
            pending = following
        if pending is not None:
            yield collect(pending)


def unchanged(file: Path, options: _Options, hashes: HashCache) -> Prepared | None:
    """The file as a skipped document, without reading it, when its size, time and inode
    match a cached hash whose document is stored with the current rules."""
    key = stat_key(file)
    name = display_path(file)
    content_hash = hashes.get(name, key)
    if content_hash is None or key[0] > options.max_bytes:
        return None
    if not options.is_current(content_hash[:16], name, sidecar_digest(find_sidecar(file))):
        return None
    return Prepared(name, content_hash[:16], content_hash, stat=key)


def prepare(file: Path, options: _Options) -> Prepared:
    """Read one file; extract and map it unless a document with its content is stored."""
    name = display_path(file)
    key = stat_key(file)
    try:
        raw = read_document(file, max_bytes=options.max_bytes)
        if not is_document(file):
            raise InputError(
                raw.path, f"unsupported file type {file.suffix!r} (use .txt, .md or .html)"
            )
        prepared = Prepared(raw.path, raw.content_hash[:16], raw.content_hash, stat=key)
        if options.is_current(prepared.doc_id, raw.path, raw.sidecar_hash):
            return prepared
        from .pipeline import extract_document  # loads spaCy: only when there is work
        from .rdfmap import document_quads

        extraction = extract_document(raw, model=options.model, link=options.link)
    except InputError as error:
        return Prepared(name, error=str(error))
    prepared.warnings = extraction.warnings
    prepared.rules = extraction.rules
    prepared.quads = document_quads(extraction, Iris(options.base))
    return prepared


def _prepare_in_worker(file: Path, options: _Options) -> Prepared:
    prepared = prepare(file, options)
    if isinstance(prepared.quads, list):  # pyoxigraph terms do not pickle; N-Quads do
        prepared.quads = serialize(prepared.quads, format=RdfFormat.N_QUADS)
    return prepared


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
    shared_written: set[Quad],
) -> None:
    """Write the gathered new documents in one atomic ingestion, then empty the list."""
    if not gathered:
        return
    quads = [quad for prepared in gathered for quad in _quads(prepared.quads)]
    try:
        store.insert_new_graphs(quads, shared_written)
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


def _write(
    store: KgStore, prepared: Prepared, stored: DocumentIndex, summary: BuildSummary
) -> None:
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
    if iri in stored:
        _record_file_name(store, stored[iri], file)
        stored.note(file, iri)
    else:
        graph = store.iris.graph(prepared.doc_id)  # replaced whole, should a write have failed
        store.replace_graphs([graph, *(d.graph for d in drop)], _quads(prepared.quads))
        files = sorted([file, *others])
        stored[iri] = StoredDocument(iri, graph, prepared.content_hash, files, rules=rules)
    for old in drop:
        stored.pop(old.iri, None)
    return "updated" if previous or stale else "added"


def _quads(quads: list[Quad] | bytes | None) -> list[Quad]:
    if isinstance(quads, bytes):
        return list(parse(quads, format=RdfFormat.N_QUADS))
    return quads or []


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
