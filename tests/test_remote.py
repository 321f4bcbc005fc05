"""A remote store: builds, queries, exports, stats and validation against a real Oxigraph
server on 127.0.0.1 give what the embedded store gives."""

from __future__ import annotations

import shutil

import pytest

from kg.build import build
from kg.cli import main
from kg.export import export_bytes
from kg.query import saved_queries
from kg.remote import RemoteStore
from kg.stats import store_stats
from kg.store import KgStore
from kg.validate import validate_store

from .servers import OxigraphServer, free_port, needs_oxigraph

pytestmark = needs_oxigraph


@pytest.fixture
def server(tmp_path):
    running = OxigraphServer(tmp_path / "server", writable=True)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def remote_seed(tmp_path_factory, seed_corpus):
    """A server filled by building the seed corpus through the Graph Store Protocol."""
    running = OxigraphServer(tmp_path_factory.mktemp("remote") / "server", writable=True)
    summary = build([seed_corpus], RemoteStore(running.url))
    assert summary.added == 3 and summary.failed == 0, summary.errors
    yield RemoteStore(running.url)
    running.stop()


def test_remote_build_holds_the_same_quads_as_the_embedded_build(remote_seed, seed_store):
    assert export_bytes(remote_seed, "nq") == export_bytes(seed_store, "nq")


def test_every_document_is_its_own_named_graph_on_the_server(remote_seed, seed_store):
    assert remote_seed.graph_names() == seed_store.graph_names()
    assert sorted(remote_seed.documents()) == sorted(seed_store.documents())


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_answer_the_same_remotely(remote_seed, seed_store, name):
    text = saved_queries()[name].text
    assert rows(remote_seed.query(text)) == rows(seed_store.query(text))


def test_stats_and_validation_agree_with_the_embedded_store(remote_seed, seed_store):
    assert store_stats(remote_seed) == store_stats(seed_store)
    remote, embedded = validate_store(remote_seed), validate_store(seed_store)
    assert remote.conforms and embedded.conforms
    assert remote.violations == embedded.violations


def test_rebuild_skips_unchanged_documents_remotely(remote_seed, seed_corpus):
    summary = build([seed_corpus], remote_seed)
    assert (summary.added, summary.updated, summary.skipped) == (0, 0, 3)


def test_a_changed_document_replaces_its_graph_on_the_server(tmp_path, seed_corpus, server):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    remote = RemoteStore(server.url)
    build([corpus], remote)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line.\n")
    summary = build([corpus], remote)
    assert (summary.updated, summary.skipped) == (1, 2)
    embedded = KgStore(tmp_path / "embedded")
    build([corpus], embedded)
    assert export_bytes(remote, "nq") == export_bytes(embedded, "nq")


def test_two_builders_fill_one_server(tmp_path, seed_corpus, seed_store, server):
    files = sorted(p for p in seed_corpus.iterdir() if p.suffix in (".txt", ".html", ".md"))
    build(files[:1], RemoteStore(server.url))
    build(files[1:], RemoteStore(server.url))
    assert export_bytes(RemoteStore(server.url), "nq") == export_bytes(seed_store, "nq")


def test_cli_commands_take_an_endpoint(runner, tmp_path, seed_corpus, server):
    built = runner.invoke(main, ["build", str(seed_corpus), "-q", "--endpoint", server.url])
    assert built.exit_code == 0, built.output
    assert "3 added" in built.output
    counted = runner.invoke(main, ["stats", "--format", "json", "--endpoint", server.url])
    assert '"documents": 3' in counted.output
    listed = runner.invoke(
        main,
        [
            "query",
            "SELECT ?d WHERE { ?d a pk:Document }",
            "--format",
            "csv",
            "--endpoint",
            server.url,
        ],
    )
    assert listed.exit_code == 0 and len(listed.output.strip().splitlines()) == 4
    checked = runner.invoke(main, ["validate", "--endpoint", server.url])
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "graph.nt"
    exported = runner.invoke(main, ["export", "-o", str(out), "--endpoint", server.url])
    assert exported.exit_code == 0, exported.output
    assert "<https://w3id.org/policy-kg/ontology#Document>" in out.read_text(encoding="utf-8")


def test_an_unreachable_endpoint_is_one_clean_error(runner, seed_corpus):
    url = f"http://127.0.0.1:{free_port()}/query"
    result = runner.invoke(main, ["stats", "--endpoint", url])
    assert result.exit_code == 2
    assert url in result.output and "unreachable" in result.output
    assert "Traceback" not in result.output


def test_a_query_error_from_the_server_is_one_clean_error(runner, server):
    result = runner.invoke(main, ["query", "SELECT ?x WHERE { ?x", "--endpoint", server.url])
    assert result.exit_code == 2
    assert "HTTP 400" in result.output and "Traceback" not in result.output


def rows(result) -> list[tuple]:
    if isinstance(result, bool) or not hasattr(result, "variables"):
        return [bool(result)]
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result)
