"""Exports of the store in standard RDF syntaxes, byte-identical across runs.

Quads are sorted before they are written and blank nodes carry canonical
labels, so the same store always gives the same bytes. Files are written to a
temporary name and renamed, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    DefaultGraph,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from . import dump
from .errors import KgError
from .jsonld import write_compacted, write_framed
from .namespaces import PREFIXES
from .resources import ontology_file
from .sortlines import batches, sorted_lines
from .store import KgStore, context_graphs

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


def graph_ordered_quads(
    store: KgStore, graph: str | None = None, jobs: int | None = None
) -> Iterator[Quad]:
    """The quads of the store (or of one graph), blank nodes labelled canonically, in
    order of graph, then of their N-Quads lines: sorted on disk (see ``quad_lines``), so
    memory holds one run of lines whatever the store's size."""
    keyed = sorted_lines(
        _keyed(g, lines) for g, lines in _canonical(_quad_chunks(store, graph, jobs))
    )
    return _parsed(line.split(b"\x00", 1)[1] for line in keyed)


def quad_lines(
    store: KgStore, graph: str | None = None, jobs: int | None = None
) -> Iterator[bytes]:
    """The quads of the store (or of one graph) as N-Quads lines, blank nodes labelled
    canonically, sorted, without their line ends. A large store on disk is read by
    ``jobs`` worker processes (default: one per core; see ``kg.dump``) and sorted in
    runs on disk (``kg.sortlines``)."""
    chunks = _canonical(_quad_chunks(store, graph, jobs))
    return sorted_lines(lines for _graph, lines in chunks)


def triple_lines(
    store: KgStore, graph: str | None = None, jobs: int | None = None
) -> Iterator[bytes]:
    """The triples of all graphs merged (or of one graph) as N-Triples lines, each
    once, blank nodes labelled canonically, sorted, without their line ends."""
    chunks = _canonical((None, lines) for lines in _triple_chunks(store, graph, jobs))
    return sorted_lines((lines for _none, lines in chunks), unique=True)


Chunk = tuple[dump.Graph | None, list[bytes]]  # lines, with the graph they are in if known


def _quad_chunks(store: KgStore, graph: str | None, jobs: int | None) -> Iterator[Chunk]:
    """N-Quads lines a chunk at a time, each with the graph its lines are in (None: not
    known, read them)."""
    if graph is not None:
        yield None, serialize(_graph_quads(store, graph), format=RdfFormat.N_QUADS).splitlines()
    elif hasattr(store, "oxigraph"):  # a local store writes them without Python objects
        yield from dump.quad_chunks(store, dump.in_workers(store, jobs))
    else:
        yield None, serialize(store.quads(), format=RdfFormat.N_QUADS).splitlines()


def _triple_chunks(store: KgStore, graph: str | None, jobs: int | None) -> Iterator[list[bytes]]:
    if graph is not None:
        quads = _parsed(quad_lines(store, graph))
        triples = (Triple(q.subject, q.predicate, q.object) for q in quads)
        yield serialize(triples, format=RdfFormat.N_TRIPLES).splitlines()
    elif hasattr(store, "oxigraph"):
        yield from dump.triple_chunks(store, dump.in_workers(store, jobs))
    else:
        yield store.query(UNION_TRIPLES).serialize(format=RdfFormat.N_TRIPLES).splitlines()


def _graph_quads(store: KgStore, graph: str) -> Iterable[Quad]:
    _check_graph(store, graph)
    return store.quads(graph)


def _check_graph(store: KgStore, graph: str) -> None:
    if graph not in store.graph_names():
        raise KgError(f"no graph {graph} in the store")


def _canonical(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks (each with its graph) with the lines that hold a blank node taken out
    and handed on last, relabelled together (``canonical_lines``), with graph None."""
    blank: list[bytes] = []
    for graph, chunk in chunks:
        if b"_:" in b"\n".join(chunk):  # a scan in C, not a test of each line
            blank.extend(line for line in chunk if b"_:" in line)
            chunk = [line for line in chunk if b"_:" not in line]
        yield graph, chunk
    if blank:
        yield None, canonical_lines(blank)


def _keyed(graph: dump.Graph | None, lines: list[bytes]) -> list[bytes]:
    """N-Quads lines prefixed by their graph's name (as ``str`` writes it; read off each
    line when ``graph`` is None) and a NUL, so that sorted they come in order of graph,
    then of line."""
    if graph is not None:
        key = str(graph).encode() + b"\x00"
        return [key + line for line in lines]
    quads = _parse_lines(lines)
    return [
        str(q.graph_name).encode() + b"\x00" + line for q, line in zip(quads, lines, strict=True)
    ]


def _parsed(lines: Iterable[bytes], batch: int = 10_000) -> Iterator[Quad]:
    """The quads of N-Quads lines, parsed a batch at a time. Blank node labels are kept
    as written, so a label means one node across batches."""
    for chunk in batches(lines, batch):
        yield from _parse_lines(chunk)


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


FRAMES = ("document",)


def export_bytes(
    store: KgStore,
    fmt: str,
    *,
    graph: str | None = None,
    frame: str | None = None,
    jobs: int | None = None,
) -> bytes:
    """The store (or one graph) serialised in ``fmt``, as ``export_to`` writes it."""
    buffer = io.BytesIO()
    export_to(buffer, store, fmt, graph=graph, frame=frame, jobs=jobs)
    return buffer.getvalue()


def export_to(
    stream: IO[bytes],
    store: KgStore,
    fmt: str,
    *,
    graph: str | None = None,
    frame: str | None = None,
    jobs: int | None = None,
) -> None:
    """Write the store (or one graph) to ``stream`` in ``fmt``; ``frame="document"``
    gives JSON-LD with one object per article and its claims nested (documents' graphs
    only).

    The store's statements are taken as sorted N-Quads (or N-Triples) lines, which also
    are the N-Quads and N-Triples exports; the other syntaxes are written from them in
    that order. A large store on disk is read by ``jobs`` worker processes (default:
    one per core), with the same bytes as a read in one process. Every syntax is
    written as it is read and sorted (in runs on disk), so memory does not grow with
    the store."""
    if graph is not None:  # before anything is written
        _check_graph(store, graph)
    if frame is not None:
        if frame not in FRAMES or fmt != "jsonld":
            raise KgError(f"--frame {frame}: only 'document', and only with JSON-LD")
        quads = graph_ordered_quads(store, graph, jobs)
        write_framed(stream, document_graph_quads(store, quads), context())
    elif fmt == "nq":
        _write_lines(stream, quad_lines(store, graph, jobs))
    elif fmt == "trig":
        quads = graph_ordered_quads(store, graph, jobs)
        serialize(quads, stream, RdfFormat.TRIG, prefixes=_prefixes(store))
    elif fmt == "nt":
        _write_lines(stream, triple_lines(store, graph, jobs))
    else:  # quads in the default graph: written as the triples they hold
        triples = _parsed(triple_lines(store, graph, jobs))
        if fmt == "jsonld":
            write_compacted(stream, triples, context())
        else:
            serialize(triples, stream, EXPORT_FORMATS[fmt], prefixes=_prefixes(store))


def _write_lines(stream: IO[bytes], lines: Iterable[bytes], batch: int = 10_000) -> None:
    for chunk in batches(lines, batch):
        stream.write(b"\n".join(chunk) + b"\n")


def _prefixes(store: KgStore) -> dict[str, str]:
    return {**PREFIXES, "id": store.iris.base}


@cache
def context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld`` (never fetched from the web)."""
    return json.loads(ontology_file("context.jsonld").read_text(encoding="utf-8"))


def document_graph_quads(store: KgStore, quads: Iterable[Quad]) -> Iterator[list[Quad]]:
    """The quads of each document graph (read as its triples), a graph at a time, from
    quads in order of graph (the ontology, reference, enrichment and default graphs
    left out)."""
    shared = context_graphs(store)
    for name, group in itertools.groupby(quads, key=lambda quad: quad.graph_name):
        if isinstance(name, DefaultGraph) or name.value in shared:
            continue
        yield list(group)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_export(data: bytes, output: str) -> None:
    """Write bytes to a file atomically (temporary file, then rename), or to stdout for ``-``."""
    write_export_with(lambda stream: stream.write(data), output)


def write_export_with(write: Callable[[IO[bytes]], object], output: str) -> int:
    """Call ``write`` with a binary stream that goes to ``output`` atomically (a
    temporary file renamed when ``write`` returns, removed when it raises), or to
    stdout for ``-``. Returns the bytes written."""
    if output == "-":
        stdout = _Stdout()
        write(stdout)
        return stdout.written
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
            written = stream.tell()
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would, not mkstemp's 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


class _Stdout(io.RawIOBase):
    """Standard output's file descriptor as a binary stream, unbuffered."""

    written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        while view:
            view = view[os.write(1, view) :]
        self.written += len(data)
        return len(data)
