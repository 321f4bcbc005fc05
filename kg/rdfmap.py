"""Map an :class:`~kg.model.Extraction` to the quads of its document graph."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__
from .ids import Iris
from .link import agent_key
from .model import Agent, Citation, Extraction, Span
from .namespaces import XSD
from .rdfdebate import debate_quads, link_quads, write_links
from .rdfterms import LABEL, TYPE, boolean, date_literal, english, offset, pk, text  # noqa: F401
from .rules import rules_fingerprint

CONTEXT_CHARS = 32
_EVIDENCE, _IN_DOCUMENT, _START, _END = pk("Evidence"), pk("inDocument"), pk("start"), pk("end")
_EXACT, _PREFIX, _SUFFIX = pk("exact"), pk("prefix"), pk("suffix")
_GENERATED_BY, _REFERS_TO, _RULE = pk("generatedBy"), pk("refersTo"), pk("rule")


class GraphWriter:
    """Collects the triples of one document graph, without duplicates, in order."""

    def __init__(self, extraction: Extraction, iris: Iris):
        self.extraction, self.iris = extraction, iris
        self.doc_id = extraction.doc_id
        self.graph = NamedNode(iris.graph(self.doc_id))
        self.document = NamedNode(iris.document(self.doc_id))
        self.activity = NamedNode(iris.activity(self.doc_id))
        self.triples: dict[tuple, None] = {}  # (subject, predicate, object), in order
        self.links: dict[NamedNode, object] = {}  # node -> the surest link.Link decided for it
        self.labelled: set[NamedNode] = set()

    def add(self, subject, predicate, obj) -> None:
        self.triples[(subject, predicate, obj)] = None

    def evidence(
        self, span: Span, refers_to: NamedNode | None = None, rule: str | None = None
    ) -> NamedNode:
        """An Evidence node: exact text, offsets, and the characters around it."""
        node = NamedNode(self.iris.evidence(self.doc_id, span))
        document_text = self.extraction.text
        start, end = span.start, span.end
        triples = self.triples
        for predicate, obj in (
            (TYPE, _EVIDENCE),
            (_IN_DOCUMENT, self.document),
            (_START, offset(start)),
            (_END, offset(end)),
            (_EXACT, text(span.exact)),
            (_PREFIX, text(document_text[max(0, start - CONTEXT_CHARS) : start])),
            (_SUFFIX, text(document_text[end : end + CONTEXT_CHARS])),
            (_GENERATED_BY, self.activity),
        ):
            triples[(node, predicate, obj)] = None
        if refers_to is not None:
            triples[(node, _REFERS_TO, refers_to)] = None
        if rule is not None:
            triples[(node, _RULE, text(rule))] = None
        return node

    def quads(self) -> list[Quad]:
        graph = self.graph
        return [Quad(s, p, o, graph) for s, p, o in self.triples]

    def nquads(self) -> bytes:
        """The quads as N-Quads text, as ``pyoxigraph.serialize`` writes them (each term
        as its own ``str``), without a ``Quad`` made of each: a third of the cost."""
        end = f" {self.graph} .\n"
        return "".join(f"{s} {p} {o}{end}" for s, p, o in self.triples).encode()

    def actor_node(self, kind: str, name: str) -> NamedNode:
        """The node of an actor, place or outlet, typed by its class and labelled."""
        node = NamedNode(self.iris.agent(kind, name))
        self.add(node, TYPE, pk(kind))
        if node not in self.labelled:  # names differing in case only share a node: first wins
            self.labelled.add(node)
            self.add(node, LABEL, english(name))
        return node

    def agent(self, agent: Agent, holder: NamedNode) -> NamedNode:
        """The agent's node, typed and labelled, with its span as evidence of ``holder``."""
        node = self.actor_node(agent.kind, agent.name)
        found = self.extraction.links.get(agent_key(agent))
        if found is not None:
            link_quads(self, node, found)
        if agent.span is not None:
            self.add(holder, pk("evidence"), self.evidence(agent.span, node))
        return node


def document_quads(extraction: Extraction, iris: Iris | None = None) -> list[Quad]:
    """Every quad of a document's named graph.

    >>> from kg.model import DocumentMeta
    >>> e = Extraction("a.txt", "Hello.", "ab" * 32, DocumentMeta(title="Hello"))
    >>> len(document_quads(e)) > 5
    True
    """
    return _written(extraction, iris).quads()


def document_nquads(extraction: Extraction, iris: Iris | None = None) -> bytes:
    """``document_quads`` as N-Quads text, the way a build hands documents to the store.

    >>> from kg.model import DocumentMeta
    >>> e = Extraction("a.txt", "Hello.", "ab" * 32, DocumentMeta(title="Hello"))
    >>> from pyoxigraph import RdfFormat, serialize
    >>> document_nquads(e) == serialize(document_quads(e), format=RdfFormat.N_QUADS)
    True
    """
    return _written(extraction, iris).nquads()


def _written(extraction: Extraction, iris: Iris | None) -> GraphWriter:
    writer = GraphWriter(extraction, iris or Iris())
    _document(writer)
    for citation in extraction.citations:
        _citation(writer, citation)
    debate_quads(writer)
    write_links(writer)
    return writer


def _document(w: GraphWriter) -> None:
    e, doc, meta = w.extraction, w.document, w.extraction.meta
    w.add(doc, TYPE, pk("Document"))
    w.add(doc, LABEL, english(meta.title or e.file))
    w.add(doc, pk("text"), text(e.text))
    w.add(doc, pk("contentHash"), text(e.content_hash))
    w.add(doc, pk("sourceFile"), text(e.file))
    w.add(doc, pk("language"), text(meta.language))
    w.add(doc, pk("generatedBy"), w.activity)
    w.add(w.activity, TYPE, pk("ExtractionActivity"))
    w.add(w.activity, LABEL, english(f"extraction by policy-kg {__version__}"))
    w.add(w.activity, pk("usedDocument"), doc)
    w.add(w.activity, pk("rulesFingerprint"), text(e.rules or rules_fingerprint()))
    if meta.title:
        w.add(doc, pk("title"), text(meta.title))
        if meta.title_span:
            w.add(doc, pk("evidence"), w.evidence(meta.title_span))
    if meta.date:
        w.add(doc, pk("datePublished"), date_literal(meta.date))
        if meta.date_span:
            w.add(doc, pk("evidence"), w.evidence(meta.date_span))
    if meta.url:
        w.add(doc, pk("url"), Literal(meta.url, datatype=NamedNode(XSD + "anyURI")))
    for author in meta.authors:
        w.add(doc, pk("author"), w.agent(author, doc))
    if meta.publisher:
        w.add(doc, pk("publisher"), w.agent(meta.publisher, doc))
    for field_name in meta.curated_fields:
        w.add(doc, pk("curatedField"), text(field_name))


def _citation(w: GraphWriter, citation: Citation) -> None:
    node = NamedNode(w.iris.citation(w.doc_id, citation.marker))
    w.add(w.document, pk("cites"), node)
    w.add(node, TYPE, pk("Citation"))
    w.add(node, LABEL, english(citation.title or f"note {citation.marker}"))
    w.add(node, pk("marker"), text(citation.marker))
    w.add(node, pk("evidence"), w.evidence(citation.span))
    w.add(node, pk("generatedBy"), w.activity)
    if citation.title:
        w.add(node, pk("title"), text(citation.title))
    if citation.date:
        w.add(node, pk("datePublished"), date_literal(citation.date))
    if citation.url:
        w.add(node, pk("url"), Literal(citation.url, datatype=NamedNode(XSD + "anyURI")))
    for author in citation.authors:
        w.add(node, pk("author"), w.agent(author, node))
    if citation.outlet:
        w.add(node, pk("publisher"), w.agent(citation.outlet, node))
    for sentence in citation.citing_sentences:
        w.add(node, pk("citingSentence"), w.evidence(sentence))
