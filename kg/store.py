"""The persistent store: an on-disk Oxigraph dataset with one named graph per document.

Every write of a document is one SPARQL update, which Oxigraph applies as one
transaction: a crash leaves either the old or the new graph, never half.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    CanonicalizationAlgorithm,
    Dataset,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    parse,
    serialize,
)

from .errors import KgError
from .hashcache import SETTLE_NS, stat_key
from .ids import Iris
from .namespaces import DEFAULT_BASE, PREFIXES
from .resources import internal_query, ontology_file, resource_dir
from .shared import is_shared, prune_update, rebuild_update, shared_lines, shared_quads

DEFAULT_STORE = ".kg"
# Oxigraph's bulk writer ingests up to a million quads as one batch; more would be
# split into several ingestions, so callers stay well under that.
INGEST_MAX_QUADS = 400_000


@dataclass
class StoredDocument:
    iri: str
    graph: str
    content_hash: str
    files: list[str] = field(default_factory=list)
    rules: str = ""  # fingerprint of the rules its extraction used


class DocumentIndex(dict):
    """Stored documents keyed by IRI, which also finds the documents a file name was read
    into without looking at every document.

    >>> index = DocumentIndex()
    >>> index["d1"] = StoredDocument("d1", "g1", "h1", ["a.txt"])
    >>> [d.iri for d in index.holders("a.txt")], index.holders("b.txt")
    (['d1'], [])
    >>> index["d1"].files = ["b.txt"]; index.note("b.txt", "d1")
    >>> index.holders("a.txt"), [d.iri for d in index.holders("b.txt")]
    ([], ['d1'])
    """

    def __init__(self, *args, **kwargs):
        self._by_file: dict[str, set[str]] = {}
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, iri: str, doc: StoredDocument) -> None:
        super().__setitem__(iri, doc)
        for file in doc.files:
            self.note(file, iri)

    def update(self, *args, **kwargs) -> None:
        for iri, doc in dict(*args, **kwargs).items():
            self[iri] = doc

    def note(self, file: str, iri: str) -> None:
        """Record that document ``iri`` now also lists ``file``."""
        self._by_file.setdefault(file, set()).add(iri)

    def holders(self, file: str) -> list[StoredDocument]:
        """The documents that list ``file`` (entries gone stale are passed over)."""
        iris = sorted(self._by_file.get(file, ()))
        return [self[i] for i in iris if i in self and file in self[i].files]


def stored_documents(store) -> DocumentIndex:
    """The documents of any store (on disk or remote) keyed by IRI, with their files."""
    hashes: dict[str, tuple[str, str]] = {}  # graph -> (document, hash)
    files: dict[tuple[str, str], list[str]] = {}  # (graph, document) -> files
    rules: dict[str, str] = {}  # graph -> rules fingerprint
    for graph, document, hash_, file, fingerprint in store.query(internal_query("documents")):
        if hash_ is not None:
            hashes[graph.value] = (document.value, hash_.value)
        elif file is not None:
            files.setdefault((graph.value, document.value), []).append(file.value)
        else:
            rules[graph.value] = fingerprint.value
    found = DocumentIndex()
    for graph, (iri, hash_) in hashes.items():
        found[iri] = StoredDocument(
            iri, graph, hash_, sorted(files.get((graph, iri), ())), rules.get(graph, "")
        )
    return found


def context_graphs(store) -> set[str]:
    """The named graphs of the whole store rather than of a document: the ontology, the
    reference data and any enrichment (a local or a remote store)."""
    return {store.ontology_graph, store.reference_graph, store.iris.named_graph("enrichment")}


def default_store_path() -> str:
    return os.environ.get("KG_STORE", DEFAULT_STORE)


class KgStore:
    """A policy-kg store on disk (or in memory when ``path`` is ``None``)."""

    def __init__(
        self,
        path: str | os.PathLike | None = DEFAULT_STORE,
        *,
        base: str = DEFAULT_BASE,
        read_only: bool = False,
    ):
        self.path = path
        self.iris = Iris(base)
        self._matched: dict[str, list[int] | None] = {}  # graph -> stat of the file it equals
        try:
            if path is None:
                self.oxigraph = Store()
            elif read_only:
                if not Path(path).exists():
                    raise KgError(f"{path}: no store here (run `kg build` first)")
                self.oxigraph = _open_read_only(str(path))
            else:
                self.oxigraph = Store(str(path))
        except OSError as error:
            if "lock" in str(error).lower():
                raise KgError(
                    f"{path}: the store is in use by another process (a build running?); "
                    "try again when it is done"
                ) from error
            raise KgError(f"{path}: cannot open store: {error}") from error

    @property
    def ontology_graph(self) -> str:
        return self.iris.named_graph("ontology")

    def query(
        self,
        sparql: str,
        *,
        named_graphs: Iterable[str] | None = None,
        default_graphs: Iterable[str] | None = None,
        **options,
    ):
        """Run a read query with the standard prefixes over the union of all graphs or,
        given ``default_graphs``, over the merge of those; ``named_graphs`` limits what
        ``GRAPH`` reaches."""
        if named_graphs is not None:
            options["named_graphs"] = [NamedNode(g) for g in named_graphs]
        if default_graphs is not None:
            options["default_graph"] = [NamedNode(g) for g in default_graphs]
        elif named_graphs is None:
            options["use_default_graph_as_union"] = True
        return self.oxigraph.query(sparql, prefixes={**PREFIXES, **self.iris.prefixes}, **options)

    @property
    def folder(self) -> Path | None:
        """The store's folder on disk; None in memory."""
        return None if self.path is None else Path(self.path)

    def update(self, sparql: str) -> None:
        """Run a SPARQL update (one transaction), with the standard prefixes."""
        self._matched.clear()  # it may have changed any graph
        prefixes = {**PREFIXES, **self.iris.prefixes}
        prologue = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items())
        self.oxigraph.update(f"{prologue}\n{sparql}")

    def quads(self, graph: str | None = None, predicate: str | None = None) -> Iterable[Quad]:
        """Every quad of the store, or of one graph, optionally with one predicate."""
        return self.oxigraph.quads_for_pattern(
            None,
            NamedNode(predicate) if predicate else None,
            None,
            NamedNode(graph) if graph else None,
        )

    def quad_count(self) -> int:
        return len(self.oxigraph)

    def documents(self) -> DocumentIndex:
        """Stored documents keyed by IRI."""
        return stored_documents(self)

    def replace_graphs(self, drop: Iterable[str], quads: Iterable[Quad] = ()) -> None:
        """Drop graphs and insert quads in a single transaction, keeping the shared graph
        (``kg.shared``) in step."""
        quads = list(quads)
        copies = shared_quads(quads, self.iris)
        drop = set(drop)
        for graph in drop & self._matched.keys():
            del self._matched[graph]
        present = [g for g in sorted(drop) if self.has_graph(g)]
        if not present:  # the common case, a new document: one native, atomic insert
            self.oxigraph.extend(quads + copies)
            return
        # Shared triples the dropped graphs held may now be held by none: check those,
        # except the ones the new quads hold again (a document extracted anew holds
        # nearly all of them), which saves a fifth of replacing a document at N = 10,000.
        held = {(c.subject, c.predicate, c.object) for c in copies}
        dropped = [
            q
            for g in present
            for q in self.quads(g)
            if is_shared(q, self.iris) and (q.subject, q.predicate, q.object) not in held
        ]
        statements = [f"DROP SILENT GRAPH <{graph}>" for graph in present]
        statements += [insert_data(quads + copies), prune_update(self.iris, dropped)]
        self.oxigraph.update(" ;\n".join(s for s in statements if s))

    def ensure_shared(self) -> bool:
        """Derive the shared graph when documents are stored without it (a store written
        before it existed); True when it was derived."""
        shared = NamedNode(self.iris.shared_graph)
        if next(iter(self.oxigraph.quads_for_pattern(None, None, None, shared)), None):
            return False
        if not self.documents():
            return False
        self.update(rebuild_update(self.iris))
        return True

    def insert_new_graphs(
        self, quads: Iterable[Quad] | bytes, written: set[bytes] | None = None
    ) -> None:
        """Insert the quads of graphs the store does not hold yet (and their shared-graph
        copies) in one atomic ingestion: all of them land, or none does.

        Oxigraph's bulk writer sorts the quads into one new file per index and RocksDB
        ingests the files of all indexes in one step; on disk that costs a third of the
        CPU of a transaction (``python -m bench.writes``). The quads must fit one bulk
        batch (``INGEST_MAX_QUADS``), which is what keeps the ingestion a single one.
        ``quads`` may be N-Quads text, as build workers hand documents over: it is then
        written without a Python object made of any of its terms.

        ``written``, the N-Quads lines of shared-graph copies an earlier call stored, are
        not stored again (most documents name actors others named before); the new ones
        are added to it. It is only true while nothing is removed from the store in between.
        """
        objects = None if isinstance(quads, bytes) else list(quads)
        data = quads if objects is None else serialize(objects, format=RdfFormat.N_QUADS)
        if (count := data.count(b"\n")) > INGEST_MAX_QUADS:
            raise ValueError(f"{count} quads are more than one ingestion takes")
        if b"_:" in data or b"<<" in data:  # blank nodes (a parse renames them) or
            # triple terms (``shared_lines`` reads plain terms only): written as objects
            objects = list(parse(data, format=RdfFormat.N_QUADS)) if objects is None else objects
            self.oxigraph.bulk_extend(objects + shared_quads(objects, self.iris))
            return
        written = set() if written is None else written
        copies = [c for c in dict.fromkeys(shared_lines(data, self.iris)) if c not in written]
        if data:
            ingest(self.oxigraph, data + b"".join(copy + b"\n" for copy in copies))
            written.update(copies)

    def has_graph(self, graph: str) -> bool:
        return self.oxigraph.contains_named_graph(NamedNode(graph)) or any(
            True for _ in self.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph))
        )

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Insert quads (and their shared-graph copies) in one transaction."""
        quads = list(quads)
        self._matched.clear()  # they may be in any graph
        data = insert_data(quads + shared_quads(quads, self.iris))
        if data:
            self.oxigraph.update(data)

    def remove_quads(self, quads: Iterable[Quad]) -> None:
        """Delete quads in one transaction; shared copies no document holds any more go too."""
        quads = list(quads)
        self._matched.clear()  # they may be in any graph
        lines = [quad_line(q) for q in quads]
        if lines:
            removal = "DELETE DATA {\n" + "\n".join(lines) + "\n}"
            prune = prune_update(self.iris, [q for q in quads if is_shared(q, self.iris)])
            self.oxigraph.update(" ;\n".join(s for s in (removal, prune) if s))

    @property
    def reference_graph(self) -> str:
        return self.iris.named_graph("reference")

    def ensure_ontology(self) -> bool:
        """Load (or refresh) the ontology's and the reference's named graphs; True when changed."""
        reference = resource_dir("reference") / "wikidata.ttl"
        changed = self._ensure_graph(self.reference_graph, reference)
        changed = self._ensure_graph(self.ontology_graph, ontology_file("policy-kg.ttl")) or changed
        return self.ensure_shared() or changed

    def _ensure_graph(self, name: str, path: Path) -> bool:
        """Make graph ``name`` hold the quads of ``path``. Only this process writes to a
        store it holds open, so once they are found equal the file is parsed again only
        when its size, time or inode changes (a watch checks at every round)."""
        key = stat_key(path)
        if key is not None and self._matched.get(name) == key:
            return False
        if key is not None and time.time_ns() - key[1] < SETTLE_NS:
            key = None  # written just now: it could change again within the same time stamp
        graph = NamedNode(name)
        wanted = set(canonical_quads(path, graph))
        present = set(self.oxigraph.quads_for_pattern(None, None, None, graph))
        changed = wanted != present
        if changed:
            self.oxigraph.remove_graph(graph)
            self.oxigraph.extend(sorted(wanted, key=str))
        if key is not None:
            self._matched[name] = key
        return changed

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs())

    def flush(self) -> None:
        if self.path is not None:
            self.oxigraph.flush()

    def optimize(self) -> None:
        """Compact the store on disk into as few files as its size needs.

        A build's ingestions each land as a file spanning the whole key range, and
        every read looks in each such file until RocksDB merges them, which it only
        does in the background of a process that writes. Compacted, the same store
        answers most queries 1.7 to 5 times faster (bench corpus, 1,000 articles). A
        full compaction rewrites the store: about 7 ms per stored document."""
        if self.path is not None:
            self.oxigraph.optimize()


def ingest(store: Store, data: bytes) -> None:
    """Write N-Quads text with Oxigraph's bulk writer, which parses and sorts it without
    holding the GIL, so a build's extraction goes on in the meantime (``Store.bulk_extend``
    reads Python objects and holds the GIL throughout). The terms were checked when they
    were made, so the parse is lenient. A parse gives blank nodes new ids: text holding
    one must not come here."""
    store.bulk_load(data, RdfFormat.N_QUADS, lenient=True)


def _open_read_only(path: str, attempts: int = 5) -> Store:
    """A read-only view of a store; a writer compacting files at that moment can make the
    open fail, so it is tried again before the store is called busy."""
    for attempt in range(attempts):
        try:
            return Store.read_only(path)
        except RuntimeError as error:
            if attempt == attempts - 1:
                raise KgError(
                    f"{path}: the store is busy (a build is writing to it); try again ({error})"
                ) from error
            time.sleep(0.1 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def canonical_quads(path: Path, graph: NamedNode) -> Dataset:
    """Quads of a Turtle file with blank nodes named canonically (RDFC-1.0), so reloads
    and exports give the same labels every time."""
    triples = parse(path=str(path), format=RdfFormat.TURTLE)
    dataset = Dataset(Quad(q.subject, q.predicate, q.object, graph) for q in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def quad_line(quad: Quad) -> str:
    return f"GRAPH <{quad.graph_name.value}> {{ {quad.subject} {quad.predicate} {quad.object} }}"


def insert_data(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name.value, []).append(
            f"{quad.subject} {quad.predicate} {quad.object} ."
        )
    if not by_graph:
        return ""
    blocks = [f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
