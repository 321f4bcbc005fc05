"""Untrusted queries and documents reach nothing they should not."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld
from pyoxigraph import NamedNode, RdfFormat, parse

from kg.cli import main
from kg.export import export_bytes
from kg.ids import Iris
from kg.serve import DEFAULT_BIND, serve_command
from kg.store import KgStore


class Listener:
    """A TCP socket on 127.0.0.1 that records whether anybody connected."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(1)
        self.socket.settimeout(3)
        self.connected = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"

    def _accept(self):
        try:
            connection, _ = self.socket.accept()
            self.connected = True
            connection.close()
        except OSError:
            pass


def test_service_to_another_endpoint_is_refused_and_never_contacted(runner, built):
    listener = Listener()
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    result = runner.invoke(main, ["--store", built, "query", query])
    assert result.exit_code == 2 and "--allow-service" in result.output
    listener.thread.join(timeout=1)
    assert not listener.connected


def test_exported_jsonld_carries_its_context_and_never_needs_the_web(built):
    document = json.loads(export_bytes(KgStore(built, read_only=True), "jsonld"))
    assert isinstance(document["@context"], dict)  # inline, not a URL

    def no_web(url, options=None):
        raise AssertionError(f"tried to fetch {url}")

    expanded = jsonld.expand(document, {"documentLoader": no_web})
    assert expanded


def test_jsonld_with_a_remote_context_fails_cleanly_without_fetching():
    listener = Listener()
    document = json.dumps({"@context": listener.url, "@id": "urn:x", "name": "X"})
    with pytest.raises(SyntaxError):
        list(parse(document, format=RdfFormat.JSON_LD))
    listener.thread.join(timeout=1)
    assert not listener.connected


def test_html_external_entities_are_never_resolved(runner, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "page.html").write_text(
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<html><body><p>Egypt and Ethiopia met in Khartoum on Monday. &xxe;</p></body></html>",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert runner.invoke(main, ["--store", str(store), "build", str(folder), "-q"]).exit_code == 0
    assert b"TOP-SECRET-CONTENT" not in export_bytes(KgStore(store, read_only=True), "nq")


NAMES = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from(
        ['Jane "Q" <Doe>', "A\nB", "Ａｌｉｃｅ", "Аlice", "x" * 5000, "a b\tc", "{}|^`\\"]
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    name=NAMES, kind=st.sampled_from(["Person", "State", "Organization", "Place", "MediaOutlet"])
)
def test_any_name_becomes_a_valid_iri(name, kind):
    iri = Iris("https://w3id.org/policy-kg/id/").agent(kind, name)
    NamedNode(iri)  # raises on an invalid IRI
    assert len(iri) < 200
    assert not any(c in iri for c in ' <>"{}|^`\\\n\t')
    line = f"<{iri}> <urn:p> <urn:o> .\n"
    assert len(list(parse(line, format=RdfFormat.N_TRIPLES))) == 1


def test_serve_binds_to_localhost_and_is_read_only_by_default(built):
    command = serve_command(built)
    assert DEFAULT_BIND.startswith("127.0.0.1:")
    assert command[command.index("--bind") + 1] == DEFAULT_BIND
    assert "serve-read-only" in command and "serve" not in command


def test_a_served_store_refuses_updates(built):
    from ..servers import free_port

    port = free_port()
    command = serve_command(built, bind=f"127.0.0.1:{port}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not KgStore(built, read_only=True).query("ASK { <urn:a> <urn:b> <urn:c> }")
