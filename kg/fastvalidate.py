"""Validation inside the store: the compiled shapes (``kg.shaclsparql``) run as queries.

Results have the same fields as pySHACL's (shape, focus node, path, value,
message, severity) and the same document locations; a test proves the two
engines find the same results on every shape fixture.
"""

from __future__ import annotations

import re

import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import RDF, SH

from .resources import ontology_file
from .shaclsparql import Check, compiled_checks
from .store import KgStore

SHAPES_NS = "https://w3id.org/policy-kg/shapes#"
LOCATE = """
SELECT ?document ?start ?end WHERE {
  { BIND(?node AS ?span) ?span pk:inDocument ?document . }
  UNION { ?node pk:evidence ?span . ?span pk:inDocument ?document . }
  OPTIONAL { ?span pk:start ?start ; pk:end ?end }
} ORDER BY STR(?span) LIMIT 1
"""


def check_store(store: KgStore, graphs: list[str]) -> tuple[list, int]:
    """Run every compiled check over the union of the store's graphs; the results, and
    the triples of the document ``graphs`` checked. (The reference and enrichment graphs
    type no nodes, so they add no focus nodes; a test shows the results equal pySHACL's
    over the document graphs alone.)"""
    from .validate import Violation

    shapes, ontology = ontology_file("shapes.ttl"), ontology_file("policy-kg.ttl")
    violations = []
    for check in compiled_checks(str(shapes), str(ontology)):
        for row in store.query(check.query):
            violations.append(_violation(store, check, row, Violation))
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message, v.value or ""))
    return violations, _triples(store, graphs)


def _violation(store, check: Check, row, violation_type):
    focus = row["focus"]
    value = _cell(row, "value")
    message = re.sub(r"\{\?(\w+)\}", lambda m: _cell(row, m.group(1)) or "", check.message)
    located = row["value"] if value is not None and _is_span(store, row["value"]) else focus
    document, start, end = _locate(store, located)
    return violation_type(
        shape=check.shape,
        severity=check.severity,
        focus=focus.value,
        path=check.path,
        value=value,
        message=message,
        document=document,
        start=start,
        end=end,
    )


def _cell(row, name: str) -> str | None:
    try:
        term = row[name]
    except (KeyError, IndexError):
        return None
    return None if term is None else term.value


def _is_span(store, node) -> bool:
    if not isinstance(node, NamedNode):
        return False
    return bool(store.query(f"ASK {{ <{node.value}> pk:inDocument ?d }}"))


def _locate(store, node) -> tuple[str | None, int | None, int | None]:
    if not isinstance(node, NamedNode):
        return None, None, None
    if store.query(f"ASK {{ <{node.value}> a pk:Document }}"):
        return node.value, None, None
    query = LOCATE.replace("?node", f"<{node.value}>")
    for row in store.query(query):
        start, end = row["start"], row["end"]
        return (
            row["document"].value,
            int(start.value) if start is not None else None,
            int(end.value) if end is not None else None,
        )
    return None, None, None


def _triples(store, graphs: list[str]) -> int:
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE "
        "{ SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
        named_graphs=graphs,
    )
    return int(next(iter(rows))["n"].value)


def report_graph(violations, conforms: bool) -> rdflib.Graph:
    """The results as a SHACL validation report graph."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    for index, v in enumerate(violations):
        result = rdflib.BNode(f"r{index}")
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, rdflib.URIRef(v.focus)))
        graph.add((result, SH.sourceShape, rdflib.URIRef(SHAPES_NS + v.shape)))
        graph.add((result, SH.resultSeverity, SH[v.severity]))
        graph.add((result, SH.resultMessage, rdflib.Literal(v.message)))
        if v.path and not v.path.startswith("^"):
            graph.add((result, SH.resultPath, rdflib.URIRef(v.path)))
        if v.value is not None:
            graph.add((result, SH.value, rdflib.Literal(v.value)))
    return graph
