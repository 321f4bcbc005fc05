"""A remote store: any SPARQL 1.1 Query/Update and Graph Store Protocol server.

``RemoteStore`` offers what :class:`kg.store.KgStore` offers, over HTTP, so
``kg build``, ``query``, ``export``, ``stats`` and ``validate`` run unchanged
against a shared server (Oxigraph server, Apache Jena Fuseki, GraphDB,
Virtuoso) and several builders on several machines can fill one store.

- Each document graph is written with one Graph Store Protocol request
  (``PUT`` replaces a graph, ``POST`` adds to it, ``DELETE`` drops it), which
  servers apply atomically; after a ``PUT`` the graph's size is read back, so
  a write the server did not take in full is an error, not a silent gap.
- Queries run over the union of the named graphs in a portable way: the
  request names every graph of the store as a ``default-graph-uri`` and a
  ``named-graph-uri`` (SPARQL 1.1 Protocol, section 2.1.4), so no server
  setting such as Oxigraph's ``--union-default-graph`` is needed.

The query URL is given; the update and graph-store URLs default to the
Oxigraph server's layout (``/query`` -> ``/update`` and ``/store``) and can be
given for other servers (Fuseki: ``/ds/update`` and ``/ds/data``).
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator

from pyoxigraph import (
    Dataset,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from .errors import KgError
from .httpclient import EndpointUnavailable, HttpClient, expect
from .ids import Iris
from .namespaces import DEFAULT_BASE, PREFIXES
from .resources import ontology_file, resource_dir
from .shared import is_shared, prune_update, rebuild_update, shared_quads
from .store import (
    StoredDocument,
    canonical_quads,
    insert_data,
    quad_line,
    stored_documents,
)

NTRIPLES = "application/n-triples"
RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
}
GRAPH_TYPES = {NTRIPLES: RdfFormat.N_TRIPLES, "text/turtle": RdfFormat.TURTLE}
ACCEPT_ANY = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)


def service_urls(endpoint: str, update: str | None = None, graph_store: str | None = None):
    """The query, update and graph-store URLs of a server from its query URL.

    >>> service_urls("http://127.0.0.1:7878/query")
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> service_urls("http://h/ds/sparql", graph_store="http://h/ds/data")[1:]
    ('http://h/ds/update', 'http://h/ds/data')
    """
    if not re.match(r"^https?://[^/\s]+", endpoint):
        raise KgError(f"{endpoint}: not an http(s) SPARQL endpoint URL")
    root, _, last = endpoint.rstrip("/").rpartition("/")
    layout = last in ("query", "sparql")
    update = update or (f"{root}/update" if layout else endpoint)
    graph_store = graph_store or (f"{root}/store" if layout else endpoint)
    return endpoint, update, graph_store


class GraphTriples:
    """The triples a remote CONSTRUCT or DESCRIBE returned (iterable, serialisable)."""

    def __init__(self, triples: list[Triple]):
        self.triples = triples

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def serialize(self, format: RdfFormat) -> bytes:  # noqa: A002 - pyoxigraph's name
        return serialize(self.triples, format=format, prefixes=PREFIXES)


class RemoteStore:
    """A policy-kg store on a SPARQL server (see the module documentation)."""

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        base: str = DEFAULT_BASE,
        timeout: float = 60.0,
        retries: int = 3,
    ):
        self.endpoint, self.update_endpoint, self.graph_store = service_urls(
            endpoint, update_endpoint, graph_store
        )
        self.path = endpoint
        self.iris = Iris(base)
        self.http = HttpClient(timeout=timeout, retries=retries)
        self._graphs: list[str] | None = None

    # -- reading -----------------------------------------------------------------
    @property
    def ontology_graph(self) -> str:
        return self.iris.named_graph("ontology")

    @property
    def reference_graph(self) -> str:
        return self.iris.named_graph("reference")

    def query(
        self,
        sparql: str,
        *,
        named_graphs: Iterable[str] | None = None,
        default_graphs: Iterable[str] | None = None,
        **_options,
    ):
        """Run a read query with the standard prefixes over the union of all graphs or,
        given ``default_graphs``, over the merge of those; ``named_graphs`` limits what
        ``GRAPH`` reaches."""
        named = self.graph_names() if named_graphs is None else list(named_graphs)
        if default_graphs is not None:
            default = list(default_graphs)
        else:
            default = named if named_graphs is None else []
        dataset = [("default-graph-uri", g) for g in default]
        dataset += [("named-graph-uri", g) for g in named]
        if not default:  # an empty default graph must stay empty, not become the server's
            dataset.append(("default-graph-uri", self.iris.named_graph("none")))
        return self._run(sparql, dataset)

    def _run(self, sparql: str, dataset: list[tuple[str, str]]):
        form = [("query", with_prefixes(sparql, {**PREFIXES, **self.iris.prefixes})), *dataset]
        response = self.http.send(
            "POST",
            self.endpoint,
            body=urllib.parse.urlencode(form).encode(),
            content_type="application/x-www-form-urlencoded",
            accept=ACCEPT_ANY,
        )
        expect(response, self.endpoint, *RESULT_TYPES, *GRAPH_TYPES)
        try:
            if response.media_type in RESULT_TYPES:
                return parse_query_results(response.body, RESULT_TYPES[response.media_type])
            return GraphTriples(list(parse(response.body, GRAPH_TYPES[response.media_type])))
        except SyntaxError as error:
            raise EndpointUnavailable(f"{self.endpoint}: unreadable results ({error})") from error

    def graph_names(self) -> list[str]:
        if self._graphs is None:
            rows = self._run("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", [])
            self._graphs = sorted(row["g"].value for row in rows)
        return list(self._graphs)

    def quads(self, graph: str | None = None, predicate: str | None = None) -> Iterable[Quad]:
        """Every quad of the store, or of one graph, optionally with one predicate."""
        graphs = [graph] if graph else self.graph_names()
        where = f"<{predicate}>" if predicate else "?p"
        rows = self.query(
            f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s {where} ?o }} }}", named_graphs=graphs
        )
        fixed = NamedNode(predicate) if predicate else None
        return [Quad(r["s"], fixed or r["p"], r["o"], r["g"]) for r in rows]

    def quad_count(self) -> int:
        rows = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            named_graphs=self.graph_names(),
        )
        return int(next(iter(rows))["n"].value)

    def documents(self) -> dict[str, StoredDocument]:
        """Stored documents keyed by IRI."""
        return stored_documents(self)

    # -- writing -----------------------------------------------------------------
    def replace_graphs(self, drop: Iterable[str], quads: Iterable[Quad] = ()) -> None:
        """Write each graph with one Graph Store Protocol request: graphs in ``drop`` that get
        quads are replaced (PUT), others get quads added (POST); the rest of ``drop`` is
        deleted. New content is written before old graphs are deleted."""
        dropped = set(drop)
        quads = list(quads)
        by_graph: dict[str, set[Triple]] = {}
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, set()).add(
                Triple(quad.subject, quad.predicate, quad.object)
            )
        # The shared copies go in first: should a write fail after them, a document the
        # store skips later still has its copies (and a stray copy is pruned later on).
        self.update(insert_data(shared_quads(quads, self.iris)))
        for graph, triples in sorted(by_graph.items()):
            self._put(graph, triples, replace=graph in dropped)
        for graph in sorted(dropped - set(by_graph)):
            self.http.send("DELETE", self._graph_url(graph), ok_missing=True)
        self._graphs = None
        if dropped:
            self.update(prune_update(self.iris))

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Insert quads (and their shared-graph copies) with one SPARQL update."""
        quads = list(quads)
        self.update(insert_data(quads + shared_quads(quads, self.iris)))

    def remove_quads(self, quads: Iterable[Quad]) -> None:
        """Delete quads; shared copies no document holds any more go too."""
        quads = list(quads)
        lines = [quad_line(q) for q in quads]
        if lines:
            removal = "DELETE DATA {\n" + "\n".join(lines) + "\n}"
            prune = prune_update(self.iris, [q for q in quads if is_shared(q, self.iris)])
            self.update(" ;\n".join(s for s in (removal, prune) if s))

    def update(self, sparql: str) -> None:
        if not sparql:
            return
        self.http.send(
            "POST",
            self.update_endpoint,
            body=sparql.encode("utf-8"),
            content_type="application/sparql-update",
        )
        self._graphs = None

    def ensure_ontology(self) -> bool:
        """Load (or refresh) the ontology's and the reference's named graphs; True when changed."""
        reference = resource_dir("reference") / "wikidata.ttl"
        changed = self._ensure_graph(self.reference_graph, reference)
        changed = self._ensure_graph(self.ontology_graph, ontology_file("policy-kg.ttl")) or changed
        return self.ensure_shared() or changed

    def ensure_shared(self) -> bool:
        """Derive the shared graph (``kg.shared``) when documents are stored without it."""
        if self.iris.shared_graph in self.graph_names() or not self.documents():
            return False
        self.update(rebuild_update(self.iris))
        return True

    def _ensure_graph(self, name: str, path) -> bool:
        wanted = canonical_quads(path, NamedNode(name))
        if self._canonical_remote(name) == set(wanted):
            return False
        self._put(name, {Triple(q.subject, q.predicate, q.object) for q in wanted}, replace=True)
        self._graphs = None
        return True

    def _canonical_remote(self, name: str) -> set[Quad]:
        from pyoxigraph import CanonicalizationAlgorithm

        response = self.http.send("GET", self._graph_url(name), accept=NTRIPLES, ok_missing=True)
        if response.status == 404:
            return set()
        expect(response, self.graph_store, NTRIPLES)
        graph = NamedNode(name)
        dataset = Dataset(
            Quad(t.subject, t.predicate, t.object, graph)
            for t in parse(response.body, RdfFormat.N_TRIPLES)
        )
        dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
        return set(dataset)

    def _put(self, graph: str, triples: set[Triple], *, replace: bool) -> None:
        ordered = sorted(triples, key=str)
        self.http.send(
            "PUT" if replace else "POST",
            self._graph_url(graph),
            body=serialize(ordered, format=RdfFormat.N_TRIPLES),
            content_type=NTRIPLES,
        )
        if replace:
            self._verify(graph, len(ordered))

    def _verify(self, graph: str, expected: int) -> None:
        rows = self.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[graph]
        )
        found = int(next(iter(rows))["n"].value)
        if found != expected:
            raise EndpointUnavailable(
                f"{self.graph_store}: graph <{graph}> holds {found} triples after writing "
                f"{expected}"
            )

    def _graph_url(self, graph: str) -> str:
        return f"{self.graph_store}?{urllib.parse.urlencode({'graph': graph})}"

    def flush(self) -> None:
        """Nothing to do: the server persists each request."""

    def optimize(self) -> None:
        """Nothing to do: the server keeps its own storage."""


def with_prefixes(sparql: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """The query with ``PREFIX`` lines for the standard prefixes it does not declare itself.

    >>> with_prefixes("PREFIX pk: <urn:x#> ASK { ?a a pk:X }").count("PREFIX pk:")
    1
    """
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", sparql))
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items() if p not in declared]
    return "\n".join([*lines, sparql])
