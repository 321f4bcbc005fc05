"""Live linking against a real Oxigraph SPARQL server on 127.0.0.1 holding the reference data.

Nothing here reaches the internet: the server is started by the fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.live import LiveLinker, link_store
from kg.store import KgStore

from .conftest import ROOT
from .servers import OxigraphServer, free_port, needs_oxigraph

REFERENCE_TTL = ROOT / "data" / "reference" / "wikidata.ttl"

pytestmark = needs_oxigraph


@pytest.fixture
def server(tmp_path):
    running = OxigraphServer(tmp_path / "server", load=REFERENCE_TTL)
    yield running
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
