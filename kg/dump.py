"""Reading a whole store out, graph by graph, in worker processes when it is large.

Reading quads out of an on-disk store is bound by the CPU: each stored string is read
back and decoded. The graphs of documents are named by their content, so any read-only
view of the store that holds one holds the same triples; workers (one per core) each
open such a view and write a share of them as N-Triples. The other graphs (the shared
graph, the ontology, graphs loaded by name) and the list of graphs come from the
caller's own view. Should a worker's view lack a graph (a build removed it meanwhile),
the rest of the store is read in the caller's process instead. Graphs are handed on one
at a time, so what is held is what the reader has not yet taken.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, RdfFormat

from .store import KgStore

Graph = NamedNode | BlankNode | DefaultGraph
MIN_DOCUMENT_GRAPHS = 200  # below this, starting workers costs more than they save
CHUNK = 16  # document graphs a worker writes per request
AHEAD = 4  # requests asked of each worker ahead of the reader


def in_workers(store: KgStore, jobs: int | None) -> int:
    """How many worker processes read ``store``: 0 when it is read in this process (a
    store in memory or remote, one job, or fewer than ``MIN_DOCUMENT_GRAPHS`` documents)."""
    if getattr(store, "path", None) is None or not hasattr(store, "oxigraph"):
        return 0
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs < 2 or len(_document_graphs(store)) < max(MIN_DOCUMENT_GRAPHS, 1):
        return 0
    return jobs


def quad_chunks(store: KgStore, workers: int) -> Iterator[tuple[Graph, list[bytes]]]:
    """Every quad of the store as N-Quads lines (without line ends), a graph at a time
    with the graph's name, in no order."""
    for graph, data in graph_dumps(store, workers):
        if isinstance(graph, DefaultGraph):
            yield graph, data.splitlines()
            continue
        name = b" " + str(graph).encode() + b" ."
        yield graph, [line[:-2] + name for line in data.splitlines()]  # "s p o ." -> "s p o g ."


def triple_chunks(store: KgStore, workers: int) -> Iterator[list[bytes]]:
    """The triples of each graph as N-Triples lines (without line ends), a graph at a
    time: a triple held by several graphs comes once from each."""
    for _graph, data in graph_dumps(store, workers):
        yield data.splitlines()


def graph_dumps(store: KgStore, workers: int) -> Iterator[tuple[Graph, bytes]]:
    """Each graph of the store with its triples as N-Triples, one graph at a time; the
    graphs of documents written by ``workers`` processes (none: by this one)."""
    documents = _document_graphs(store)
    listed = set(documents)
    for graph in [
        DefaultGraph(),
        *(g for g in store.oxigraph.named_graphs() if g.value not in listed),
    ]:
        yield graph, _dump(store, graph)
    chunks = [documents[start : start + CHUNK] for start in range(0, len(documents), CHUNK)]
    done = 0
    if workers:
        arguments = (str(store.path), store.iris.base)
        with multiprocessing.get_context("spawn").Pool(workers, _worker_setup, arguments) as pool:
            for written in _ahead(pool, _dump_chunk, chunks, AHEAD * workers):
                if written is None:  # a worker's view lacks a graph: read the rest here
                    break
                yield from ((NamedNode(graph), data) for graph, data in written)
                done += 1
    for chunk in chunks[done:]:  # a document's graph is named by its content: any view
        yield from _dump_here(store, chunk)  # holding it holds the same triples


def _ahead(pool, function, chunks: list, most: int) -> Iterator:
    """``function`` of each of ``chunks``, worked out by ``pool`` and given in order, with
    at most ``most`` asked ahead of the one taken, so a slow reader holds a few answers,
    not the store."""
    asked: deque = deque()
    for chunk in chunks:
        asked.append(pool.apply_async(function, (chunk,)))
        if len(asked) >= most:
            yield asked.popleft().get()
    while asked:
        yield asked.popleft().get()


def _document_graphs(store: KgStore) -> list[str]:
    prefix = store.iris.graph("")
    return [graph for graph in store.graph_names() if graph.startswith(prefix)]


def _dump(store: KgStore, graph: Graph) -> bytes:
    return store.oxigraph.dump(format=RdfFormat.N_TRIPLES, from_graph=graph)


def _dump_here(store: KgStore, graphs: list[str]) -> list[tuple[Graph, bytes]]:
    return [(NamedNode(graph), _dump(store, NamedNode(graph))) for graph in graphs]


_worker: dict = {}


def _worker_setup(path: str, base: str) -> None:
    """The store is opened by the first request, so that an error opening it reaches
    the caller as that request's error."""
    _worker.update(path=path, base=base)


def _dump_chunk(graphs: list[str]) -> list[tuple[str, bytes]] | None:
    """A share of the document graphs written in a worker; None when its view of the
    store lacks one of them."""
    if "store" not in _worker:
        _worker["store"] = KgStore(_worker["path"], base=_worker["base"], read_only=True)
    store = _worker["store"]
    if not all(store.has_graph(graph) for graph in graphs):
        return None
    return [(graph, _dump(store, NamedNode(graph))) for graph in graphs]
