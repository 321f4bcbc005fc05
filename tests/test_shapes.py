"""The SHACL shapes (ontology/shapes.ttl), pinned by one broken fixture per node shape.

``tests/data/shapes/<ShapeName>.ttl`` is a small graph that is valid in every respect
but one: it breaks exactly the node shape it is named after (its ``# breaks:`` line
says how). ``valid.ttl`` uses every class the shapes target and breaks nothing, not
even the title warning. A shape added without a fixture fails
``test_each_shape_has_a_fixture``; a fixture that trips a second shape, or a shape
whose constraint cannot fire, fails ``test_fixture_breaks_exactly_its_shape``.

The seed documents, built into a store, must conform as well.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SH

from kg.build import build
from kg.errors import KgError
from kg.fastvalidate import check_store
from kg.store import KgStore
from kg.validate import (
    ValidationReport,
    class_hierarchy,
    document_graph_names,
    validate_graph,
    validate_store,
)

ROOT = Path(__file__).resolve().parent.parent
SHAPES_TTL = ROOT / "ontology" / "shapes.ttl"
SEED_DOCUMENTS = ROOT / "data" / "documents"
FIXTURES = Path(__file__).resolve().parent / "data" / "shapes"
VALID = FIXTURES / "valid.ttl"

PKS = Namespace("https://w3id.org/policy-kg/shapes#")
WARNING_SHAPES = {"DocumentTitleShape"}
FIXTURE_DOCUMENT = "https://w3id.org/policy-kg/id/doc/d1"


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def node_shape_names() -> set[str]:
    node_shapes = shapes().subjects(RDF.type, SH.NodeShape)
    return {str(shape).removeprefix(str(PKS)) for shape in node_shapes}


def broken_fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.glob("*.ttl") if path != VALID)


def target_classes() -> list[URIRef]:
    return sorted(set(shapes().objects(None, SH.targetClass)))


@cache
def report(fixture: Path) -> ValidationReport:
    return validate_graph(Graph().parse(fixture, format="turtle"))


@cache
def message_patterns(shape_name: str) -> tuple[re.Pattern, ...]:
    """The ``sh:message`` templates of a node shape and of its property and SPARQL
    constraints, as patterns (a ``{?var}`` placeholder matches any text)."""
    shape = PKS[shape_name]
    owners = [shape, *shapes().objects(shape, SH.property), *shapes().objects(shape, SH.sparql)]
    templates = [str(m) for owner in owners for m in shapes().objects(owner, SH.message)]
    return tuple(
        re.compile(".+".join(map(re.escape, re.split(r"\{[?$]\w+\}", template))))
        for template in templates
    )


@cache
def valid_with_hierarchy() -> Graph:
    """valid.ttl plus what validate_graph adds: subclass links and the policy-type concepts."""
    graph = Graph().parse(VALID, format="turtle")
    for triple in class_hierarchy():
        graph.add(triple)
    return graph


INSTANCE_OF = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?node a/rdfs:subClassOf* ?target }
"""


def fixture_id(path: Path) -> str:
    return path.stem


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory) -> ValidationReport:
    """SHACL report of a store built from data/documents."""
    store = KgStore(tmp_path_factory.mktemp("shapes") / "store")
    summary = build([SEED_DOCUMENTS], store)
    assert summary.failed == 0, summary.errors
    return validate_store(store)


# ---------------------------------------------------------------- the valid fixture


def test_valid_fixture_conforms():
    """Not a single result, warnings included."""
    result = report(VALID)
    assert result.conforms
    assert [(v.shape, v.message) for v in result.violations] == []


@pytest.mark.parametrize("target", target_classes(), ids=lambda c: c.rsplit("#", 1)[-1])
def test_valid_fixture_has_an_instance_of(target):
    """valid.ttl gives every shape a focus node (through rdfs:subClassOf, as SHACL does)."""
    assert valid_with_hierarchy().query(INSTANCE_OF, initBindings={"target": target}).askAnswer


# ---------------------------------------------------------------- one broken fixture per shape


def test_each_shape_has_a_fixture():
    assert {path.stem for path in broken_fixtures()} == node_shape_names()


@pytest.mark.parametrize("fixture", broken_fixtures(), ids=fixture_id)
def test_fixture_breaks_exactly_its_shape(fixture):
    assert {v.shape for v in report(fixture).violations} == {fixture.stem}


@pytest.mark.parametrize("fixture", broken_fixtures(), ids=fixture_id)
def test_fixture_severity(fixture):
    """Violations everywhere except the missing title, which is a warning and still conforms."""
    warning = fixture.stem in WARNING_SHAPES
    result = report(fixture)
    assert {v.severity for v in result.violations} == {"Warning" if warning else "Violation"}
    assert result.conforms is warning


@pytest.mark.parametrize("fixture", broken_fixtures(), ids=fixture_id)
def test_fixture_messages_are_the_shapes_own(fixture):
    """Every result says what is wrong in the shape's own words, not a default message."""
    patterns = message_patterns(fixture.stem)
    messages = [v.message for v in report(fixture).violations]
    unexplained = [m for m in messages if not any(p.fullmatch(m) for p in patterns)]
    assert messages
    assert unexplained == []


def test_evidence_mismatch_points_at_the_span():
    """The SPARQL check quotes the wrong text and locates the span it claims to be."""
    (violation,) = report(FIXTURES / "EvidenceTextShape.ttl").violations
    assert (violation.document, violation.start, violation.end) == (FIXTURE_DOCUMENT, 0, 4)
    assert violation.value.endswith("/span/0-4")
    assert violation.message == (
        'The quoted text "Iraq" is not what the document says at offsets 0-4.'
    )


# ---------------------------------------------------------------- the seed corpus


def test_seed_graph_conforms(seed_report):
    assert seed_report.conforms
    assert [(v.shape, v.focus, v.message) for v in seed_report.errors] == []


# The in-store engine (shapes compiled to SPARQL) against pySHACL


def compiled_report(fixture: Path) -> list[tuple]:
    """The compiled checks' results on a fixture, loaded as the graph of its document d1
    (so the checks of document nodes run in memory, as on a built store)."""
    store = KgStore(None)
    store.ensure_ontology()
    graph = store.iris.graph("d1")
    store.oxigraph.load(path=str(fixture), format=RdfFormat.TURTLE, to_graph=NamedNode(graph))
    violations, _ = check_store(store, [graph])
    return results(violations)


def results(violations) -> list[tuple]:
    return sorted(
        {
            (v.shape, v.severity, v.focus, v.path or "", v.value or "", v.document or "")
            for v in violations
        }
    )


@pytest.mark.parametrize("fixture", [*broken_fixtures(), VALID], ids=lambda p: p.stem)
def test_compiled_shapes_find_what_pyshacl_finds(fixture):
    expected = results(report(fixture).violations)
    assert compiled_report(fixture) == expected


def test_both_engines_agree_on_the_seed_store(seed_store):
    compiled = validate_store(seed_store, engine="sparql")
    reference = validate_store(seed_store, engine="pyshacl")
    assert compiled.conforms == reference.conforms
    assert results(compiled.violations) == results(reference.violations)
    assert compiled.triples == reference.triples


def seeds_with_faults(misplaced: bool = False, path: Path | None = None) -> KgStore:
    """The seed documents with faults in both kinds of node: a span with two end offsets
    and a span with no quoted text (nodes of one document), and an actor two documents
    name given a second English label in the second one's graph (a fault only the union
    of the documents shows). ``misplaced`` adds a third end offset to the first span in
    the second document's graph, where no batch of the first document would see it.
    In memory, or in a folder given as ``path``."""
    store = KgStore(path)
    build([SEED_DOCUMENTS], store)
    graphs = sorted(d.graph for d in store.documents().values())
    spans = [
        row["span"].value
        for row in store.query(
            "SELECT ?span WHERE { ?span a pk:Evidence } ORDER BY ?span LIMIT 2",
            default_graphs=[graphs[0]],
        )
    ]
    (actor,) = [
        row["actor"].value
        for row in store.query(
            "SELECT ?actor WHERE { GRAPH ?a { ?actor a pk:State } GRAPH ?b { ?actor a pk:State }"
            f" FILTER(?a = <{graphs[0]}> && ?b = <{graphs[1]}>) }} ORDER BY ?actor LIMIT 1"
        )
    ]
    store.update(
        f"INSERT DATA {{ GRAPH <{graphs[0]}> {{ <{spans[0]}> pk:end 999999 }} }} ;"
        f"DELETE WHERE {{ GRAPH <{graphs[0]}> {{ <{spans[1]}> pk:exact ?text }} }} ;"
        f'INSERT DATA {{ GRAPH <{graphs[1]}> {{ <{actor}> rdfs:label "Another name"@en }} }}'
    )
    if misplaced:
        store.update(f"INSERT DATA {{ GRAPH <{graphs[1]}> {{ <{spans[0]}> pk:end 888888 }} }}")
    return store


def reported_twice(violations) -> list[tuple]:
    """Results the compiled checks gave more than once (none should be)."""
    seen = Counter((v.shape, v.focus, v.path, v.value, v.message) for v in violations)
    return [result for result, count in seen.items() if count > 1]


@pytest.mark.parametrize("misplaced", [False, True], ids=["in-place", "misplaced"])
def test_checking_a_few_documents_at_a_time_finds_what_pyshacl_finds(misplaced):
    store = seeds_with_faults(misplaced)
    pyshacl = validate_store(store, engine="pyshacl")
    reference = results(pyshacl.violations)
    focus_kinds = {
        "/doc/" in focus for _, severity, focus, *_ in reference if severity != "Warning"
    }
    assert focus_kinds == {True, False}  # faults of document nodes and of a shared node
    for batch in (1, 2, 64):
        violations, triples = check_store(store, document_graph_names(store), batch)
        assert results(violations) == reference, f"batch of {batch}"
        assert reported_twice(violations) == []
        assert triples == pyshacl.triples


@pytest.mark.parametrize("misplaced", [False, True], ids=["in-place", "misplaced"])
def test_worker_processes_find_what_one_process_finds(tmp_path, misplaced):
    store = seeds_with_faults(misplaced, tmp_path / "store")
    graphs = document_graph_names(store)
    one, one_triples = check_store(store, graphs, 1, jobs=1)
    workers, worker_triples = check_store(store, graphs, 1, jobs=2)
    assert workers == one
    assert worker_triples == one_triples
    assert results(one) == results(validate_store(store, engine="pyshacl").violations)


def test_a_graph_the_workers_cannot_see_has_the_batches_checked_in_one_process(tmp_path):
    store = seeds_with_faults(path=tmp_path / "store")
    graphs = [*document_graph_names(store), store.iris.graph("written-after-the-workers-looked")]
    assert check_store(store, graphs, 1, jobs=2) == check_store(store, graphs, 1, jobs=1)


def test_a_worker_that_cannot_open_the_store_makes_validation_fail_not_hang(tmp_path):
    store = seeds_with_faults(path=tmp_path / "store")
    graphs = document_graph_names(store)
    (tmp_path / "store").rename(tmp_path / "moved")  # this process keeps its open files
    with pytest.raises(KgError, match="no store here"):
        check_store(store, graphs, 1, jobs=2)
