"""The plain-rdflib way on the same data: an in-memory Graph, rdflib's SPARQL, pySHACL.

Run as ``python -m bench.baseline FILE.nq OUT.json SAMPLE [OURS]`` (SAMPLE: the JSON of
``bench.measure.query_sample``; OURS: the JSON of our p95 in ms by query name) in its
own process so its time and memory are measured like ours.
"""

from __future__ import annotations

import json
import signal
import sys
import time

import rdflib

from kg.ids import Iris
from kg.namespaces import PREFIXES
from kg.validate import validate_graph

from .measure import percentiles, query_cases, query_limit

BASELINE_QUERY_RUNS = 1


class _TooSlow(Exception):
    pass


def _alarm(_signum, _frame):
    raise _TooSlow


def main(data: str, out: str, sample: str, ours: str = "{}") -> None:
    signal.signal(signal.SIGALRM, _alarm)
    sample = json.loads(sample)  # what bench.measure asked our store
    ours = json.loads(ours)
    began = time.perf_counter()
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data, format="nquads")
    load = time.perf_counter() - began
    queries = {}
    for name, text in query_cases(sample):
        times, limit, capped = [], query_limit(ours.get(name)), False
        for _ in range(BASELINE_QUERY_RUNS):
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                list(graph.query(text, initNs={**PREFIXES, **Iris().prefixes}))
            except _TooSlow:
                times, capped = [limit * 1000.0], True
                break
            except Exception:  # noqa: BLE001 - a query rdflib cannot run is reported, not fatal
                times = []
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append((time.perf_counter() - started) * 1000)
        queries[name] = percentiles(times) | {"capped": capped} if times else None
    started = time.perf_counter()
    data_only = rdflib.Graph()
    for s, p, o, _ in graph.quads():
        data_only.add((s, p, o))
    validate_graph(data_only)
    validation = time.perf_counter() - started
    started = time.perf_counter()
    graph.serialize(format="turtle")
    export = time.perf_counter() - started
    result = {"load": load, "queries": queries, "validate": validation, "export_turtle": export}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main(*sys.argv[1:])
