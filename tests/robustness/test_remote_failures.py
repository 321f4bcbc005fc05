"""Endpoints that time out, fail, answer HTML or drop the connection: retried with backoff,
then one clear error; a remote store never keeps half a document's graph."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.build import build
from kg.errors import KgError
from kg.export import export_bytes
from kg.httpclient import EndpointUnavailable
from kg.live import LiveLinker
from kg.remote import RemoteStore
from kg.store import KgStore

from ..servers import OxigraphServer, needs_oxigraph

RESULTS = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"1"}}]}}'


class Misbehaving(BaseHTTPRequestHandler):
    """Answers according to the server's script: one behaviour per request, the last repeated."""

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self):
        server = self.server
        behaviour = server.script[min(server.count, len(server.script) - 1)]
        server.count += 1
        if behaviour == "500":
            self._send(500, "text/plain", b"internal error")
        elif behaviour == "html":
            self._send(200, "text/html", b"<html><body>Maintenance</body></html>")
        elif behaviour == "drop":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(RESULTS)))
            self.end_headers()
            self.wfile.write(RESULTS[:20])
            self.wfile.flush()
            self.connection.shutdown(2)
        elif behaviour == "slow":
            threading.Event().wait(2)
            self._send(200, "application/sparql-results+json", RESULTS)
        else:
            self._send(200, "application/sparql-results+json", RESULTS)

    def _send(self, status, media_type, body):
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    servers = []

    def start(*script: str) -> tuple[str, ThreadingHTTPServer]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
        server.script, server.count = list(script), 0
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query", server

    yield start
    for server in servers:
        server.shutdown()


def remote(url: str) -> RemoteStore:
    store = RemoteStore(url, timeout=0.5, retries=2)
    store.http.backoff = 0.01
    store._graphs = []  # the misbehaving server knows no graphs; ask only the query
    return store


def test_transient_failures_are_retried_until_an_answer(endpoint):
    url, server = endpoint("500", "drop", "ok")
    rows = list(remote(url).query("SELECT ?n WHERE { ?s ?p ?n }"))
    assert rows[0]["n"].value == "1" and server.count == 3


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("500", "HTTP 500"),
        ("html", "answered text/html, expected"),
        ("drop", "unreachable"),
        ("slow", "unreachable"),
    ],
    ids=["server-error", "html-instead-of-results", "dropped-connection", "timeout"],
)
def test_a_failing_endpoint_ends_in_one_clear_error(endpoint, behaviour, message):
    url, server = endpoint(behaviour)
    with pytest.raises(EndpointUnavailable, match=message) as raised:
        list(remote(url).query("SELECT ?n WHERE { ?s ?p ?n }"))
    assert url in str(raised.value) and "\n" not in str(raised.value)
    assert server.count == (1 if behaviour == "html" else 3)  # errors that can pass are retried


@pytest.mark.parametrize("behaviour", ["500", "html", "drop"])
def test_live_linking_reports_a_failing_endpoint_cleanly(tmp_path, endpoint, behaviour):
    url, _ = endpoint(behaviour)
    linker = LiveLinker(url, tmp_path / "cache.json", timeout=0.5, retries=1)
    with pytest.raises(KgError):
        linker.select("SELECT ?item WHERE { ?item ?p ?o }")
    assert not (tmp_path / "cache.json").exists()  # nothing half-answered is cached


class Proxy(BaseHTTPRequestHandler):
    """Forwards to a real server, but drops every Graph Store PUT of a chosen graph."""

    def _forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        if self.command == "PUT" and self.server.refuse in self.path:
            self.connection.shutdown(2)  # the request never reaches the server
            return
        kept = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        request = urllib.request.Request(
            self.server.target + self.path, data=body, method=self.command, headers=kept
        )
        try:
            with urllib.request.urlopen(request) as answer:
                status, headers, data = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        self.send_response(status)
        self.send_header("Content-Type", headers.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _forward

    def log_message(self, *args):
        pass


@needs_oxigraph
def test_a_write_that_never_arrives_leaves_no_partial_graph(tmp_path, seed_corpus, seed_store):
    server = OxigraphServer(tmp_path / "server", writable=True)
    try:
        files = sorted(p for p in seed_corpus.iterdir() if p.suffix == ".txt")
        refused = KgStore(None)
        build(files[1:2], refused)
        [graph] = [d.graph for d in refused.documents().values()]
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
        proxy.target = f"http://127.0.0.1:{server.port}"
        proxy.refuse = urllib.parse.quote(graph, safe="")
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        through = RemoteStore(f"http://127.0.0.1:{proxy.server_address[1]}/query", retries=1)
        through.http.backoff = 0.01
        with pytest.raises(EndpointUnavailable):
            build(files, through)
        direct = RemoteStore(server.url)
        assert graph not in direct.graph_names()  # nothing of the refused document
        for name in direct.graph_names():  # and what is there is complete
            if "/graph/doc/" in name:
                assert export_bytes(direct, "nq", graph=name) == export_bytes(
                    seed_store, "nq", graph=name
                )
        proxy.shutdown()
    finally:
        server.stop()
