"""The measured steps: each command runs in its own process, timed, with its peak RSS."""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from pyoxigraph import NamedNode

from kg.export import EXPORT_FORMATS, export_bytes
from kg.namespaces import PK, RDFS
from kg.query import bind_parameters, saved_queries
from kg.store import KgStore

KG = [str(Path(sys.executable).parent / "kg")]
QUERY_RUNS = 20


def run(command: list[str], ok: tuple[int, ...] = (0, 1)) -> dict:
    """Wall time (s) and peak RSS (MB) of a command, which must exit with one of ``ok``
    (``kg validate`` exits 1 when it finds violations)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - began
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise RuntimeError(f"{' '.join(command)} exited {code}: {stderr.strip()[-500:]}")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "stdout": stdout}


def words(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt"))


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def build_steps(corpus: Path, store: Path, jobs: int) -> dict:
    """First build, no-op rebuild, one changed document; sizes and counts."""
    kg = [*KG, "--store", str(store)]
    first = run([*kg, "build", str(corpus), "-q", "--jobs", str(jobs)])
    first["compacted_s"] = compacted_seconds(first["stdout"])
    noop = run([*kg, "build", str(corpus), "-q"])
    changed = sorted(corpus.glob("*.txt"))[0]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(
        original + "\nA closing sentence was added to this article.\n", encoding="utf-8"
    )
    try:
        one = run([*kg, "build", str(corpus), "-q"])
    finally:
        changed.write_text(original, encoding="utf-8")
        run([*kg, "build", str(corpus), "-q"])
    watching = watch_latency(corpus, store)
    stats = json.loads(run([*kg, "stats", "--format", "json"])["stdout"])
    validate = run([*kg, "validate", "--format", "json"])
    conforms = json.loads(validate["stdout"])["conforms"]
    return {
        "build": first,
        "noop": noop,
        "one_changed": one,
        "watch": watching,
        "validate": validate | {"conforms": conforms},
        "triples": stats["triples"],
        "quads": stats["quads"],
        "store_mb": disk_mb(store),
    }


def compacted_seconds(summary: str) -> float | None:
    """The seconds a build's summary line says it spent compacting the store, if it did.

    >>> compacted_seconds("9 documents: 9 added, 0 updated, 0 skipped, 0 failed (6.0 s)")
    >>> compacted_seconds("1000 documents: ... (58.4 s; compacted in 7.1 s)")
    7.1
    """
    found = re.search(r"; compacted in ([0-9.]+) s\)", summary)
    return float(found.group(1)) if found else None


def ctrl_c_reaches_it() -> None:
    """In a child about to run kg: take SIGINT as Ctrl-C even when the parent was started in
    the background, where the shell hands its children SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def watch_latency(corpus: Path, store: Path, changes: int = 3) -> dict:
    """``kg build --watch``: seconds from a document's change until the watching process
    prints the summary of the round that took it in (median of ``changes`` documents,
    each changed while the watch runs), and that round's own build time."""
    command = [*KG, "--store", str(store), "build", str(corpus), "--watch", "--interval", "0.2"]
    watcher = subprocess.Popen(
        [*command, "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=ctrl_c_reaches_it,
    )
    latencies, rounds = [], []
    try:
        watcher.stdout.readline()  # the first round: nothing changed
        for changed in sorted(corpus.glob("*.txt"))[1 : 1 + changes]:
            original = changed.read_text(encoding="utf-8")
            changed.write_text(original + "\nThe watch saw this sentence.\n", encoding="utf-8")
            began = time.perf_counter()
            line = watcher.stdout.readline()
            latencies.append(time.perf_counter() - began)
            rounds.append(float(line.rsplit("(", 1)[1].split()[0]))
            changed.write_text(original, encoding="utf-8")
            watcher.stdout.readline()  # the round that takes the original back
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            watcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
            watcher.wait()
            raise RuntimeError("kg build --watch did not stop on SIGINT within 60 s") from None
    return {"seconds": statistics.median(latencies), "round_seconds": statistics.median(rounds)}


NAMED = {  # a name parameter -> the predicate whose most frequent object the bench names
    "actor": PK + "claimant",
    "claimant": PK + "claimant",
    "first": PK + "claimant",
    "second": PK + "addressee",
    "implementer": PK + "implementer",
    "target": PK + "targets",
}


def query_sample(store: KgStore) -> dict[str, str]:
    """What the bench asks parameterised queries about: the first stored document and,
    for a name parameter, the actor most often in its role (a claimant for ``actor``, a
    target for ``target``...), by its label in lower case, as a user would type it."""
    sample = {"document": min(store.documents(), default="")}
    shared, label = NamedNode(store.iris.shared_graph), NamedNode(RDFS + "label")
    named = {}  # predicate -> the name, so a predicate shared by parameters is read once
    for param, predicate in NAMED.items():
        if predicate not in named:
            named[predicate] = _most_frequent_name(store, predicate, shared, label)
        if named[predicate]:
            sample[param] = named[predicate]
    return sample


def _most_frequent_name(store: KgStore, predicate: str, shared, label) -> str | None:
    counts = Counter(quad.object for quad in store.quads(predicate=predicate))
    for node, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0].value)):
        names = sorted(
            q.object.value for q in store.oxigraph.quads_for_pattern(node, label, None, shared)
        )
        if names:
            return names[0].lower()
    return None


def query_cases(sample: dict[str, str]) -> list[tuple[str, str]]:
    """(name, SPARQL) of every saved query as the bench asks it. A query taking a
    ``document`` is asked about the sample document. A query taking an actor's name is
    asked twice: as it stands (optional names absent: the whole listing) and about the
    sample actors, named ``query (param=value, ...)``; one that needs names only so."""
    cases = []
    for name, saved in saved_queries().items():
        asked = "document" in saved.params and sample.get("document")  # none when empty
        document = {"document": sample["document"]} if asked else {}
        named = {k: sample[k] for k in saved.params if k in NAMED and k in sample}
        required = [k for k, about in saved.params.items() if not about.startswith("(optional)")]
        if not any(k in NAMED for k in required):
            cases.append((name, bind_parameters(saved.text, saved, document)))
        if named:
            label = ", ".join(f"{k}={v}" for k, v in named.items())
            cases.append(
                (f"{name} ({label})", bind_parameters(saved.text, saved, document | named))
            )
    return cases


QUERY_BUDGET_S = 5.0  # a query is asked again only while its runs took less than this
MIN_QUERY_RUNS = 3


def query_latencies(
    store: KgStore,
    runs: int = QUERY_RUNS,
    sample: dict | None = None,
    budget: float = QUERY_BUDGET_S,
) -> dict:
    """p50 and p95 (ms), rows returned and runs made of every saved query, asked as
    ``query_cases`` says: ``runs`` times, or fewer (never under 3) once its runs have
    taken ``budget`` seconds, so a slow query does not hold the bench for minutes."""
    found = {}
    for name, text in query_cases(sample or query_sample(store)):
        times, rows = [], 0
        while len(times) < runs:
            began = time.perf_counter()
            result = store.query(text)
            if hasattr(result, "variables"):
                rows = len(list(result))
            times.append((time.perf_counter() - began) * 1000)
            if len(times) >= min(runs, MIN_QUERY_RUNS) and sum(times) >= budget * 1000:
                break
        found[name] = percentiles(times) | {"rows": rows, "runs": len(times)}
    return found


# the rdflib baseline asks each query once
QUERY_LIMIT_S = 20.0  # a query still running after this is recorded as at least this slow
RATIO_LIMIT = 20  # ... or after this many times our p95: the target ratio, then met
MIN_LIMIT_S = 1.0


def query_limit(ours_p95_ms: float | None) -> float:
    """Seconds an rdflib query may run: 20 times ours (stopped there, it is known to be
    at least 20x slower, the target), between 1 and 20 s (20 s when ours was not
    measured)."""
    if ours_p95_ms is None:
        return QUERY_LIMIT_S
    return min(QUERY_LIMIT_S, max(MIN_LIMIT_S, RATIO_LIMIT * ours_p95_ms / 1000))


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95}


def export_times(store: KgStore, formats=tuple(EXPORT_FORMATS)) -> dict[str, float]:
    found = {}
    for fmt in formats:
        began = time.perf_counter()
        export_bytes(store, fmt)
        found[fmt] = time.perf_counter() - began
    return found
