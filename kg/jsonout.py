"""The JSON form of an extraction: the stable contract of ``kg extract --format json``.

The schema is documented in the README; change it only by adding keys.
"""

from __future__ import annotations

from .ids import Iris
from .model import Agent, Citation, Extraction, Span

SCHEMA_VERSION = 1


def span_dict(span: Span | None) -> dict | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.exact}


def agent_dict(agent: Agent | None, iris: Iris) -> dict | None:
    if agent is None:
        return None
    return {
        "name": agent.name,
        "kind": agent.kind,
        "iri": iris.agent(agent.kind, agent.name),
        "wikidata": None,
        "span": span_dict(agent.span),
    }


def citation_dict(citation: Citation, iris: Iris) -> dict:
    return {
        "marker": citation.marker,
        "authors": [agent_dict(a, iris) for a in citation.authors],
        "title": citation.title,
        "outlet": agent_dict(citation.outlet, iris),
        "date": citation.date.iso if citation.date else None,
        "url": citation.url,
        "span": span_dict(citation.span),
        "cited_from": [span_dict(s) for s in citation.citing_sentences],
    }


def extraction_dict(extraction: Extraction, iris: Iris | None = None) -> dict:
    """One JSON object for one input file.

    >>> from kg.model import DocumentMeta
    >>> d = extraction_dict(Extraction("a.txt", "Hi.", "0" * 64, DocumentMeta(title="Hi")))
    >>> d["file"], d["title"], d["citations"]
    ('a.txt', 'Hi', [])
    """
    iris = iris or Iris()
    meta = extraction.meta
    return {
        "schema_version": SCHEMA_VERSION,
        "file": extraction.file,
        "id": extraction.doc_id,
        "iri": iris.document(extraction.doc_id),
        "content_hash": extraction.content_hash,
        "title": meta.title,
        "title_span": span_dict(meta.title_span),
        "authors": [agent_dict(a, iris) for a in meta.authors],
        "publisher": agent_dict(meta.publisher, iris),
        "date": meta.date.iso if meta.date else None,
        "url": meta.url,
        "language": meta.language,
        "curated_fields": list(meta.curated_fields),
        "citations": [citation_dict(c, iris) for c in extraction.citations],
        "actors": [],
        "claims": [],
        "quotations": [],
        "policies": [],
        "events": [],
        "boilerplate": [span_dict(s) for s in extraction.boilerplate],
        "warnings": list(extraction.warnings),
    }
