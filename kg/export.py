"""Exports of the store in standard RDF syntaxes, byte-identical across runs.

Quads are sorted before they are written and blank nodes carry canonical
labels, so the same store always gives the same bytes. Files are written to a
temporary name and renamed, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Quad,
    RdfFormat,
    Triple,
    serialize,
)

from .errors import KgError
from .jsonld import compact, frame_documents
from .namespaces import PREFIXES
from .resources import ontology_file
from .store import KgStore

EXPORT_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "jsonld": None,  # compacted by pyld with ontology/context.jsonld
    "xml": RdfFormat.RDF_XML,
}
SUFFIX_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nq",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}
QUAD_FORMATS = {"trig", "nq"}


def format_for(output: str | None, fmt: str | None) -> str:
    """The export format: as given, else guessed from the output file's extension.

    >>> format_for("out/graph.jsonld", None)
    'jsonld'
    >>> format_for("-", None)
    'turtle'
    """
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise KgError(
                f"unknown export format {fmt!r} (choose from: {', '.join(EXPORT_FORMATS)})"
            )
        return fmt
    if output and output != "-":
        suffix = Path(output).suffix.lower()
        if suffix not in SUFFIX_FORMATS:
            raise KgError(
                f"{output}: cannot tell the format from {suffix or 'no extension'}; use --format"
            )
        return SUFFIX_FORMATS[suffix]
    return "turtle"


def graph_name(store: KgStore, name: str) -> str:
    """A graph IRI from what a user types: a full IRI, ``ontology``, or a document id."""
    if name.startswith(("http://", "https://")):
        document_prefix = store.iris.document("")
        return (
            store.iris.graph(name[len(document_prefix) :])
            if name.startswith(document_prefix)
            else name
        )
    if name in ("ontology", "reference"):
        return store.iris.named_graph(name)
    return store.iris.graph(name)


def sorted_quads(store: KgStore, graph: str | None = None) -> list[Quad]:
    if graph is not None:
        if graph not in store.graph_names():
            raise KgError(f"no graph {graph} in the store")
        found = store.quads(graph)
    else:
        found = store.quads()
    return sorted(
        canonical_blank_nodes(found),
        key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
    )


def canonical_blank_nodes(quads: Iterable[Quad]) -> list[Quad]:
    """The quads with blank nodes relabelled by RDFC-1.0, whatever labels the store gave them
    (a remote server picks its own). Only quads that touch a blank node take part, which is
    all canonicalization looks at.

    >>> from pyoxigraph import BlankNode, NamedNode
    >>> q = Quad(BlankNode("x9"), NamedNode("urn:p"), NamedNode("urn:o"), NamedNode("urn:g"))
    >>> canonical_blank_nodes([q])[0].subject.value.startswith("c14n")
    True
    """
    plain, blank = [], Dataset()
    for quad in quads:
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            blank.add(quad)
        else:
            plain.append(quad)
    if len(blank):
        blank.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return plain + list(blank)


def sorted_triples(quads: list[Quad]) -> list[Triple]:
    unique = {Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(unique, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


FRAMES = ("document",)


def export_bytes(
    store: KgStore, fmt: str, *, graph: str | None = None, frame: str | None = None
) -> bytes:
    """The store (or one graph) serialised in ``fmt``; ``frame="document"`` gives JSON-LD
    with one object per article and its claims nested (documents' graphs only)."""
    quads = sorted_quads(store, graph)
    if frame is not None:
        if frame not in FRAMES or fmt != "jsonld":
            raise KgError(f"--frame {frame}: only 'document', and only with JSON-LD")
        return _json_bytes(frame_documents(document_graphs(store, quads), context()))
    if fmt in QUAD_FORMATS:
        return serialize(quads, format=EXPORT_FORMATS[fmt], prefixes=_prefixes(store))
    triples = sorted_triples(quads)
    if fmt == "jsonld":
        return jsonld_bytes(triples)
    return serialize(triples, format=EXPORT_FORMATS[fmt], prefixes=_prefixes(store))


def _prefixes(store: KgStore) -> dict[str, str]:
    return {**PREFIXES, "id": store.iris.base}


@cache
def context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld`` (never fetched from the web)."""
    return json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))


def jsonld_bytes(triples: list[Triple]) -> bytes:
    """Compacted JSON-LD with plain keys, nodes sorted by id (see ``kg.jsonld``)."""
    return _json_bytes(compact(triples, context()))


def _json_bytes(document: dict) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def document_graphs(store: KgStore, quads: list[Quad]) -> dict[str, list[Triple]]:
    """The triples of each document graph (ontology, reference and enrichment left out)."""
    shared = {store.ontology_graph, store.reference_graph, store.iris.named_graph("enrichment")}
    graphs: dict[str, list[Triple]] = {}
    for quad in quads:
        name = quad.graph_name.value
        if name not in shared:
            graphs.setdefault(name, []).append(Triple(quad.subject, quad.predicate, quad.object))
    return graphs


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_export(data: bytes, output: str) -> None:
    """Write bytes to a file atomically (temporary file, then rename), or to stdout for ``-``."""
    if output == "-":
        os.write(1, data) if data else None
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would, not mkstemp's 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
