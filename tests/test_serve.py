"""`kg serve`: a real SPARQL endpoint on 127.0.0.1 over a built store, queried by SPARQLWrapper."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.build import build
from kg.store import KgStore

KG = str(Path(sys.executable).parent / "kg")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, seed_corpus):
    store_path = tmp_path_factory.mktemp("served") / "store"
    store = KgStore(store_path)
    build([seed_corpus], store)
    del store  # the server opens the directory itself
    process, port = start_serving(store_path)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def start_serving(store_path) -> tuple[subprocess.Popen, int]:
    """`kg serve` on a free port, once it listens."""
    port = free_port()
    process = subprocess.Popen(
        [KG, "--store", str(store_path), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, port
        time.sleep(0.05)
    process.kill()
    pytest.fail("kg serve never listened")


def test_served_store_answers_sparql_over_the_union_of_graphs(endpoint):
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery(
        "PREFIX pk: <https://w3id.org/policy-kg/ontology#> "
        "SELECT (COUNT(?c) AS ?n) WHERE { ?c a pk:Citation }"
    )
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "20"


def test_served_store_is_read_only_by_default(endpoint):
    client = SPARQLWrapper(f"{endpoint}/query", updateEndpoint=f"{endpoint}/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()


def test_stopping_kg_serve_stops_the_server(seed_store):
    process, port = start_serving(seed_store.path)
    process.terminate()
    process.wait(timeout=10)
    time.sleep(0.2)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing is left listening
