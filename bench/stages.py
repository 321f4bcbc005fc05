"""``python -m bench.stages [FOLDER] [--reps N]``: milliseconds per document of the two
stages a build runs in Python before it writes: extraction (``kg.pipeline.extract_file``)
and mapping to quads (``kg.rdfmap.document_quads``).

FOLDER defaults to the first 100 articles of the synthetic corpus. The first document
is read once before timing (spaCy's pipeline and the lexicons load then); each
repetition reads every file again, and the median and the fastest repetition are shown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from kg.pipeline import extract_file
from kg.rdfmap import document_quads
from kg.read import is_document

from .corpus import write_corpus

HERE = Path(__file__).resolve().parent


def stage_times(files: list[Path], reps: int = 3) -> dict:
    """Per-document milliseconds of extraction and mapping over ``files``, one list per
    stage with one entry a repetition, and the quads a document maps to."""
    document_quads(extract_file(files[0]))  # warm: pipeline, lexicons, caches
    times: dict = {"extract_ms": [], "map_ms": []}
    quads = 0
    for _ in range(reps):
        start = time.perf_counter()
        extractions = [extract_file(f) for f in files]
        extracted = time.perf_counter()
        quads = sum(len(document_quads(e)) for e in extractions)
        mapped = time.perf_counter()
        times["extract_ms"].append((extracted - start) * 1000 / len(files))
        times["map_ms"].append((mapped - extracted) * 1000 / len(files))
    times["quads_per_doc"] = quads / len(files)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, help="documents to read")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    folder = args.folder or write_corpus(HERE / "work" / "corpus", 100)
    files = sorted(p for p in folder.iterdir() if p.is_file() and is_document(p))[:100]
    if not files:
        parser.error(f"{folder}: no documents")
    times = stage_times(files, args.reps)
    print(f"{len(files)} documents, {args.reps} repetitions: median / fastest ms per document")
    for stage in ("extract_ms", "map_ms"):
        print(f"{stage[:-3]:8s} {statistics.median(times[stage]):7.1f} / {min(times[stage]):7.1f}")
    print(f"quads per document {times['quads_per_doc']:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
