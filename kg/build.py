"""Building the store from document files: incremental, in batches, each document
written whole (``kg.write``)."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, KgError
from .hashcache import HashCache, for_store, stat_key
from .ids import Iris
from .read import (
    DEFAULT_MAX_BYTES,
    FORMAT_BY_SUFFIX,
    display_path,
    is_document,
    read_document,
    sidecar_digest,
)
from .rules import document_rules, rules_fingerprint
from .sidecar import SUFFIX as SIDECAR_SUFFIX
from .sidecar import find_sidecar
from .store import DocumentIndex, KgStore, StoredDocument
from .write import (
    BuildSummary,
    Prepared,
    gather_new,
    prune_missing,
    stands_for,
    store_gathered,
    write_document,
)


def document_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Document files named directly or found under folders, sorted, each once.

    Symbolic links to folders are not followed, so a link loop cannot trap the walk.
    """
    seen: set[str] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found = _walk(path)
        elif path.exists() or path.is_symlink():
            found = [path]
        else:
            raise InputError(str(path), "no such file or folder")
        for file in found:
            key = display_path(file)
            if key not in seen:
                seen.add(key)
                yield file


def _walk(folder: Path) -> list[Path]:
    """The document files under ``folder``, hidden ones left out, in path order (sorted
    on their path components as strings). Names are judged and sorted as strings, and a
    ``Path`` made only of each document found: pathlib's work per name was most of a
    walk of 10,000 files, which a watch makes every round."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and is_document_name(name):
                found.append(os.path.join(root, name))
    found.sort(key=_path_order)
    return [Path(path) for path in found]


def _path_order(path: str) -> str:
    """A key that sorts paths as their lists of components would sort, at the cost of
    one string: NUL, which no name holds, sorts before every character a name can hold.

    >>> sorted(["a-b/c.txt", "a/b.txt", "a/b/c.txt"], key=_path_order)
    ['a/b/c.txt', 'a/b.txt', 'a-b/c.txt']
    """
    return path.replace(os.sep, "\0")


def is_document_name(name: str) -> bool:
    """``kg.read.is_document`` of a file name, without making a ``Path`` of it.

    >>> is_document_name("a.HTML"), is_document_name("a.txt.meta.yaml"), is_document_name("a.")
    (True, False, False)
    """
    dot = name.rfind(".")  # where ``Path.suffix`` begins
    return 0 < dot < len(name) - 1 and name[dot:].lower() in FORMAT_BY_SUFFIX


DEFAULT_BATCH = 16  # documents read and extracted at a time
OPTIMIZE_MIN_DOCUMENTS = 50  # a build writing fewer leaves a store that reads fast enough
FLUSH_EVERY = 64  # documents written between flushes of the store's write buffers


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


# Python's cycle collector, at its default thresholds, scans every tracked object
# (the document index, the shared copies written, spaCy's tables) again each time
# some tens of thousands of objects have been made, and a build makes millions: a
# sixth of a build of 1,000 articles went to it (57.2 against 48.2 s). Extraction
# makes almost no reference cycles, so during a build it runs far less often.
BUILD_GC_THRESHOLDS = (50_000, 20, 100)


_collections_lock = threading.Lock()
_collections = {"open": 0, "before": gc.get_threshold()}  # blocks open; thresholds then


@contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = BUILD_GC_THRESHOLDS):
    """Run the cycle collector at ``thresholds`` inside the block, as before after it.
    The thresholds belong to the process: blocks that overlap (builds in several
    threads) share them, and the last one out restores what the first one found."""
    with _collections_lock:
        if _collections["open"] == 0:
            _collections["before"] = gc.get_threshold()
            gc.set_threshold(*thresholds)
        _collections["open"] += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections["open"] -= 1
            if _collections["open"] == 0:
                gc.set_threshold(*_collections["before"])


@fewer_collections()
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
    hashes: HashCache | None = None,
) -> BuildSummary:
    """Extract every document under ``paths`` into ``store``; skip unchanged ones.

    Files are read and extracted ``batch`` at a time (in ``jobs`` worker processes
    when more than one); while one batch is written, in a thread of its own, the next is
    extracted, and no other is read, so memory does not grow with the corpus. Documents
    are written in the order of the files: a changed one in its own transaction, the new
    ones of a batch together in one atomic ingestion (``KgStore.insert_new_graphs``).
    ``stored``, the store's document index from an earlier build by this process (the
    store's only writer), saves reading it again; it is kept up to date. So does
    ``hashes``, the store's cache of file hashes (``kg.hashcache.for_store``).
    """
    if prune and shard is not None:
        raise KgError("--prune cannot be combined with --shard (a shard sees only its files)")
    began = time.perf_counter()
    summary = BuildSummary()
    files = [f for f in document_files(paths) if in_shard(f, shard)]
    store.ensure_ontology()
    stored = store.documents() if stored is None else stored
    stored_before = len(stored)
    options = build_options(store, stored, max_bytes=max_bytes, model=model, link=link)
    hashes = for_store(store) if hashes is None else hashes

    unflushed = 0
    shared_written: set[bytes] = set()  # shared copies stored by this build's ingestions

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
            write_document(store, prepared, stored, summary)
            finished(prepared)
        store_gathered(store, stored, gathered, summary, finished, shared_written)
        unflushed += sum(p.quads is not None for p in prepared_batch)
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
                    written = None
                if any(p.quads is not None for p in prepared_batch):
                    written = writer.submit(write_batch, prepared_batch)
                else:  # nothing extracted, little to write: not worth a hand-over
                    write_batch(prepared_batch)
            if written is not None:
                written.result()
        except KeyboardInterrupt:
            stopping.set()
            raise
    if prune:
        summary.pruned = prune_missing(store, stored)
    store.flush()
    hashes.save()
    if worth_optimizing(summary.added + summary.updated, stored_before):
        compacting = time.perf_counter()
        store.optimize()
        summary.compacted_seconds = time.perf_counter() - compacting
    summary.seconds = time.perf_counter() - began
    return summary


def worth_optimizing(written: int, stored_before: int) -> bool:
    """Whether a build that wrote ``written`` documents into a store holding
    ``stored_before`` compacts the store when it is done (``KgStore.optimize``): when it
    wrote at least ``OPTIMIZE_MIN_DOCUMENTS`` and at least doubled the store. Compaction
    rewrites the whole store (about 7 ms a stored document, against about 50 ms to build
    one), so it adds at most about 30% to such a build (10% to a first build), and what
    follows reads up to five times faster; ``kg optimize`` compacts at any time.

    >>> worth_optimizing(1000, 0), worth_optimizing(600, 500), worth_optimizing(400, 500)
    (True, True, False)
    >>> worth_optimizing(1, 0), worth_optimizing(1, 1000)
    (False, False)
    """
    return written >= max(OPTIMIZE_MIN_DOCUMENTS, stored_before)


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
    sidecars = SidecarFinder()  # one listing of each folder for the whole pass
    chunks = [files[start : start + batch] for start in range(0, len(files), batch)]
    if jobs <= 1:
        for chunk in chunks:
            yield [unchanged(f, options, hashes, sidecars) or prepare(f, options) for f in chunk]
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with context.Pool(jobs) as pool:

        def submit(chunk: list[Path]):
            found = [unchanged(f, options, hashes, sidecars) for f in chunk]
            work = [(f, options) for f, hit in zip(chunk, found, strict=True) if hit is None]
            size = max(1, batch // (jobs * 4))
            return found, pool.starmap_async(prepare, work, chunksize=size)

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


class SidecarFinder:
    """``find_sidecar`` for many documents: each folder is listed once, when first asked
    about, and a document whose folder holds no name its sidecar could have is answered
    from that listing, without the two ``stat`` calls ``find_sidecar`` makes (a third of
    a rebuild of 10,000 unchanged files). It sees folders as they were when listed: make
    one per pass over the files."""

    def __init__(self) -> None:
        self._stems: dict[str, frozenset[str] | None] = {}

    def __call__(self, document: Path) -> Path | None:
        stems = self._sidecar_stems(os.path.dirname(os.fspath(document)) or os.curdir)
        if stems is not None and not (
            stems and {_loose(document.stem), _loose(document.name)} & stems
        ):
            return None
        return find_sidecar(document)

    def _sidecar_stems(self, folder: str) -> frozenset[str] | None:
        """What the names ending in the sidecar suffix start with, compared loosely
        (None: the folder cannot be listed)."""
        if folder not in self._stems:
            try:
                names = os.listdir(folder)
            except OSError:
                self._stems[folder] = None
            else:
                loose = map(_loose, names)
                cut = len(SIDECAR_SUFFIX)
                found = (n[:-cut] for n in loose if n.endswith(SIDECAR_SUFFIX))
                self._stems[folder] = frozenset(found)
        return self._stems[folder]


def _loose(name: str) -> str:
    """A name folded as a case- or normalisation-blind file system would see it, so the
    listing only ever rules out a sidecar that ``find_sidecar`` would not find either."""
    return unicodedata.normalize("NFC", name).casefold()


def unchanged(
    file: Path,
    options: _Options,
    hashes: HashCache,
    sidecars: Callable[[Path], Path | None] = find_sidecar,
) -> Prepared | None:
    """The file as a skipped document, without reading it, when its size, time and inode
    match a cached hash whose document is stored with the current rules."""
    key = stat_key(file)
    name = display_path(file)
    content_hash = hashes.get(name, key)
    if content_hash is None or key[0] > options.max_bytes:
        return None
    if not options.is_current(content_hash[:16], name, sidecar_digest(sidecars(file))):
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
        from .rdfmap import document_nquads

        extraction = extract_document(raw, model=options.model, link=options.link)
    except InputError as error:
        return Prepared(name, error=str(error))
    prepared.warnings = extraction.warnings
    prepared.rules = extraction.rules
    prepared.quads = document_nquads(extraction, Iris(options.base))  # as the store takes them
    return prepared
