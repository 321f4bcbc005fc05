"""The shared graph holds each actor's and question's description once, in step with
the document graphs through additions, replacements and removals."""

from __future__ import annotations

import shutil

from pyoxigraph import NamedNode, Triple

from kg.build import build
from kg.namespaces import SKOS, WD
from kg.shared import is_shared
from kg.store import KgStore

from .conftest import SEED_DOCUMENTS
from .test_build import ARTICLE


def shared_triples(store: KgStore) -> set[Triple]:
    graph = NamedNode(store.iris.shared_graph)
    return {
        Triple(q.subject, q.predicate, q.object)
        for q in store.oxigraph.quads_for_pattern(None, None, None, graph)
    }


def expected_shared(store: KgStore) -> set[Triple]:
    """Worked out from the document graphs, quad by quad, without the store's help."""
    return {
        Triple(q.subject, q.predicate, q.object) for q in store.oxigraph if is_shared(q, store.iris)
    }


def label_count(store: KgStore, label: str) -> int:
    pattern = f'?node rdfs:label "{label}"@en'
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH graph:shared {{ {pattern} }} }}")
    return int(next(iter(rows))["n"].value)


def test_a_label_named_by_every_document_is_stored_once_in_the_shared_graph(seed_store):
    assert label_count(seed_store, "North Korea") == 1
    everywhere = seed_store.query(
        'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?node rdfs:label "North Korea"@en } '
        "FILTER (?g != graph:reference) }"
    )
    assert int(next(iter(everywhere))["n"].value) == 1 + 3  # shared + each document graph


def test_the_shared_graph_is_exactly_what_the_document_graphs_describe(seed_store):
    assert shared_triples(seed_store) == expected_shared(seed_store) != set()


def test_a_replaced_document_takes_its_only_actors_out_of_the_shared_graph(tmp_path):
    store = KgStore(tmp_path / "store")
    article = tmp_path / "docs" / "a.txt"
    article.parent.mkdir()
    article.write_text(ARTICLE, encoding="utf-8")
    shutil.copy(SEED_DOCUMENTS / "004_a48409ce86208510.txt", tmp_path / "docs")
    build([tmp_path / "docs"], store)
    assert label_count(store, "Jane Q. Doe") == 1
    article.write_text(ARTICLE.replace("Jane Q. Doe", "Maria Okafor"), encoding="utf-8")
    assert build([tmp_path / "docs"], store).updated == 1
    assert label_count(store, "Jane Q. Doe") == 0
    assert label_count(store, "Maria Okafor") == 1
    assert label_count(store, "European Union") == 1  # still named by the new version
    assert shared_triples(store) == expected_shared(store)


def test_pruning_a_document_keeps_what_another_still_names(tmp_path):
    store = KgStore(tmp_path / "store")
    docs = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, docs)
    build([docs], store)
    (docs / "000_8aac468e15cb219e.txt").unlink()
    assert build([docs], store, prune=True).pruned == 1
    assert shared_triples(store) == expected_shared(store)
    assert label_count(store, "North Korea") == 1
    for doc in docs.iterdir():
        doc.unlink()
    build([docs], store, prune=True)
    assert shared_triples(store) == set()


def test_a_store_written_without_the_shared_graph_gets_it_at_the_next_build(tmp_path):
    store = KgStore(tmp_path / "store")
    build([SEED_DOCUMENTS], store)
    before = shared_triples(store)
    store.update("DROP GRAPH graph:shared")
    assert shared_triples(store) == set()
    summary = build([SEED_DOCUMENTS], store)
    assert summary.skipped == 3
    assert shared_triples(store) == before


def test_a_saved_query_on_a_store_without_the_shared_graph_says_to_rebuild(tmp_path, runner):
    from kg.cli import main

    store = KgStore(tmp_path / "store")
    build([SEED_DOCUMENTS], store)
    store.update("DROP GRAPH graph:shared")
    del store
    result = runner.invoke(main, ["--store", str(tmp_path / "store"), "query", "documents"])
    assert result.exit_code == 0
    assert "run `kg build` once" in result.stderr


def test_quads_added_to_a_document_later_reach_the_shared_graph(tmp_path):
    from pyoxigraph import Quad

    store = KgStore(tmp_path / "store")
    build([SEED_DOCUMENTS], store)
    graph = NamedNode(next(iter(store.documents().values())).graph)
    actor = NamedNode("https://w3id.org/policy-kg/id/person/wu-dawei")
    link = Quad(actor, NamedNode(SKOS + "exactMatch"), NamedNode(WD + "Q000000"), graph)
    store.add_quads([link])  # as `kg link --live` does
    assert Triple(link.subject, link.predicate, link.object) in shared_triples(store)
    store.remove_quads([link])
    assert shared_triples(store) == expected_shared(store)


def identity_links(store: KgStore, graph: str, only: str = "true") -> list[tuple[str, str]]:
    rows = store.query(
        f"SELECT ?link ?run WHERE {{ GRAPH {graph} {{ ?link a pk:IdentityLink ; "
        "pk:linksTo wd:Q423 . OPTIONAL { ?link pk:generatedBy ?run } } "
        f"FILTER ({only}) }}"
    )
    return sorted((r["link"].value, r["run"].value if r["run"] else "") for r in rows)


def test_documents_reaching_the_same_link_decision_share_one_record(seed_store):
    shared = identity_links(seed_store, "graph:shared")  # North Korea, Q423
    assert len(shared) == 1 and shared[0][1] == ""  # once, without the runs that made it
    in_documents = identity_links(seed_store, "?g", "STRSTARTS(STR(?g), STR(graph:doc))")
    assert {link for link, _ in in_documents} == {shared[0][0]}
    assert len({run for _, run in in_documents}) == 3  # each document says which run decided


def test_new_graphs_are_stored_term_for_term_whatever_their_characters(tmp_path):
    """New graphs reach the store as N-Quads text; every literal and IRI is stored as
    Oxigraph stores the term objects themselves (``Store.bulk_extend``): escapes, line
    breaks, non-Latin scripts, language tags, datatypes."""
    from pyoxigraph import Literal, Quad, Store

    from kg.rdfterms import english, offset

    store = KgStore(tmp_path / "store")
    graph = NamedNode(store.iris.graph("doc/tricky"))
    node = NamedNode(store.iris.document("tricky") + "/span/0-9")
    objects = [
        Literal('He said "no" \\ then\nleft\tat 3\r'),
        Literal(""),
        english("Ушаков — 習近平 — لبنان — 🇰🇵"),
        Literal("Kim", language="ko-Latn"),
        offset(1234),
        Literal("2018-06", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
        NamedNode("https://www.wikidata.org/wiki/Special:Search?q=K%C3%B6ln&x=ü"),
        Literal("\u0000\u001f\u007f\ufeff\u2028"),
    ]
    quads = [
        Quad(node, NamedNode(f"urn:x:p{index}"), obj, graph) for index, obj in enumerate(objects)
    ]
    store.insert_new_graphs(quads)
    reference = Store(str(tmp_path / "reference"))
    reference.bulk_extend(quads)
    stored = set(store.oxigraph.quads_for_pattern(None, None, None, graph))
    assert len(stored) == len(quads)
    assert stored == set(reference)


def test_new_graphs_with_blank_nodes_keep_the_blank_nodes_ids(tmp_path):
    from pyoxigraph import BlankNode, Quad

    store = KgStore(tmp_path / "store")
    shared, p = BlankNode("x"), NamedNode("urn:x:p")
    first = Quad(NamedNode("urn:x:a"), p, shared, NamedNode(store.iris.graph("doc/a")))
    second = Quad(shared, p, NamedNode("urn:x:b"), NamedNode(store.iris.graph("doc/b")))
    store.insert_new_graphs([first])
    store.insert_new_graphs([second])
    assert {first, second} <= set(store.oxigraph)


def test_shared_copies_read_off_n_quads_text_are_those_of_the_quads(tmp_path):
    """Build workers hand documents over as N-Quads text, and the shared copies are read
    off that text: the same copies as from the quads, whatever the objects hold (quotes,
    " <iri> ." inside a literal, language tags, datatypes) and whatever graph a quad is in."""
    from pyoxigraph import BlankNode, DefaultGraph, Literal, Quad, RdfFormat, serialize

    from kg.shared import GENERATED_BY, shared_lines, shared_quads

    iris = KgStore(None).iris
    doc_graph = NamedNode(iris.graph("a"))
    actor, label = NamedNode(iris.base + "actor/kim"), NamedNode(SKOS + "prefLabel")
    subjects = [actor, NamedNode(iris.document("a") + "/claim/1"), BlankNode("b1")]
    predicates = [label, NamedNode(GENERATED_BY)]
    objects = [
        Literal(f'a "quoted" <{doc_graph.value}> . end'),
        Literal(f"ends in a graph name <{doc_graph.value}>"),
        Literal("Kim", language="ko-Latn"),
        Literal("2018-06", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
        doc_graph,
        BlankNode("b2"),
        Literal('\\" <x> "'),
    ]
    graphs = [
        doc_graph,
        NamedNode(iris.shared_graph),
        NamedNode(iris.named_graph("enrichment")),
        DefaultGraph(),
    ]
    quads = [
        Quad(s, p, o, g) for s in subjects for p in predicates for o in objects for g in graphs
    ]
    text = serialize(quads, format=RdfFormat.N_QUADS)
    expected = serialize(shared_quads(quads, iris), format=RdfFormat.N_QUADS).splitlines()
    assert len(expected) == len(objects)  # the actor's label, each object once, in its graph
    assert shared_lines(text, iris) == expected


def test_new_graphs_handed_over_as_text_are_stored_as_the_quads_would_be(tmp_path):
    from pyoxigraph import Literal, Quad, RdfFormat, serialize

    as_text, as_quads = KgStore(tmp_path / "text"), KgStore(tmp_path / "quads")
    actor = NamedNode(as_text.iris.base + "actor/kim")
    label = NamedNode(SKOS + "prefLabel")
    first, second = (NamedNode(as_text.iris.graph(name)) for name in "ab")
    batches = [
        [Quad(actor, label, Literal("Kim"), first)],
        [Quad(actor, label, Literal("Kim"), second), Quad(actor, label, Literal("K"), second)],
    ]
    written_text: set[bytes] = set()
    for batch in batches:
        as_text.insert_new_graphs(serialize(batch, format=RdfFormat.N_QUADS), written_text)
        as_quads.insert_new_graphs(batch, set())
    assert set(as_text.oxigraph) == set(as_quads.oxigraph)
    assert len(shared_triples(as_text)) == 2
    assert len(written_text) == 2


def test_new_graphs_holding_a_triple_term_keep_its_shared_copy(tmp_path):
    from pyoxigraph import Literal, Quad, RdfFormat, Triple, serialize

    store = KgStore(tmp_path / "store")
    actor, said = NamedNode(store.iris.base + "actor/kim"), NamedNode("urn:x:said")
    statement = Triple(actor, said, Literal("no"))
    quad = Quad(actor, said, statement, NamedNode(store.iris.graph("a")))
    store.insert_new_graphs(serialize([quad], format=RdfFormat.N_QUADS), set())
    assert shared_triples(store) == {Triple(actor, said, statement)}
