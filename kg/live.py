"""Live linking of the actors the offline reference lacks, against a SPARQL endpoint.

``kg link --endpoint URL`` (default: the public Wikidata Query Service) looks
up the English labels and aliases of unlinked actors in batches, with a
descriptive User-Agent, a timeout and retries with backoff on 429 and 5xx. Every
answer is cached in a local JSON file, so re-runs are offline and give the same
links. A candidate is linked only when exactly one entity of a compatible kind
carries the name; its kind comes from ``pk:referenceKind`` (the project's
reference data) or from ``wdt:P31`` classes listed in
``data/reference/kind-classes.yaml``. Entities of unknown kind are listed as
candidates, never linked.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .httpclient import EndpointUnavailable, HttpClient, expect
from .lexicon import name_key
from .link import Link, compatible
from .resources import read_yaml, resource_dir
from .store import internal_query

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
DEFAULT_CACHE = ".kg-link-cache.json"


@dataclass
class LiveLinker:
    endpoint: str = DEFAULT_ENDPOINT
    cache_path: Path = Path(DEFAULT_CACHE)
    timeout: float = 20.0
    retries: int = 3
    batch: int = 50
    requests: int = 0
    cache: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.cache_path.exists():
            self.cache = json.loads(self.cache_path.read_text(encoding="utf-8"))

    def lookup(self, names: list[str]) -> dict[str, list[dict]]:
        """Entities carrying each name (by normalised name): ``{"qid", "kind"}`` dicts."""
        found: dict[str, list[dict]] = defaultdict(list)
        unique = sorted(dict.fromkeys(names))
        for start in range(0, len(unique), self.batch):
            for row in self._rows(unique[start : start + self.batch]):
                entry = {"qid": row["item"].rsplit("/", 1)[-1], "kind": self._kind(row)}
                if entry not in found[name_key(row["name"])]:
                    found[name_key(row["name"])].append(entry)
        return found

    def _kind(self, row: dict) -> str | None:
        if row.get("kind"):
            return row["kind"]
        classes = kind_classes()
        return classes.get(row.get("class", "").rsplit("/", 1)[-1])

    def _rows(self, names: list[str]) -> list[dict]:
        return self.select(lookup_query(names))

    def select(self, query: str) -> list[dict]:
        """Rows of a SELECT query as ``{variable: value}`` dicts, cached."""
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        if key not in self.cache:
            self.cache[key] = self._fetch(query)
            self._save()
        return self.cache[key]

    def _fetch(self, query: str) -> list[dict]:
        url = f"{self.endpoint}?{urllib.parse.urlencode({'query': query})}"
        client = HttpClient(timeout=self.timeout, retries=self.retries, backoff=0.5)
        try:
            response = client.send("GET", url, accept="application/sparql-results+json")
        finally:
            self.requests += client.requests
        expect(response, self.endpoint, "application/sparql-results+json", "application/json")
        try:
            return _bindings(json.loads(response.body))
        except (ValueError, KeyError, TypeError) as error:
            raise EndpointUnavailable(f"{self.endpoint}: unreadable SPARQL results") from error

    def _save(self) -> None:
        temporary = self.cache_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.cache, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(self.cache_path)


def _bindings(results: dict) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in results["results"]["bindings"]]


def kind_classes() -> dict[str, str]:
    """Wikidata class id -> reference kind, from data/reference/kind-classes.yaml."""
    path = resource_dir("reference") / "kind-classes.yaml"
    config = read_yaml(path.read_text(encoding="utf-8")) if path.exists() else None
    return {qid: kind for kind, qids in (config or {}).items() for qid in (qids or [])}


def lookup_query(names: list[str]) -> str:
    """The batched label/alias lookup, with the names filled in."""
    values = " ".join(json.dumps(n, ensure_ascii=False) + "@en" for n in names)
    classes = " ".join(f"<http://www.wikidata.org/entity/{q}>" for q in sorted(kind_classes()))
    clause = (
        f"OPTIONAL {{ VALUES ?class {{ {classes} }} ?item wdt:P31/wdt:P279* ?class }}"
        if classes
        else ""
    )
    return internal_query("live_lookup").replace("NAMES", values).replace("CLASS_CLAUSE", clause)


def decide(kind: str, key: str, candidates: list[dict]) -> Link:
    """Link only when exactly one entity of a compatible kind carries the name."""
    fitting = sorted({c["qid"] for c in candidates if c["kind"] and compatible(kind, c["kind"])})
    unknown = sorted({c["qid"] for c in candidates if not c["kind"]})
    if len(fitting) == 1 and not unknown:
        return Link(key, fitting[0], "live-label")
    return Link(key, candidates=sorted(set(fitting) | set(unknown)))


@dataclass
class LiveReport:
    linked: list[tuple[str, str]] = field(default_factory=list)  # (label, qid)
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    unreachable: str | None = None


def link_store(store, linker: LiveLinker) -> LiveReport:
    """Look up every unlinked actor of the store and write the links, one update per graph."""
    from pyoxigraph import NamedNode

    from .rdfdebate import write_link

    rows = list(store.query(internal_query("unlinked")))
    report = LiveReport()
    try:
        found = linker.lookup([row["label"].value for row in rows])
    except EndpointUnavailable as error:
        report.unreachable = str(error)
        report.unlinked = sorted({row["label"].value for row in rows})
        return report
    by_graph: dict[str, list] = defaultdict(list)
    for row in rows:
        label, kind = row["label"].value, row["class"].value.rsplit("#", 1)[-1]
        decision = decide(kind, row["node"].value, found.get(name_key(label), []))
        decision.method = decision.method and "live-label"
        _count(report, label, decision)
        by_graph[row["graph"].value].append((row["node"], decision))
    for graph, decisions in sorted(by_graph.items()):
        sink = _Sink(store, graph)
        for node, decision in decisions:
            write_link(sink, NamedNode(node.value), decision)
        store.add_quads(sink.quads)
    return report


def _count(report: LiveReport, label: str, decision: Link) -> None:
    if decision.wikidata:
        report.linked.append((label, decision.wikidata))
    elif decision.candidates:
        report.ambiguous.append((label, decision.candidates))
    else:
        report.unlinked.append(label)


class _Sink:
    """Enough of a graph writer to write link records into one document graph."""

    def __init__(self, store, graph: str):
        from pyoxigraph import NamedNode

        self.iris = store.iris
        self.doc_id = graph.rsplit("/", 1)[-1]
        self.graph = NamedNode(graph)
        self.activity = NamedNode(store.iris.activity(self.doc_id))
        self.quads: list = []

    def add(self, subject, predicate, obj) -> None:
        from pyoxigraph import Quad

        self.quads.append(Quad(subject, predicate, obj, self.graph))
