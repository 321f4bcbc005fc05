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


def mention_dict(mention) -> dict:
    return {**span_dict(mention.span), "rule": mention.rule}


def actor_dict(actor, iris: Iris, link=None) -> dict:
    return {
        "name": actor.name,
        "kind": actor.kind,
        "iri": iris.actor(actor),
        "wikidata": link.wikidata if link else None,
        "link": None
        if link is None
        else {
            "status": link.status,
            "method": link.method,
            "confidence": float(link.confidence) if link.confidence is not None else None,
            "candidates": link.candidates,
        },
        "alt_labels": list(actor.alt_labels),
        "mentions": [mention_dict(m) for m in actor.mentions if m.span.end > m.span.start],
    }


def voice_dict(mention, iris: Iris) -> dict:
    return {
        "name": mention.name,
        "kind": mention.kind,
        "iri": iris.actor(mention),
        "wikidata": mention.wikidata,
    }


def claim_dict(claim, iris: Iris) -> dict:
    return {
        **span_dict(claim.span),
        "kind": claim.kind,
        "claimant": voice_dict(claim.claimant, iris),
        "modality": claim.modality,
        "polarity": claim.polarity,
        "main": claim.main,
        "actors": claim.actors,
        "rule": claim.rule,
        "reported_in": span_dict(claim.reported_in),
        "addressees": [voice_dict(m, iris) for m in claim.addressees],
    }


def quotation_dict(quotation, iris: Iris) -> dict:
    return {
        **span_dict(quotation.span),
        "speaker": voice_dict(quotation.speaker, iris),
        "sentence": span_dict(quotation.sentence),
        "rule": quotation.rule,
    }


def policy_dict(policy) -> dict:
    return {
        **span_dict(policy.span),
        "type": policy.type,
        "stance": policy.stance,
        "implementers": policy.implementers,
        "targets": policy.targets,
        "sentence": span_dict(policy.sentence),
        "mentions": [
            {**span_dict(span), "stance": stance}
            for span, stance in zip(policy.spans, policy.stances, strict=True)
        ],
    }


def event_dict(event) -> dict:
    return {
        **span_dict(event.span),
        "type": event.type,
        "date": event.date.iso if event.date else None,
        "date_text": event.date_text,
        "date_resolved": event.resolved,
        "participants": event.participants,
        "places": event.places,
        "sentence": span_dict(event.sentence),
    }


def stance_dict(stance) -> dict:
    return {
        "question": stance.question,
        "stance": stance.stance,
        "cue": stance.cue,
        "claim": span_dict(stance.claim.span),
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
        "actors": [actor_dict(a, iris, extraction.links.get(a.key)) for a in extraction.actors],
        "places": [actor_dict(p, iris, extraction.links.get(p.key)) for p in extraction.places],
        "claims": [claim_dict(c, iris) for c in extraction.claims],
        "quotations": [quotation_dict(q, iris) for q in extraction.quotations],
        "policies": [policy_dict(p) for p in extraction.policies],
        "events": [event_dict(e) for e in extraction.events],
        "questions": [stance_dict(s) for s in extraction.stances],
        "boilerplate": [span_dict(s) for s in extraction.boilerplate],
        "warnings": list(extraction.warnings),
    }
