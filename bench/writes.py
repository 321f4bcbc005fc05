"""What a store write costs: the quads of built documents written again, four ways.

The build writes the new documents of a batch (16 files) with one bulk load of their
N-Quads on disk (``kg.store.ingest``), an atomic ingestion, leaving out the shared-graph
copies an earlier batch wrote; a changed document is replaced in one transaction
(``Store.extend``). This measures both per quad, beside ``Store.bulk_extend`` of one
document at a time and ``Store.extend`` in memory, over the same document graphs, so
the ceiling that writes alone put on the build is a measurement, not a guess:
``words/s <= 1e6 / (us per quad * quads per word)``. (The build's writes run in a
thread of their own and, since the bulk load holds no GIL, beside extraction.)

Run as ``python -m bench.writes STORE [--docs N]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, serialize

from kg.shared import shared_quads
from kg.store import KgStore, ingest

SAMPLE_DOCS = 40


def document_graphs(store: KgStore, docs: int = SAMPLE_DOCS) -> list[list[Quad]]:
    """The quads of the first ``docs`` document graphs (by IRI), each with its shared-graph
    copies, as the build writes them."""
    graphs = sorted(d.graph for d in store.documents().values())[:docs]
    found = []
    for graph in graphs:
        quads = list(store.oxigraph.quads_for_pattern(None, None, None, NamedNode(graph)))
        found.append(quads + shared_quads(quads, store.iris))
    return found


def write_costs(graphs: list[list[Quad]], scratch: Path) -> dict[str, float]:
    """Microseconds per quad of each way of writing ``graphs`` into a new store. Each way
    must leave the store holding exactly the distinct quads of ``graphs``."""
    quads = sum(map(len, graphs))
    distinct = len({q for g in graphs for q in g})

    def timed(way: str, write: Callable[[Store], None], on_disk: bool) -> float:
        folder = scratch / "writes"
        shutil.rmtree(folder, ignore_errors=True)
        store = Store(str(folder)) if on_disk else Store()
        began = time.perf_counter()
        write(store)
        if on_disk:
            store.flush()
        seconds = time.perf_counter() - began
        if len(store) != distinct:
            raise RuntimeError(f"{way} stored {len(store)} quads, not {distinct}")
        del store
        shutil.rmtree(folder, ignore_errors=True)
        return seconds / quads * 1e6

    return {
        "graphs": len(graphs),
        "quads": quads,
        "batch_ingest_disk_us": timed(
            "ingest of a batch",
            lambda s: [
                ingest(s, serialize(b, format=RdfFormat.N_QUADS)) for b in in_batches(graphs)
            ],
            True,
        ),
        "extend_disk_us": timed("extend", lambda s: [s.extend(g) for g in graphs], True),
        "bulk_extend_disk_us": timed(
            "bulk_extend", lambda s: [s.bulk_extend(g) for g in graphs], True
        ),
        "extend_memory_us": timed(
            "extend in memory", lambda s: [s.extend(g) for g in graphs], False
        ),
    }


BUILD_BATCH = 16  # kg.build.DEFAULT_BATCH


def in_batches(graphs: list[list[Quad]], size: int = BUILD_BATCH) -> list[list[Quad]]:
    """The quads of ``size`` documents at a time, as the build ingests new documents:
    each quad once, a shared copy only in the first batch that has it."""
    seen: set[Quad] = set()
    batches = []
    for start in range(0, len(graphs), size):
        batch = dict.fromkeys(q for g in graphs[start : start + size] for q in g)
        batches.append([q for q in batch if q not in seen])
        seen.update(batches[-1])
    return batches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.writes", description=__doc__)
    parser.add_argument("store", type=Path)
    parser.add_argument("--docs", type=int, default=SAMPLE_DOCS)
    args = parser.parse_args(argv)
    graphs = document_graphs(KgStore(args.store, read_only=True), args.docs)
    with tempfile.TemporaryDirectory() as scratch:
        print(json.dumps(write_costs(graphs, Path(scratch)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
