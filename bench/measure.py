"""The measured steps: each command runs in its own process, timed, with its peak RSS."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.export import EXPORT_FORMATS, export_bytes
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


def watch_latency(corpus: Path, store: Path, changes: int = 3) -> dict:
    """``kg build --watch``: seconds from a document's change until the watching process
    prints the summary of the round that took it in (median of ``changes`` documents,
    each changed while the watch runs), and that round's own build time."""
    command = [*KG, "--store", str(store), "build", str(corpus), "--watch", "--interval", "0.2"]
    watcher = subprocess.Popen(
        [*command, "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
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
        watcher.wait(timeout=120)
    return {"seconds": statistics.median(latencies), "round_seconds": statistics.median(rounds)}


def query_latencies(store: KgStore, runs: int = QUERY_RUNS) -> dict[str, dict]:
    """p50 and p95 of every saved query (ms). A query taking a ``document`` is asked about
    the first stored document; other parameters are left at their defaults."""
    found = {}
    sample = {"document": min(store.documents(), default="")}
    for name, saved in saved_queries().items():
        params = {k: v for k, v in sample.items() if k in saved.params and v}
        text = bind_parameters(saved.text, saved, params)
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            result = store.query(text)
            if hasattr(result, "variables"):
                list(result)
            times.append((time.perf_counter() - began) * 1000)
        found[name] = percentiles(times)
    return found


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
