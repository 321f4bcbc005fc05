"""The extraction pipeline: one file in, one :class:`~kg.model.Extraction` out.

Each stage is its own module; this one only runs them in order.
"""

from __future__ import annotations

from pathlib import Path

from .boilerplate import find_layout
from .citations import extract_citations
from .claims import MAX_SENTENCE_CHARS, extract_claims, extract_quotations, mark_quotations
from .events import find_events
from .link import agent_key, link_actor, link_actors
from .mentions import Mention, find_mentions
from .model import Extraction, Span
from .policies import find_policies
from .questions import stances
from .read import DEFAULT_MAX_BYTES, RawDocument, read_document
from .resolve import Actor, agent_mention, resolve_actors
from .rules import document_rules, rules_fingerprint
from .segment import masked, paragraphs, sentence_spans
from .segment import sentences as paragraph_sentences
from .sources import extract_metadata


def extract_file(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model: str | None = None,
    link: bool = True,
) -> Extraction:
    """Read one document file and extract what it says.

    >>> from kg.resources import resource_dir
    >>> sample = sorted((resource_dir("lexicons").parent / "documents").glob("*.txt"))[0]
    >>> extract_file(sample).meta.language
    'en'
    """
    return extract_document(read_document(Path(path), max_bytes=max_bytes), model=model, link=link)


def extract_document(
    raw: RawDocument, *, model: str | None = None, link: bool = True
) -> Extraction:
    """Run every stage over a decoded document.

    ``model`` names an installed statistical spaCy model whose entities are
    added to what the rules find; nothing requires one. ``link=False`` skips
    linking to the Wikidata reference.
    """
    layout = find_layout(raw.text, raw.html_captions)
    meta = extract_metadata(raw, layout)
    extraction = Extraction(
        file=raw.path,
        text=raw.text,
        content_hash=raw.content_hash,
        meta=meta,
        warnings=list(raw.warnings),
        rules=document_rules(rules_fingerprint(model, link), raw.sidecar_hash),
    )
    if meta.language != "en":
        extraction.warnings.append(
            f"{raw.path}: language is {meta.language!r}, not English; English rules skipped"
        )
    else:
        notes = extract_citations(raw.text, layout)
        extraction.citations = notes.citations
        outside = [s for s in layout.merged() if s not in layout.bios] + notes.region
        body = masked(raw.text, layout.merged() + notes.region)
        _analyse_body(extraction, body, masked(raw.text, outside), model)
        if link:
            _link(extraction)
    extraction.boilerplate = sorted(set(layout.merged()))
    return extraction


def _analyse_body(extraction: Extraction, body: str, named: str, model: str | None) -> None:
    """Actors, claims, quotations, policies, events and stances of the article body.

    ``body`` is the text with everything but the article blanked out; ``named``
    also keeps the author bio lines, whose organisations are actors too.
    """
    text, meta = extraction.text, extraction.meta
    mentions = find_mentions(named, model=model)
    agents = [(a, "byline") for a in meta.authors] + [(meta.publisher, "publisher")]
    for agent, rule in agents:
        mention = agent_mention(agent, rule) if agent else None
        if mention is not None and named[mention.span.start : mention.span.end].strip():
            mentions.append(mention)  # publishers named only in page furniture are left out
    extraction.actors, extraction.places = resolve_actors(_unique(mentions))
    sentences = [Span(s.start, s.end, text[s.start : s.end]) for s in sentence_spans(body)]
    for long_run in [s for s in sentences if len(s.exact) > MAX_SENTENCE_CHARS][:1]:
        extraction.warnings.append(
            f"{extraction.file} (offset {long_run.start}): {len(long_run.exact):,} characters "
            "without a sentence end; not read for claims"
        )
    claimant = _document_voice(extraction, mentions)
    extraction.claims = extract_claims(sentences, mentions, claimant, _main_spans(extraction, body))
    extraction.quotations = extract_quotations(text, sentences, mentions)
    mark_quotations(extraction.claims, extraction.quotations)
    extraction.policies = find_policies(text, extraction.claims, mentions)
    extraction.events = find_events(extraction.claims, mentions, meta.date)
    extraction.stances = stances(extraction.claims)


def _link(extraction: Extraction) -> None:
    """Links for the body's actors and places, and for the agents of metadata and notes."""
    everyone = extraction.actors + extraction.places
    extraction.links = dict(zip((a.key for a in everyone), link_actors(everyone), strict=True))
    meta = extraction.meta
    agents = [*meta.authors, meta.publisher]
    for citation in extraction.citations:
        agents += [*citation.authors, citation.outlet]
    for agent in filter(None, agents):
        actor = Actor(agent_key(agent), agent.name, agent.kind)
        extraction.links.setdefault(actor.key, link_actor(actor))


def _unique(mentions: list[Mention]) -> list[Mention]:
    return list({(m.span.start, m.span.end, m.key): m for m in mentions}.values())


def _document_voice(extraction: Extraction, mentions: list[Mention]) -> Mention:
    """Who speaks in the document's own sentences: its first author, else its publisher."""
    meta = extraction.meta
    for agent in [*meta.authors, meta.publisher]:
        if agent is not None:
            return agent_mention(agent, "document-voice", required=True)
    name = f"author of {meta.title or extraction.file}"
    return Mention(
        Span(0, 0, ""), f"Actor:author of {extraction.doc_id}", name, "Actor", "document-voice"
    )


def _main_spans(extraction: Extraction, body: str) -> list[Span]:
    """The title and the thesis: the last sentence of the first body paragraph."""
    spans = [extraction.meta.title_span] if extraction.meta.title_span else []
    for paragraph in paragraphs(body):
        in_paragraph = list(paragraph_sentences(body, paragraph))
        if len(paragraph.exact.split()) > 25 and in_paragraph:
            spans.append(in_paragraph[-1])
            break
    return spans
