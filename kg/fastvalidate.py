"""Validation inside the store: the compiled shapes (``kg.shaclsparql``) run as queries.

Results have the same fields as pySHACL's (shape, focus node, path, value,
message, severity) and the same document locations; a test proves the two
engines find the same results on every shape fixture.
"""

from __future__ import annotations

import re

import rdflib
from pyoxigraph import NamedNode, Store
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


BATCH = 64  # document graphs checked together in memory


def check_store(store: KgStore, graphs: list[str], batch: int = BATCH) -> tuple[list, int]:
    """Run every compiled check over the store's ``graphs`` (its document graphs); the
    results, and the distinct triples of ``graphs``.

    A node in the documents' own namespace (a document, its spans, claims, citations...)
    is described in its document's graph alone, so its checks run over a copy of
    ``batch`` document graphs at a time in memory, with the other graphs that are not
    documents (ontology, reference): memory stays flat and each check reads only those. Every other focus node (actors, places, questions, identity links,
    described by many documents at once) is checked over the union of the whole store.
    (The reference and enrichment graphs type no nodes, so they add no focus nodes; a
    test shows the results equal pySHACL's over the document graphs alone.)
    """
    from .validate import Violation

    shapes, ontology = ontology_file("shapes.ttl"), ontology_file("policy-kg.ttl")
    checks = compiled_checks(str(shapes), str(ontology))
    local = store.iris.base + "doc/"
    found: dict[tuple, tuple[Check, object]] = {}
    counter = _TripleCounter(local)
    shared = store.iris.shared_graph  # copies of other graphs' triples: counted, not checked
    context = [q for g in store.graph_names() if g not in graphs for q in store.quads(g)]
    for start in range(0, len(graphs), batch):
        memory = Store()
        memory.extend(context)  # the ontology (policy-type concepts, classes) and reference
        for graph in graphs[start : start + batch]:
            quads = list(store.quads(graph))
            counter.add(quads)
            if graph != shared:
                memory.extend(quads)
        for check in checks:
            _collect(found, check, memory.query(check.scoped(_in(local)), **UNION))
        del memory
    for check in _checks_with_other_focus(store, checks, local):
        _collect(found, check, store.query(check.scoped(_outside(local))))
    violations = [_violation(store, check, row, Violation) for check, row in found.values()]
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message, v.value or ""))
    return violations, counter.total


UNION = {"use_default_graph_as_union": True}


def _in(namespace: str) -> str:
    return f'FILTER(isIRI(?focus) && STRSTARTS(STR(?focus), "{namespace}"))'


def _outside(namespace: str) -> str:
    return f'FILTER(!isIRI(?focus) || !STRSTARTS(STR(?focus), "{namespace}"))'


def _checks_with_other_focus(store: KgStore, checks, local: str) -> list[Check]:
    """The checks whose target class has a focus node outside the documents' namespace
    (one look per target class, not one per check)."""
    present: dict[str, bool] = {}
    for check in checks:
        if check.target not in present:
            ask = f"ASK {{ {check.target} {_outside(local)} }}"
            present[check.target] = bool(store.query(ask))
    return [check for check in checks if present[check.target]]


def _collect(found: dict, check: Check, rows) -> None:
    for row in rows:
        key = (check, *(term for term in row))
        found.setdefault(key, (check, row))


class _TripleCounter:
    """Distinct triples over document graphs: a triple about a node in the documents'
    namespace lives in one graph only, so those are counted as they pass; the others
    (about shared nodes, repeated across graphs) are kept to count once."""

    def __init__(self, local: str):
        self.local, self.own, self.others = local, 0, set()

    def add(self, quads) -> None:
        for quad in quads:
            subject = quad.subject
            if isinstance(subject, NamedNode) and subject.value.startswith(self.local):
                self.own += 1
            else:
                self.others.add((subject, quad.predicate, quad.object))

    @property
    def total(self) -> int:
        return self.own + len(self.others)


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
