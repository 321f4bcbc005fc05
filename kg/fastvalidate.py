"""Validation inside the store: the compiled shapes (``kg.shaclsparql``) run as queries.

Results have the same fields as pySHACL's (shape, focus node, path, value,
message, severity) and the same document locations; a test proves the two
engines find the same results on every shape fixture.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store, parse
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


def check_store(
    store: KgStore, graphs: list[str], batch: int = BATCH, jobs: int | None = None
) -> tuple[list, int]:
    """Run every compiled check over the store's ``graphs`` (its document graphs); the
    results, and the distinct triples of ``graphs``.

    A node in the documents' own namespace (a document, its spans, claims, citations...)
    is described in its document's graph alone, so its checks run over a copy of
    ``batch`` document graphs at a time in memory, with the graphs that are not
    documents (ontology, reference, enrichment): memory stays flat and each check reads
    only those. Every other focus node (actors, places, questions, identity links,
    described by many documents at once) is checked over the union of the whole store.
    Should a triple naming a document's node turn up in any other graph (an edit by
    hand, a graph loaded from elsewhere), every check runs over the whole store instead.
    (The reference and enrichment graphs type no nodes, so they add no focus nodes; a
    test shows the results equal pySHACL's over the document graphs alone.)

    The batches are checked in ``jobs`` worker processes (default: one per core) when
    the store is on disk and has more than one batch: reading a graph from disk is most
    of a batch's time, and each worker opens the store read-only to read its own.
    """
    checks = _checks()
    survey = _Survey(store.iris)
    workers = _workers(store, graphs, batch, jobs)

    def other_focus() -> dict:
        found: dict = {}
        for check in _checks_with_other_focus(store, checks, survey.local):
            _collect(found, check, store.query(check.scoped(_outside(survey.local))))
        return found

    if workers > 1:  # this process checks the other focus nodes while the workers run
        found, others = _checks_by_batch_in_workers(
            store, checks, graphs, batch, survey, workers, meanwhile=other_focus
        )
    else:
        found = _checks_by_batch(store, checks, graphs, batch, survey)
        others = None
    if survey.misplaced:
        found = {}
        for check in checks:
            _collect(found, check, store.query(check.query))
        triples = _distinct_triples(store, graphs)
    else:
        found.update(other_focus() if others is None else others)
        triples = survey.triples
    return _violations(store, found), triples


def _checks_by_batch(
    store: KgStore, checks, graphs: list[str], batch: int, survey, checked: set[str] | None = None
) -> dict:
    """Every check of the documents' own nodes, over ``batch`` graphs at a time; the graphs
    neither checked (``checked``, default ``graphs``) nor documents' are the context."""
    found: dict = {}
    checked = set(graphs) if checked is None else checked
    documents = store.iris.named_graph("doc/")
    context = [  # the ontology (classes, policy types), the reference, any enrichment
        quad
        for graph in store.graph_names()
        if graph not in checked and not graph.startswith(documents) and graph != survey.shared
        for quad in store.quads(graph)
    ]
    scope = _in(survey.local)
    for start in range(0, len(graphs), batch):
        memory = Store()  # a new one each batch: the in-memory store keeps what it removes
        memory.extend(context)
        for graph in graphs[start : start + batch]:
            if graph != survey.shared:
                memory.extend(survey.add(graph, list(store.quads(graph))))
        for check in checks:
            _collect(found, check, memory.query(check.scoped(scope), **UNION))
        del memory
    if survey.shared in graphs:
        survey.add(survey.shared, list(store.quads(survey.shared)))
    return found


UNION = {"use_default_graph_as_union": True}


def _checks() -> tuple[Check, ...]:
    return compiled_checks(str(ontology_file("shapes.ttl")), str(ontology_file("policy-kg.ttl")))


def _workers(store: KgStore, graphs: list[str], batch: int, jobs: int | None) -> int:
    """How many processes check the batches: one without a store folder to reopen."""
    if getattr(store, "path", None) is None or not hasattr(store, "oxigraph"):
        return 1
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    return max(1, min(jobs, -(-len(graphs) // batch)))


def _checks_by_batch_in_workers(
    store: KgStore,
    checks,
    graphs: list[str],
    batch: int,
    survey: _Survey,
    workers: int,
    meanwhile: Callable[[], dict],
) -> tuple[dict, dict]:
    """``_checks_by_batch`` with each batch checked in a worker process; what the workers
    find comes back as text (pyoxigraph terms do not pickle) and is read back here. While
    they work, this process runs ``meanwhile``; its result is returned beside theirs.

    Workers are started fresh (``spawn``: no fork of a process holding the store open)
    and each opens the store read-only, a view newer than this process's. Graphs are
    named by their content, so a graph both views hold is the same; should a build have
    removed one of ``graphs`` since, the batches are checked here instead, in this
    process's view."""
    batches = [graphs[start : start + batch] for start in range(0, len(graphs), batch)]
    batches = [[g for g in b if g != survey.shared] for b in batches]
    arguments = (str(store.path), store.iris.base, batch, sorted(graphs))
    found: dict = {}
    with multiprocessing.get_context("spawn").Pool(workers, _worker_setup, arguments) as pool:
        results = pool.imap(_check_batch, batches)  # the workers start on them now
        also = meanwhile()
        for result in results:
            if result is None:  # the worker's view lacks a graph of this batch
                return _checks_by_batch(store, checks, graphs, batch, _reset(survey)), also
            rows, own, others, misplaced = result
            for index, names, terms in rows:
                row = dict(zip(names, _read_terms(terms), strict=True))
                found[(checks[index], *row.values())] = (checks[index], row)
            survey.own += own
            survey.others.update(_read_triples(others))
            survey.misplaced |= misplaced
    if survey.shared in graphs:
        survey.add(survey.shared, list(store.quads(survey.shared)))
    return found, also


def _reset(survey: _Survey) -> _Survey:
    survey.own, survey.others, survey.misplaced = 0, set(), False
    return survey


_worker: dict = {}


def _worker_setup(path: str, base: str, batch: int, checked: list[str]) -> None:
    """Remember what each batch needs; the store is opened by the first batch, so that
    an error opening it reaches the parent as that batch's error."""
    _worker.update(path=path, base=base, batch=batch, checked=set(checked))


def _check_batch(graphs: list[str]) -> tuple[list, int, list[str], bool] | None:
    """One batch checked in a worker: rows as (check, names, N-Triples terms), the count
    of triples about documents' own nodes, the others as N-Triples lines, misplacement;
    None when the worker's view of the store lacks one of ``graphs``."""
    if "store" not in _worker:
        _worker["store"] = KgStore(_worker["path"], base=_worker["base"], read_only=True)
        _worker["checks"] = _checks()
    store, checks = _worker["store"], _worker["checks"]
    if not all(store.has_graph(graph) for graph in graphs):
        return None
    survey = _Survey(store.iris)
    found = _checks_by_batch(store, checks, graphs, _worker["batch"], survey, _worker["checked"])
    index = {check: number for number, check in enumerate(checks)}
    rows = [
        (index[check], list(row), [_term_text(term) for term in row.values()])
        for check, row in found.values()
    ]
    others = [f"{s} {p} {o} ." for s, p, o in survey.others]
    return rows, survey.own, others, survey.misplaced


def _in(namespace: str) -> str:
    return f'FILTER(isIRI(?focus) && STRSTARTS(STR(?focus), "{namespace}"))'


def _outside(namespace: str) -> str:
    return f'FILTER(!isIRI(?focus) || !STRSTARTS(STR(?focus), "{namespace}"))'


def _checks_with_other_focus(store: KgStore, checks, local: str) -> list[Check]:
    """The checks whose target class has a focus node outside the documents' namespace
    (one look per target class, not one per check; a check without one is kept)."""
    present: dict[str, bool] = {"": True}
    for check in checks:
        if check.target not in present:
            ask = f"ASK {{ {check.target} {_outside(local)} }}"
            present[check.target] = bool(store.query(ask))
    return [check for check in checks if present[check.target]]


def _collect(found: dict, check: Check, rows) -> None:
    names = [variable.value for variable in rows.variables]
    for solution in rows:
        row = dict(zip(names, solution, strict=True))
        found[(check, *row.values())] = (check, row)


_SUBJECT, _PREDICATE = "<urn:policy-kg:term>", "<urn:policy-kg:is>"


def _term_text(term) -> str | None:
    return None if term is None else str(term)


def _read_terms(texts: list[str | None]) -> list:
    """Terms back from their N-Triples text (None stays None), blank node labels kept."""
    lines = "\n".join(f"{_SUBJECT} {_PREDICATE} {text} ." for text in texts if text is not None)
    read = iter(quad.object for quad in parse(lines, format=RdfFormat.N_TRIPLES))
    return [None if text is None else next(read) for text in texts]


def _read_triples(lines: list[str]) -> list[tuple]:
    return [
        (quad.subject, quad.predicate, quad.object)
        for quad in parse("\n".join(lines), format=RdfFormat.N_TRIPLES)
    ]


def _violations(store: KgStore, found: dict) -> list:
    from .validate import Violation

    violations = [_violation(store, check, row, Violation) for check, row in found.values()]
    violations.sort(key=lambda v: (v.shape, v.focus, v.path or "", v.message, v.value or ""))
    return violations


class _Survey:
    """What passes through the batches: the distinct triples, and whether every term in
    the documents' namespace sits in its own document's graph.

    A triple about a document's node lives in that one graph, so those are counted as
    they pass; the others (about shared nodes, repeated across graphs) are kept to
    count once.
    """

    def __init__(self, iris):
        self.local, self.documents = iris.base + "doc/", iris.named_graph("doc/")
        self.shared = iris.shared_graph
        self.own, self.others, self.misplaced = 0, set(), False

    def add(self, graph: str, quads: list) -> list:
        owner = (
            self.local + graph[len(self.documents) :] if graph.startswith(self.documents) else ""
        )
        for quad in quads:
            subject, obj = quad.subject, quad.object
            if isinstance(subject, NamedNode) and subject.value.startswith(self.local):
                self.own += 1
                self.misplaced |= not _belongs(subject.value, owner)
            else:
                self.others.add((subject, quad.predicate, obj))
            if isinstance(obj, NamedNode) and obj.value.startswith(self.local):
                self.misplaced |= not _belongs(obj.value, owner)
        return quads

    @property
    def triples(self) -> int:
        return self.own + len(self.others)


def _belongs(iri: str, owner: str) -> bool:
    """Whether a document-namespace IRI names ``owner`` (a document) or one of its nodes.

    >>> _belongs("x/doc/a1/span/0-4", "x/doc/a1"), _belongs("x/doc/a10", "x/doc/a1")
    (True, False)
    """
    return bool(owner) and (iri == owner or iri.startswith(owner + "/"))


def _distinct_triples(store: KgStore, graphs: list[str]) -> int:
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE "
        "{ SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
        named_graphs=graphs,
    )
    return int(next(iter(rows))["n"].value)


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


def _cell(row: dict, name: str) -> str | None:
    term = row.get(name)
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
