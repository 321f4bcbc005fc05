"""SHACL validation of the store (pySHACL), with reports that point into documents."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from functools import cache

import rdflib
from pyoxigraph import RdfFormat
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, RDFS, SH

from .fastvalidate import check_store, report_graph
from .namespaces import PK
from .resources import ontology_file
from .store import KgStore, context_graphs, internal_query

PKNS = rdflib.Namespace(PK)


@dataclass
class Violation:
    shape: str
    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    document: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0
    report_graph: rdflib.Graph | None = None

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    def by_shape(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for violation in self.violations:
            grouped.setdefault(violation.shape, []).append(violation)
        return dict(sorted(grouped.items()))

    def to_json(self) -> str:
        payload = {
            "conforms": self.conforms,
            "triples": self.triples,
            "violations": [asdict(v) for v in self.violations],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        head = "Conforms" if self.conforms else f"Does not conform: {len(self.errors)} violation(s)"
        warnings = len(self.violations) - len(self.errors)
        lines = [f"{head}, {warnings} warning(s), {self.triples} triples checked."]
        for shape, found in self.by_shape().items():
            lines.append(f"\n{shape} ({len(found)})")
            for v in found:
                lines.append(f"  [{v.severity}] {v.focus}")
                if v.path:
                    lines.append(f"    path: {v.path}")
                if v.value:
                    lines.append(f"    value: {v.value[:120]}")
                lines.append(f"    {v.message}")
                if v.document and v.start is not None:
                    lines.append(f"    in {v.document} at characters {v.start}-{v.end}")
                elif v.document:
                    lines.append(f"    in {v.document}")
        return "\n".join(lines)


@cache
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file("shapes.ttl"), format="turtle")


@cache
def ontology_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file("policy-kg.ttl"), format="turtle")


@cache
def class_hierarchy() -> tuple[tuple, ...]:
    """What SHACL needs from the ontology: subclass links and the policy-type concepts.

    (pySHACL's own ``ont_graph`` mixing clones the whole ontology recursively,
    which takes minutes on this one; these few triples are all ``sh:class`` needs.)
    """
    ontology = ontology_graph()
    concepts = set(ontology.subjects(RDF.type, PKNS.PolicyType))
    kept = [t for t in ontology if t[1] == RDFS.subClassOf and isinstance(t[2], rdflib.URIRef)]
    kept += [t for t in ontology if t[0] in concepts]
    return tuple(kept)


def store_data_graph(store: KgStore) -> rdflib.Graph:
    """Every document graph of the store (ontology and reference left out) as one rdflib graph."""
    triples = store.query(internal_query("data_triples"), named_graphs=document_graph_names(store))
    data = triples.serialize(format=RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data, format="nt")


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate one graph against the shapes, with the ontology's class hierarchy.

    >>> validate_graph(rdflib.Graph()).conforms
    True
    """
    began = time.perf_counter()
    checked = rdflib.Graph()
    for triple in (*data, *class_hierarchy()):
        checked.add(triple)
    conforms, report, _ = shacl_validate(
        checked,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = [
        _violation(report, data, node) for node in report.subjects(RDF.type, SH.ValidationResult)
    ]
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message, v.value or ""))
    return ValidationReport(conforms, violations, len(data), time.perf_counter() - began, report)


ENGINES = ("sparql", "pyshacl")


def validate_store(
    store: KgStore, *, engine: str = "sparql", jobs: int | None = None
) -> ValidationReport:
    """SHACL over every document graph of the store: the shapes compiled to SPARQL and run
    inside the store (``sparql``, the default), or pySHACL over a copy (``pyshacl``).
    ``jobs``: processes for the compiled checks (``kg.fastvalidate.check_store``)."""
    began = time.perf_counter()
    if engine == "pyshacl":
        report = validate_graph(store_data_graph(store))
    else:
        graphs = document_graph_names(store)
        violations, triples = check_store(store, graphs, jobs=jobs)
        conforms = not any(v.severity == "Violation" for v in violations)
        report = ValidationReport(
            conforms, violations, triples, 0.0, report_graph(violations, conforms)
        )
    report.seconds = time.perf_counter() - began
    return report


def document_graph_names(store: KgStore) -> list[str]:
    shared = context_graphs(store)
    return [g for g in store.graph_names() if g not in shared]


def _violation(report: rdflib.Graph, data: rdflib.Graph, result) -> Violation:
    def one(predicate):
        return report.value(result, predicate)

    focus, path, value = one(SH.focusNode), one(SH.resultPath), one(SH.value)
    is_span = value is not None and (value, PKNS.inDocument, None) in data
    located = value if is_span else focus
    document, start, end = _location(data, located)
    return Violation(
        shape=_shape_name(one(SH.sourceShape)),
        severity=str(one(SH.resultSeverity)).rsplit("#", 1)[-1],
        focus=str(focus),
        path=_path_text(report, path),
        value=None if value is None else str(value),
        message=str(one(SH.resultMessage) or "constraint not met"),
        document=document,
        start=start,
        end=end,
    )


def _shape_name(shape) -> str:
    shapes = shapes_graph()
    if isinstance(shape, rdflib.BNode):
        parent = shapes.value(None, SH.property, shape)
        shape = parent if parent is not None else shape
    return str(shape).rsplit("#", 1)[-1]


def _path_text(report: rdflib.Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, rdflib.BNode):
        inverse = report.value(path, SH.inversePath)
        return f"^{inverse}" if inverse is not None else "(complex path)"
    return str(path)


def _location(data: rdflib.Graph, focus) -> tuple[str | None, int | None, int | None]:
    """The document and offsets behind a focus node, when it carries evidence."""
    if (focus, RDF.type, PKNS.Document) in data:
        return str(focus), None, None
    span = focus if (focus, PKNS.inDocument, None) in data else None
    if span is None:
        spans = sorted(data.objects(focus, PKNS.evidence), key=str)
        span = spans[0] if spans else None
    if span is None:
        return None, None, None
    start, end = data.value(span, PKNS.start), data.value(span, PKNS.end)
    document = data.value(span, PKNS.inDocument)
    return (
        str(document) if document else None,
        int(start) if start is not None else None,
        int(end) if end is not None else None,
    )
