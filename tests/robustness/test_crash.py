"""Crash safety: `kg build` killed with SIGKILL at random moments leaves a store that
opens, validates and holds, for every document, its complete old or complete new graph;
an interrupted `kg export` never leaves a truncated file."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import article
from kg.build import build
from kg.export import export_bytes
from kg.store import KgStore
from kg.validate import document_graph_names, validate_store

from .conftest import KG

KILLS = 20
ARTICLES = 16


def write_version(folder: Path, version: int) -> None:
    """Version 1 of each article, or version 2 where every article has changed."""
    folder.mkdir(exist_ok=True)
    for index in range(ARTICLES):
        text = article(7, index)
        if version == 2:
            text += "\nA paragraph added in the second version of this article.\n"
        (folder / f"article-{index:02d}.txt").write_text(text, encoding="utf-8")


def graphs_of(store: KgStore) -> dict[str, bytes]:
    return {g: export_bytes(store, "nq", graph=g) for g in document_graph_names(store)}


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, bytes]:
    """Every complete document graph either version can produce, by graph IRI."""
    found = {}
    for version in (1, 2):
        folder = tmp_path_factory.mktemp(f"v{version}") / "docs"
        write_version(folder, version)
        store = KgStore(None)
        build([folder], store)
        # file names differ between the reference folders: compare without them
        found.update({g: _without_files(data) for g, data in graphs_of(store).items()})
    return found


def _document_ids(folder: Path, version: int) -> set[str]:
    write_version(folder, version)
    store = KgStore(None)
    build([folder], store)
    return set(store.documents())


def _without_files(nquads: bytes) -> bytes:
    return b"\n".join(line for line in nquads.splitlines() if b"#sourceFile>" not in line)


def test_builds_killed_at_random_moments_never_leave_half_a_document(tmp_path, references):
    corpus, store_path = tmp_path / "docs", tmp_path / "store"
    write_version(corpus, 1)
    build([corpus], KgStore(store_path))
    rng = random.Random(20261125)
    survived, mid_build = 0, 0
    versions = {v: _document_ids(tmp_path / f"ids{v}", v) for v in (1, 2)}
    # Kill within the time a whole rebuild takes here, so the odds of landing in the
    # writes do not depend on how loaded the machine is.
    write_version(corpus, 2)
    began = time.perf_counter()
    subprocess.run([KG, "--store", str(store_path), "build", str(corpus), "-q"], check=True)
    whole = time.perf_counter() - began
    for kill in range(KILLS):
        write_version(corpus, 1 if kill % 2 == 0 else 2)  # the store holds version 2
        process = subprocess.Popen(
            [KG, "--store", str(store_path), "build", str(corpus), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.4, 1.05) * whole)
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = KgStore(store_path)  # opens (and recovers) after the kill
        assert validate_store(store).conforms, f"kill {kill}"
        for graph, data in graphs_of(store).items():
            assert _without_files(data) == references[graph], f"kill {kill}: {graph} is partial"
        files = [f for d in store.documents().values() for f in d.files]
        assert len(files) == len(set(files)), f"kill {kill}: a file maps to two documents"
        stored = set(store.documents())
        mid_build += stored not in (versions[1], versions[2])  # some updated, some not yet
        del store
        survived += 1
    print(f"\n{survived} kills survived, {mid_build} of them in the middle of writing")
    assert survived == KILLS and mid_build >= 3
    finished = subprocess.run([KG, "--store", str(store_path), "build", str(corpus), "-q"])
    assert finished.returncode == 0
    store = KgStore(store_path)
    assert len(store.documents()) == ARTICLES
    assert {g: _without_files(d) for g, d in graphs_of(store).items()}.items() <= references.items()


INGEST = """
import sys
from pyoxigraph import Literal, NamedNode, Quad
from kg.store import KgStore

store = KgStore(sys.argv[1])
graphs = [store.iris.graph(f"new{index}") for index in range(int(sys.argv[3]))]
quads = [
    Quad(NamedNode(f"urn:x:node{i // 7}"), NamedNode(f"urn:x:p{i % 7}"),
         Literal(f"statement {i} of the batch"), NamedNode(graphs[i % len(graphs)]))
    for i in range(int(sys.argv[2]))
]
print("ingesting", flush=True)
store.insert_new_graphs(quads)
print("ingested", flush=True)
"""
INGEST_QUADS, INGEST_GRAPHS, INGEST_KILLS = 120_000, 16, 8


def _ingest(store_path: Path) -> subprocess.Popen:
    arguments = [str(store_path), str(INGEST_QUADS), str(INGEST_GRAPHS)]
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST, *arguments], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline() == "ingesting\n"
    return process


def test_new_graphs_killed_while_they_are_ingested_land_all_or_none(tmp_path):
    """The new documents of a batch are written in one ingestion: a process killed at
    any moment of it leaves every one of their graphs whole, or none of them."""
    whole = _ingest(tmp_path / "whole")
    began = time.perf_counter()
    assert whole.stdout.readline() == "ingested\n"
    seconds = time.perf_counter() - began
    whole.wait()
    every = KgStore(tmp_path / "whole", read_only=True).quad_count()  # with shared copies
    assert every > INGEST_QUADS
    rng = random.Random(20261203)
    outcomes: dict[int, int] = {}
    for kill in range(INGEST_KILLS):
        store_path = tmp_path / f"store{kill}"
        process = _ingest(store_path)
        time.sleep(rng.uniform(0.2, 1.6) * seconds)
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = KgStore(store_path)  # opens (and recovers) after the kill
        stored = store.quad_count()
        assert stored in (0, every), f"kill {kill}: {stored} of {every} quads"
        outcomes[stored] = outcomes.get(stored, 0) + 1
        del store
    print(f"\nkills leaving no quad, or all: {outcomes}")
    assert outcomes.get(0) and outcomes.get(every), "the kills did not straddle the write"


def test_an_interrupted_export_never_leaves_a_truncated_file(tmp_path):
    corpus, store_path = tmp_path / "docs", tmp_path / "store"
    write_version(corpus, 1)
    build([corpus], KgStore(store_path))
    target = tmp_path / "graph.jsonld"
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen(
            [KG, "--store", str(store_path), "export", "-o", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if target.exists():
            assert target.read_bytes() == export_bytes(
                KgStore(store_path, read_only=True), "jsonld"
            )
