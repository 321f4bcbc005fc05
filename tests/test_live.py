"""Live linking against a real Oxigraph SPARQL server on 127.0.0.1 holding the reference data.

Nothing here reaches the internet: the server is started by the fixture.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.live import LiveLinker, link_store
from kg.store import KgStore

from .conftest import ROOT

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
REFERENCE_TTL = ROOT / "data" / "reference" / "wikidata.ttl"

pytestmark = pytest.mark.skipif(
    not OXIGRAPH.exists() and not shutil.which("oxigraph"),
    reason="the oxigraph server (PyPI package 'oxigraph') is not installed",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """An Oxigraph server process serving the reference data read-only."""

    def __init__(self, folder: Path):
        self.binary = str(OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph"))
        self.folder, self.port = folder, free_port()
        subprocess.run(
            [self.binary, "load", "--location", str(folder), "--file", str(REFERENCE_TTL)],
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve-read-only",
                "--location",
                str(folder),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def _wait(self) -> None:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("oxigraph server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "server")
    yield running
    if running.process.poll() is None:
        running.stop()


def offline_links(store: KgStore) -> set[tuple[str, str]]:
    found = store.query("SELECT DISTINCT ?node ?entity WHERE { ?node skos:exactMatch ?entity }")
    return {(row["node"].value, row["entity"].value) for row in found}


def unlinked_store(path: Path, corpus: Path) -> KgStore:
    store = KgStore(path)
    build([corpus], store, link=False)
    return store


def test_live_links_equal_offline_links_for_reference_entities(tmp_path, seed_corpus, server):
    offline = KgStore(tmp_path / "offline")
    build([seed_corpus], offline)
    live = unlinked_store(tmp_path / "live", seed_corpus)
    report = link_store(live, LiveLinker(server.url, tmp_path / "cache.json"))
    assert report.unreachable is None
    assert offline_links(live) == offline_links(offline)


def test_cache_answers_everything_once_the_server_is_stopped(tmp_path, seed_corpus, server):
    cache = tmp_path / "cache.json"
    first = LiveLinker(server.url, cache)
    link_store(unlinked_store(tmp_path / "a", seed_corpus), first)
    server.stop()
    again = LiveLinker(server.url, cache)
    store = unlinked_store(tmp_path / "b", seed_corpus)
    report = link_store(store, again)
    assert first.requests > 0 and again.requests == 0
    assert report.unreachable is None and report.linked


def test_unreachable_endpoint_is_reported_once_and_leaves_actors_unlinked(tmp_path, seed_corpus):
    linker = LiveLinker(f"http://127.0.0.1:{free_port()}/query", tmp_path / "c.json", retries=0)
    store = unlinked_store(tmp_path / "s", seed_corpus)
    report = link_store(store, linker)
    assert "unreachable" in report.unreachable
    assert "Xi Jinping" in report.unlinked
    assert offline_links(store) == set()
