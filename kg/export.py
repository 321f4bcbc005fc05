"""Exports of the store in standard RDF syntaxes, byte-identical across runs.

Quads are sorted before they are written and blank nodes carry canonical
labels, so the same store always gives the same bytes. Files are written to a
temporary name and renamed, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from . import dump
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


def sorted_quads(store: KgStore, graph: str | None = None, jobs: int | None = None) -> list[Quad]:
    """The quads of the store (or of one graph), blank nodes labelled canonically, in
    order of graph, then of their N-Quads lines."""
    by_graph: dict = {}
    for quad in _parse_lines(quad_lines(store, graph, jobs)):  # grouped, each group kept in order
        by_graph.setdefault(quad.graph_name, []).append(quad)
    return [quad for name in sorted(by_graph, key=str) for quad in by_graph[name]]


def quad_lines(store: KgStore, graph: str | None = None, jobs: int | None = None) -> list[bytes]:
    """The quads of the store (or of one graph) as N-Quads lines, blank nodes labelled
    canonically, sorted, without their line ends. A large store on disk is read by
    ``jobs`` worker processes (default: one per core; see ``kg.dump``)."""
    if graph is not None:
        if graph not in store.graph_names():
            raise KgError(f"no graph {graph} in the store")
        data = serialize(store.quads(graph), format=RdfFormat.N_QUADS)
    elif workers := dump.in_workers(store, jobs):
        return sorted(canonical_lines(dump.quad_lines(store, workers)))
    elif hasattr(store, "oxigraph"):  # a local store writes them without Python objects
        data = store.oxigraph.dump(format=RdfFormat.N_QUADS)
    else:
        data = serialize(store.quads(), format=RdfFormat.N_QUADS)
    return sorted(canonical_lines(data.splitlines()))


def triple_lines(store: KgStore, graph: str | None = None, jobs: int | None = None) -> list[bytes]:
    """The triples of all graphs merged (or of one graph) as N-Triples lines, each
    once, blank nodes labelled canonically, sorted, without their line ends."""
    if graph is not None:
        lines = quad_lines(store, graph)
        triples = (Triple(q.subject, q.predicate, q.object) for q in _parse_lines(lines))
        data = serialize(triples, format=RdfFormat.N_TRIPLES)
    elif workers := dump.in_workers(store, jobs):
        return sorted(set(canonical_lines(list(dump.triple_lines(store, workers)))))
    else:
        data = store.query(UNION_TRIPLES).serialize(format=RdfFormat.N_TRIPLES)
    return sorted(set(canonical_lines(data.splitlines())))


UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def canonical_lines(lines: list[bytes]) -> list[bytes]:
    """N-Quads (or N-Triples) lines with blank nodes relabelled by RDFC-1.0, whatever
    labels the store gave them (a remote server picks its own). Only the quads that
    touch a blank node take part, which is all canonicalization looks at.

    >>> canonical_lines([b"_:x9 <urn:p> <urn:o> <urn:g> ."])[0].startswith(b"_:c14n")
    True
    """
    if not any(b"_:" in line for line in lines):
        return lines
    plain = [line for line in lines if b"_:" not in line]
    blank, other = Dataset(), []
    for quad in _parse_lines([line for line in lines if b"_:" in line]):
        if isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode):
            blank.add(quad)
        else:  # "_:" inside a literal or an IRI
            other.append(quad)
    blank.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return plain + serialize([*other, *blank], format=RdfFormat.N_QUADS).splitlines()


def _parse_lines(lines: list[bytes]) -> list[Quad]:
    return list(parse(b"\n".join(lines), format=RdfFormat.N_QUADS))


def _joined(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in lines)


FRAMES = ("document",)


def export_bytes(
    store: KgStore,
    fmt: str,
    *,
    graph: str | None = None,
    frame: str | None = None,
    jobs: int | None = None,
) -> bytes:
    """The store (or one graph) serialised in ``fmt``; ``frame="document"`` gives JSON-LD
    with one object per article and its claims nested (documents' graphs only).

    The store's statements are taken as sorted N-Quads (or N-Triples) lines, which also
    are the N-Quads and N-Triples exports; the other syntaxes are written from them in
    that order. A large store on disk is read by ``jobs`` worker processes (default:
    one per core), with the same bytes as a read in one process."""
    if frame is not None:
        if frame not in FRAMES or fmt != "jsonld":
            raise KgError(f"--frame {frame}: only 'document', and only with JSON-LD")
        quads = sorted_quads(store, graph, jobs)
        return _json_bytes(frame_documents(document_graphs(store, quads), context()))
    if fmt == "nq":
        return _joined(quad_lines(store, graph, jobs))
    if fmt == "trig":
        quads = sorted_quads(store, graph, jobs)
        return serialize(quads, format=RdfFormat.TRIG, prefixes=_prefixes(store))
    lines = triple_lines(store, graph, jobs)
    if fmt == "nt":
        return _joined(lines)
    triples = [Triple(q.subject, q.predicate, q.object) for q in _parse_lines(lines)]
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
