"""Exports: standard syntaxes that other implementations read back, identical bytes every time."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

import kg.dump
import kg.jsonld
import kg.sortlines
from kg.build import build
from kg.cli import main
from kg.errors import KgError
from kg.export import EXPORT_FORMATS, export_bytes, format_for
from kg.store import KgStore

RDFLIB_NAMES = {"turtle": "turtle", "nt": "nt", "xml": "xml", "trig": "trig", "nq": "nquads"}


def json_bytes(document: dict) -> bytes:
    """A JSON-LD document as exports write it, all at once."""
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def store_graph(store: KgStore) -> rdflib.Graph:
    return rdflib.Graph().parse(data=export_bytes(store, "nt"), format="nt")


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_is_byte_identical_across_runs(seed_store, fmt):
    assert export_bytes(seed_store, fmt) == export_bytes(seed_store, fmt)


def test_two_stores_built_from_the_same_files_export_the_same_bytes(
    tmp_path, seed_corpus, seed_store
):
    other = KgStore(tmp_path / "other")
    build([seed_corpus], other)
    assert export_bytes(other, "turtle") == export_bytes(seed_store, "turtle")
    assert export_bytes(other, "jsonld") == export_bytes(seed_store, "jsonld")


@pytest.mark.parametrize("fmt", ["turtle", "xml", "trig", "nq"])
def test_rdflib_reads_the_export_back_to_the_same_graph(seed_store, fmt):
    if fmt in {"trig", "nq"}:
        dataset = rdflib.Dataset()
        dataset.parse(data=export_bytes(seed_store, fmt), format=RDFLIB_NAMES[fmt])
        parsed = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            parsed.add((s, p, o))
    else:
        parsed = rdflib.Graph().parse(data=export_bytes(seed_store, fmt), format=RDFLIB_NAMES[fmt])
    assert isomorphic(parsed, store_graph(seed_store))


def test_jsonld_expands_to_the_same_graph_with_the_local_context(seed_store):
    document = json.loads(export_bytes(seed_store, "jsonld"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    parsed = rdflib.Graph().parse(data=nquads, format="nquads")
    assert isomorphic(parsed, store_graph(seed_store))


def document_graphs_only(store: KgStore) -> rdflib.Graph:
    shared = {store.ontology_graph, store.reference_graph}
    graph = rdflib.Graph()
    for name in store.graph_names():
        if name not in shared:
            graph.parse(data=export_bytes(store, "nt", graph=name), format="nt")
    return graph


def test_document_frame_expands_to_exactly_the_documents_triples(seed_store):
    framed = json.loads(export_bytes(seed_store, "jsonld", frame="document"))
    nquads = jsonld.to_rdf(framed, {"format": "application/n-quads"})
    parsed = rdflib.Graph().parse(data=nquads, format="nquads")
    assert isomorphic(parsed, document_graphs_only(seed_store))


def test_document_frame_is_one_object_per_article_with_its_claims_nested(seed_store):
    framed = json.loads(export_bytes(seed_store, "jsonld", frame="document"))
    articles = framed["@graph"]
    assert sorted(a["id"] for a in articles) == sorted(seed_store.documents())
    for article in articles:
        rows = seed_store.query(
            "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ?kind ; pk:evidence/pk:inDocument "
            f"<{article['id']}> . VALUES ?kind {{ pk:Claim pk:Quotation }} }}"
        )
        assert len(article["claims"]) == int(next(iter(rows))["n"].value)
        spans = [c["evidence"] for c in article["claims"] if isinstance(c["evidence"], dict)]
        assert [s["start"] for s in spans] == sorted(s["start"] for s in spans)  # reading order
        assert all(s["inDocument"] == article["id"] for s in spans)


def test_document_frame_is_byte_identical_across_stores(tmp_path, seed_corpus, seed_store):
    other = KgStore(tmp_path / "other")
    build([seed_corpus], other)
    framed = export_bytes(other, "jsonld", frame="document")
    assert framed == export_bytes(seed_store, "jsonld", frame="document")


def test_cli_writes_the_document_frame(runner, tmp_path, seed_corpus):
    store = str(tmp_path / "store")
    runner.invoke(main, ["--store", store, "build", str(seed_corpus), "-q"])
    out = tmp_path / "articles.jsonld"
    result = runner.invoke(
        main, ["--store", store, "export", "--frame", "document", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["@graph"]) == 3
    wrong = runner.invoke(
        main, ["--store", store, "export", "--frame", "document", "-o", str(tmp_path / "a.ttl")]
    )
    assert wrong.exit_code == 2 and "only with JSON-LD" in wrong.output


def test_document_frame_is_only_for_jsonld(seed_store):
    with pytest.raises(KgError, match="only with JSON-LD"):
        export_bytes(seed_store, "turtle", frame="document")


def test_jsonld_reads_as_plain_json_keys(seed_store):
    document = json.loads(export_bytes(seed_store, "jsonld"))
    citations = [n for n in document["@graph"] if n.get("type") == "Citation"]
    assert len(citations) == 20
    assert all("marker" in c and "citingSentence" in c for c in citations)


@pytest.mark.parametrize(
    ("output", "fmt"),
    [
        ("g.ttl", "turtle"),
        ("g.jsonld", "jsonld"),
        ("g.nq", "nq"),
        ("g.rdf", "xml"),
        ("-", "turtle"),
    ],
)
def test_format_is_guessed_from_the_extension(output, fmt):
    assert format_for(output, None) == fmt


def test_export_to_file_via_cli(runner, tmp_path, seed_corpus):
    store = str(tmp_path / "s")
    runner.invoke(main, ["--store", store, "build", str(seed_corpus)])
    result = runner.invoke(
        main, ["--store", store, "export", "-o", str(tmp_path / "out" / "g.jsonld")]
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "g.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_one_document_graph_can_be_exported(seed_store):
    [document] = [d for d in seed_store.documents().values() if "004_" in d.files[0]]
    data = export_bytes(seed_store, "nt", graph=document.graph)
    assert b"United States Institute of Peace" in data and b"Theresa Lou" not in data


def test_unknown_extension_asks_for_format():
    from kg.errors import KgError

    with pytest.raises(KgError, match="use --format"):
        format_for("graph.docx", None)


def odd_store() -> KgStore:
    """A store with what the seed lacks: a triple in the default graph and in a named one,
    blank nodes shared by two graphs, and literals and IRIs that contain "_:"."""
    from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad

    store = KgStore(None)
    p, g1, g2 = (NamedNode(f"urn:{n}") for n in ("p", "g1", "g2"))
    blank = BlankNode("b")
    for graph in (DefaultGraph(), g1):
        store.oxigraph.add(Quad(NamedNode("urn:a"), p, Literal("x"), graph))
    for graph in (g1, g2):
        store.oxigraph.add(Quad(blank, p, Literal("_:not-a-node"), graph))
        store.oxigraph.add(Quad(NamedNode("urn:c"), p, blank, graph))
    store.oxigraph.add(Quad(NamedNode("urn:x_:y"), p, Literal("a _:b c", language="en"), g2))
    store.oxigraph.add(Quad(NamedNode("urn:d"), p, Literal("in no named graph"), DefaultGraph()))
    return store


@pytest.mark.parametrize("which", ["seed", "odd"])
@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "nq", "xml"])
def test_pyoxigraph_reads_the_export_back_to_the_stores_quads(seed_store, fmt, which):
    """A second implementation (Oxigraph's parsers) reads every text syntax back, unchanged."""
    from pyoxigraph import CanonicalizationAlgorithm, Dataset, DefaultGraph, Quad, RdfFormat, parse

    seed_store = seed_store if which == "seed" else odd_store()
    formats = {
        "turtle": RdfFormat.TURTLE,
        "trig": RdfFormat.TRIG,
        "nt": RdfFormat.N_TRIPLES,
        "nq": RdfFormat.N_QUADS,
        "xml": RdfFormat.RDF_XML,
    }
    parsed = Dataset(parse(export_bytes(seed_store, fmt), formats[fmt]))
    stored = list(seed_store.oxigraph)
    if fmt not in {"trig", "nq"}:  # triple syntaxes hold the union of the graphs
        stored = [Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in stored]
    expected = Dataset(stored)
    for dataset in (parsed, expected):
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    assert parsed == expected


def test_exported_files_are_readable_by_others_as_umask_allows(tmp_path):
    import os
    import stat

    from kg.export import write_export

    previous = os.umask(0o022)
    try:
        write_export(b"data", str(tmp_path / "out.ttl"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.ttl").stat().st_mode) == 0o644


@pytest.fixture
def read_by_workers(monkeypatch, seed_store):
    """Worker processes read even the seed store (three documents) for its exports."""
    monkeypatch.setattr(kg.dump, "MIN_DOCUMENT_GRAPHS", 1)
    assert kg.dump.in_workers(seed_store, 2) == 2
    return seed_store


@pytest.mark.parametrize(
    ("fmt", "frame"), [("nq", None), ("nt", None), ("jsonld", "document")], ids=str
)
def test_worker_processes_export_the_bytes_one_process_exports(read_by_workers, fmt, frame):
    one = export_bytes(read_by_workers, fmt, frame=frame, jobs=1)
    assert export_bytes(read_by_workers, fmt, frame=frame, jobs=2) == one


def test_a_graph_the_workers_cannot_see_is_exported_from_this_processs_view(
    read_by_workers, monkeypatch
):
    listed = kg.dump._document_graphs
    later = read_by_workers.iris.graph("removed-after-this-process-looked")
    monkeypatch.setattr(kg.dump, "_document_graphs", lambda store: [*listed(store), later])
    one = export_bytes(read_by_workers, "nq", jobs=1)
    assert export_bytes(read_by_workers, "nq", jobs=2) == one


def test_a_store_in_memory_or_with_few_documents_is_read_in_this_process(seed_store):
    assert kg.dump.in_workers(seed_store, 2) == 0  # three documents
    assert kg.dump.in_workers(KgStore(None), 2) == 0


@pytest.mark.parametrize(
    ("fmt", "frame"), [*((fmt, None) for fmt in sorted(EXPORT_FORMATS)), ("jsonld", "document")]
)
def test_an_export_sorted_in_runs_on_disk_is_the_bytes_of_one_sorted_in_memory(
    seed_store, monkeypatch, fmt, frame
):
    in_memory = export_bytes(seed_store, fmt, frame=frame)
    monkeypatch.setattr(kg.sortlines, "RUN_LINES", 1_000)  # the seed store: about 12 runs
    assert export_bytes(seed_store, fmt, frame=frame) == in_memory


def test_an_export_to_standard_output_is_the_bytes_written_to_a_file(tmp_path, seed_store):
    command = [str(Path(sys.executable).parent / "kg"), "--store", str(seed_store.path), "export"]
    printed = subprocess.run([*command, "--format", "nq"], capture_output=True, check=True)
    subprocess.run([*command, "-o", str(tmp_path / "graph.nq")], capture_output=True, check=True)
    assert printed.stdout == (tmp_path / "graph.nq").read_bytes() == export_bytes(seed_store, "nq")


@pytest.mark.parametrize("run_lines", [None, 1_000], ids=["in memory", "in runs on disk"])
def test_streamed_json_ld_is_the_bytes_of_the_whole_graph_compacted_at_once(
    seed_store, monkeypatch, run_lines
):
    from pyoxigraph import RdfFormat, Triple, parse

    from kg.export import context
    from kg.jsonld import compact

    if run_lines:
        monkeypatch.setattr(kg.sortlines, "RUN_LINES", run_lines)
    nt = export_bytes(seed_store, "nt")
    triples = [Triple(q.subject, q.predicate, q.object) for q in parse(nt, RdfFormat.N_QUADS)]
    assert export_bytes(seed_store, "jsonld") == json_bytes(compact(triples, context()))
    assert export_bytes(KgStore(None), "jsonld") == json_bytes(compact([], context()))


def test_streamed_json_ld_writes_every_kind_of_value_as_json_dumps_does():
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

    from kg.export import context
    from kg.jsonld import compact, write_compacted
    from kg.namespaces import PK, RDFS, XSD

    claim, other = NamedNode(PK + "x/claim"), NamedNode("urn:elsewhere:1")
    values = [
        Literal('Déclaration «commune»\n"quoted"\t\\', language="fr"),
        Literal("Joint statement", language="en"),
        Literal("plain"),
        Literal("42", datatype=NamedNode(XSD + "integer")),
        Literal("true", datatype=NamedNode(XSD + "boolean")),
        Literal("2018-03-08", datatype=NamedNode(XSD + "date")),
        Literal("1.5", datatype=NamedNode(XSD + "decimal")),
        BlankNode("b1"),
        other,
    ]
    triples = [Triple(claim, NamedNode(RDFS + "label"), value) for value in values]
    triples += [Triple(claim, NamedNode("urn:p:odd"), value) for value in values[:1]]
    triples += [Triple(other, NamedNode(PK + "startOffset"), values[3])]
    out = io.BytesIO()
    write_compacted(out, [Quad(t.subject, t.predicate, t.object) for t in triples], context())
    assert out.getvalue() == json_bytes(compact(triples, context()))


def test_workers_are_asked_only_a_few_chunks_ahead_of_the_reader():
    from multiprocessing.pool import ThreadPool

    started: list[int] = []
    with ThreadPool(2) as pool:
        answers = kg.dump._ahead(pool, lambda n: started.append(n) or n, list(range(100)), 4)
        assert next(answers) == 0
        time.sleep(0.2)  # time for the pool to run whatever it was asked
        assert len(started) <= 5
        assert list(answers) == list(range(1, 100))


def test_an_unknown_graph_is_refused_before_anything_is_written(seed_store):
    command = [str(Path(sys.executable).parent / "kg"), "--store", str(seed_store.path), "export"]
    result = subprocess.run(
        [*command, "--graph", "no-such-document", "--format", "jsonld"], capture_output=True
    )
    assert result.returncode == 2 and result.stdout == b""
    assert len(result.stderr.strip().splitlines()) == 1 and b"no graph" in result.stderr


@pytest.mark.parametrize("articles_ahead", [None, 1], ids=["in memory", "in runs on disk"])
def test_the_streamed_document_frame_is_the_bytes_of_all_articles_framed_at_once(
    seed_store, monkeypatch, articles_ahead
):
    from kg.export import context, document_graph_quads, graph_ordered_quads
    from kg.jsonld import frame_documents

    graphs = {
        i: triples
        for i, triples in enumerate(
            document_graph_quads(seed_store, graph_ordered_quads(seed_store))
        )
    }
    whole = json_bytes(frame_documents(graphs, context()))
    if articles_ahead:
        monkeypatch.setattr(kg.jsonld, "ARTICLES_AHEAD", articles_ahead)
    assert export_bytes(seed_store, "jsonld", frame="document") == whole
    assert len(json.loads(whole)["@graph"]) == 3
