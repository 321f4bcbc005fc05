"""The shared graph: what several documents say about the same node, kept once.

Each document graph describes the actors and questions it names (their types,
labels, Wikidata matches), so that one document's graph stands on its own. Over
the union of all graphs that makes the United States' label come back once per
document that names it, and a query joining labels grows with the square of the
corpus. The store therefore also keeps the graph ``<base>graph/shared``: the
set of those descriptions, each triple once, maintained as documents are written
and removed. Saved queries read labels and types there (``GRAPH graph:shared``).

A triple belongs to it when it is in a document graph, its subject is an IRI outside
the documents' own namespace (``<base>doc/``) and it describes the node rather than
which extraction run wrote it (any predicate but ``pk:generatedBy``).
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad

from .ids import Iris
from .namespaces import PK
from .resources import internal_query

GENERATED_BY = PK + "generatedBy"


def is_shared(quad: Quad, iris: Iris) -> bool:
    """Whether a document graph's quad describes a node other documents can name."""
    graph = quad.graph_name
    return (
        isinstance(graph, NamedNode)
        and graph.value.startswith(iris.named_graph("doc/"))
        and isinstance(quad.subject, NamedNode)
        and not quad.subject.value.startswith(iris.base + "doc/")
        and quad.predicate.value != GENERATED_BY
    )


def shared_quads(quads: Iterable[Quad], iris: Iris) -> list[Quad]:
    """The shared-graph copies of the quads that describe shared nodes."""
    graph = NamedNode(iris.shared_graph)
    return [Quad(q.subject, q.predicate, q.object, graph) for q in quads if is_shared(q, iris)]


def shared_lines(data: bytes, iris: Iris) -> list[bytes]:
    """``shared_quads`` read off N-Quads text (as ``pyoxigraph.serialize`` writes it: one
    quad a line, terms one space apart, no triple terms): the copies' lines, without line
    ends. It spares a build making a Python object of each term of a document it only
    passes on.
    """
    local = b"<" + (iris.base + "doc/").encode()
    documents = b"<" + iris.named_graph("doc/").encode()
    generated = b"<" + GENERATED_BY.encode() + b">"
    shared = b" <" + iris.shared_graph.encode() + b"> ."
    copies = []
    for line in data.splitlines():
        if not line.startswith(b"<") or line.startswith(local):
            continue  # a blank node's or a document's own node
        predicate = line.index(b" ") + 1  # IRIs hold no spaces
        if line.startswith(generated, predicate):
            continue
        graph = _graph_start(line, line.index(b" ", predicate) + 1)
        if graph is not None and line.startswith(documents, graph):
            copies.append(line[: graph - 1] + shared)
    return copies


def _graph_start(line: bytes, obj: int) -> int | None:
    """Where the graph name of an N-Quads line begins (None: in the default graph), given
    where its object begins. A literal ends at the line's last quote, as neither a graph
    name nor a datatype IRI nor a language tag holds one."""
    if line.startswith(b'"', obj):
        obj = line.rindex(b'"')
    end = line.index(b" ", obj)  # the object's end
    return None if end == len(line) - 2 else end + 1


def prune_update(iris: Iris, candidates: Iterable[Quad] | None = None) -> str:
    """A SPARQL update that removes from the shared graph those of ``candidates`` (or of
    all its triples) that no document graph holds any more ("" for no candidates)."""
    values = ""
    if candidates is not None:
        rows = sorted({f"({q.subject} {q.predicate} {q.object})" for q in candidates})
        if not rows:
            return ""
        values = "VALUES (?s ?p ?o) {\n    " + "\n    ".join(rows) + "\n  }"
    return (
        internal_query("shared_prune")
        .replace("SHARED", f"<{iris.shared_graph}>")
        .replace("DOC_GRAPHS", iris.named_graph("doc/"))
        .replace("CANDIDATES", values)
    )


def rebuild_update(iris: Iris) -> str:
    """A SPARQL update that derives the whole shared graph from the document graphs."""
    return (
        internal_query("shared_rebuild")
        .replace("SHARED", f"<{iris.shared_graph}>")
        .replace("DOC_GRAPHS", iris.named_graph("doc/"))
        .replace("DOCS", iris.base + "doc/")
    )


def is_missing(store) -> bool:
    """Whether a store holds documents but no shared graph (written before it existed)."""
    return bool(
        store.query(
            "ASK { ?document a pk:Document . "
            "FILTER NOT EXISTS { GRAPH graph:shared { ?s ?p ?o } } }"
        )
    )
