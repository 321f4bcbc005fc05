"""A query while a build writes reads a consistent snapshot or says the store is busy;
a second build at the same time refuses with a clear message."""

from __future__ import annotations

import csv
import io
import subprocess
import time

from bench.corpus import write_corpus
from kg.build import build
from kg.store import KgStore

from .conftest import KG


def test_queries_during_a_build_read_a_snapshot_or_say_busy(tmp_path):
    corpus = write_corpus(tmp_path / "docs", 30)
    store = tmp_path / "store"
    build([corpus / "article-00000.txt"], KgStore(store))
    builder = subprocess.Popen(
        [KG, "--store", str(store), "build", str(corpus), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    answers, busy = [], 0
    while builder.poll() is None:
        result = subprocess.run(
            [KG, "--store", str(store), "query", "documents", "--format", "csv"],
            capture_output=True,
            text=True,
        )
        if result.returncode == 2:
            assert "busy" in result.stderr or "in use" in result.stderr, result.stderr
            busy += 1
            continue
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert all(row["document"].startswith("https://") for row in rows)
        answers.append(len(rows))
    assert builder.returncode == 0
    assert answers, "no query got an answer while the build ran"
    assert answers == sorted(answers)  # snapshots only grow: never a torn or shrinking read
    assert answers[0] >= 1 and answers[-1] <= 30


def test_a_second_build_at_the_same_time_refuses_clearly(tmp_path):
    corpus = write_corpus(tmp_path / "docs", 40)
    store = tmp_path / "store"
    first = subprocess.Popen(
        [KG, "--store", str(store), "build", str(corpus), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)  # the first build has opened the store by now
    second = subprocess.run(
        [KG, "--store", str(store), "build", str(corpus), "-q"], capture_output=True, text=True
    )
    assert first.wait() == 0
    if second.returncode == 0:  # the first finished before the second opened the store
        return
    assert second.returncode == 2
    assert "in use by another process" in second.stderr
    assert "Traceback" not in second.stderr
