"""``python -m bench [--docs N | --max N]``: measure policy-kg at growing corpus sizes."""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from kg.store import KgStore

from .corpus import write_corpus
from .measure import KG, build_steps, export_times, query_latencies, query_sample, run, words
from .report import write_report
from .writes import document_graphs, write_costs

SIZES = (10, 100, 1_000, 10_000)
HERE = Path(__file__).resolve().parent
CODE = ("kg", "bench", ":(exclude)bench/results", ":(exclude)bench/work")  # what a run measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--docs", type=int, help="run this one corpus size only")
    parser.add_argument("--max", type=int, default=max(SIZES), help="stop after this size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline-max", type=int, default=100, help="largest N for rdflib (1,000 takes 9 GB)"
    )
    parser.add_argument("--export-max", type=int, default=1_000, help="largest N for exports")
    parser.add_argument("--query-runs", type=int, default=20, help="runs per saved query")
    parser.add_argument(
        "--large-query-runs", type=int, default=3, help="runs per saved query above N=1,000"
    )
    parser.add_argument("--query-max", type=int, default=10_000, help="largest N for queries")
    parser.add_argument(
        "--jobs-max", type=int, default=max(SIZES), help="largest N for the --jobs 2 build"
    )
    parser.add_argument("--work", type=Path, default=HERE / "work", help="corpora and stores")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--stamp", help="name of the results files (default: today's date; a day's runs merge)"
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("matplotlib") is None:  # known now, not after an hour's run
        parser.error("matplotlib draws the plot: pip install -e '.[bench]' (make bench does)")
    sizes = [args.docs] if args.docs else [n for n in SIZES if n <= args.max]
    rows = [measure(n, args) for n in sizes]
    stamp = args.stamp or datetime.date.today().isoformat()
    markdown = write_report(rows, args.out, stamp)
    print(f"wrote {markdown}")
    return 0


def measure(n: int, args) -> dict:
    steps: dict[str, float] = {}
    with _timed(steps, "corpus"):
        corpus = write_corpus(args.work / "corpus", n, args.seed)
        sized = args.work / f"corpus-{n}"
        if not sized.exists():
            sized.mkdir(parents=True)
            for path in sorted(corpus.glob("*.txt"))[:n]:
                (sized / path.name).symlink_to(path.resolve())
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        copy = Path(scratch) / "corpus"  # the one-changed step edits a file: use copies
        shutil.copytree(sized, copy, symlinks=False)
        row = {"docs": n, "words": words(copy), "commit": _commit(), "bench_steps": steps}
        with _timed(steps, "build, rebuilds, validation"):
            row.update(build_steps(copy, Path(scratch) / "store", jobs=1))
        if n <= args.jobs_max:
            second = str(Path(scratch) / "store2")
            with _timed(steps, "build --jobs 2"):
                row["build_jobs2"] = run(
                    [*KG, "--store", second, "build", str(copy), "-q", "-j", "2"]
                )
        store = KgStore(Path(scratch) / "store", read_only=True)
        with _timed(steps, "writes"):
            row["writes"] = write_costs(document_graphs(store), Path(scratch))
        asked = n <= args.query_max or n <= args.baseline_max
        sample = query_sample(store) if asked else {}
        if n <= args.query_max:
            runs = args.query_runs if n <= 1_000 else args.large_query_runs
            with _timed(steps, "queries"):
                row["queries"] = query_latencies(store, runs=runs, sample=sample)
            row["query_runs"] = runs
            row["query_sample"] = sample
        if n <= args.export_max:
            with _timed(steps, "exports"):
                row["exports"] = export_times(store)
        if n <= args.baseline_max:
            with _timed(steps, "rdflib baseline"):
                row["baseline_run"], row["baseline"] = _baseline(
                    store, Path(scratch), sample, row.get("queries", {})
                )
        del store
    print(f"N={n}: build {row['build']['seconds']:.1f} s", file=sys.stderr)
    return row


@contextmanager
def _timed(steps: dict[str, float], name: str):
    """Add the wall seconds of the block to ``steps[name]``: what the run itself costs."""
    start = time.perf_counter()
    try:
        yield
    finally:
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - start


def _baseline(store: KgStore, scratch: Path, sample: dict, queries: dict) -> tuple[dict, dict]:
    """The same data the plain-rdflib way, in a process of its own (its RSS is its own);
    each query stopped once it has taken 20 times ours (``queries``: our latencies)."""
    data = scratch / "graph.nq"
    data.write_bytes(_nquads(store))
    out = scratch / "baseline.json"
    ours = json.dumps({name: q["p95"] for name, q in queries.items()})
    process = run(
        [sys.executable, "-m", "bench.baseline", str(data), str(out), json.dumps(sample), ours],
        ok=(0,),
    )
    return process, json.loads(out.read_text())


def _commit() -> str | None:
    """The commit of the code measured, with ``+changes`` when the work tree differs."""
    try:
        head = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", *CODE],
            capture_output=True,
            text=True,
        )
    except OSError:  # no git: a copy of the code, not a clone
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def _nquads(store: KgStore) -> bytes:
    from kg.export import export_bytes

    return export_bytes(store, "nq")


if __name__ == "__main__":
    sys.exit(main())
