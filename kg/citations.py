"""Endnotes and footnotes: the works a document cites, and the sentences that cite them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .boilerplate import Layout
from .dates import find_date
from .model import Agent, Citation, Span
from .names import canonical_organization, organization_kind, split_names
from .segment import lines, masked, sentence_spans

_MARKER = r"(?P<marker>[ivxlcdm]{1,7}|\d{1,3})"
NOTE_LINES = (
    re.compile(r"^\s*\[" + _MARKER + r"\]\s*(?P<body>\S.*)$", re.I),
    re.compile(r"^\s*\[\^(?P<marker>[\w-]{1,20})\]:\s*(?P<body>\S.*)$"),
)
NUMBERED_NOTE = re.compile(r"^\s*(?P<marker>\d{1,3})[.)]\s+(?P<body>\S.*)$")
IN_TEXT_MARKER = re.compile(r"\[\^?(?P<marker>[\w-]{1,20})\](?!:)")
_QUOTED = re.compile(r"[“\"](?P<title>[^”\"]+?)[”\"]")
_URL = re.compile(r"https?://\S+")


@dataclass
class Notes:
    citations: list[Citation]
    region: list[Span]  # the lines of the notes section, outside the body


def extract_citations(text: str, layout: Layout) -> Notes:
    """Citation nodes from a document's notes, each linked to the sentences citing it."""
    notes = _find_notes(text, layout)
    if notes.citations:
        _link_citing_sentences(text, layout, notes)
    return notes


def _find_notes(text: str, layout: Layout) -> Notes:
    citations, region = [], []
    in_notes_section = False
    for line in lines(text):
        if not line.content or layout.covers(line.start, line.end):
            continue
        if any(p.match(line.content) for p in lexicon.patterns("sources", "notes_headings")):
            in_notes_section = True
            region.append(Span.of(text, line.start, line.end))
            continue
        match = _note_match(line.text, in_notes_section)
        if match and _looks_like_reference(match.group("body")):
            body_start = line.start + match.start("body")
            span = Span.of(text, line.start, line.end)
            citation = parse_citation(
                match.group("marker"), match.group("body"), body_start, span, text
            )
            if citation.title or citation.outlet:  # a bare date or link cites nothing nameable
                citations.append(citation)
                region.append(span)
    return Notes(citations, region)


def _note_match(line: str, in_notes_section: bool) -> re.Match | None:
    for pattern in NOTE_LINES:
        match = pattern.match(line)
        if match:
            return match
    return NUMBERED_NOTE.match(line) if in_notes_section else None


def _looks_like_reference(body: str) -> bool:
    return bool(_QUOTED.search(body) or find_date(body, year_only=True) or _URL.search(body))


@cache
def _genre_words() -> tuple[str, ...]:
    return tuple(sorted(lexicon.load("sources")["citation_genre_words"], key=len, reverse=True))


def parse_citation(marker: str, body: str, body_start: int, span: Span, text: str) -> Citation:
    """Authors, title, outlet, date and URL of one note's text.

    >>> body = 'Stephen Collinson, "Trump confronts test," CNN, November 30, 2017,'
    >>> c = parse_citation("i", body, 0, None, body)
    >>> [a.name for a in c.authors], c.title, c.outlet.name, c.date.iso
    (['Stephen Collinson'], 'Trump confronts test', 'CNN', '2017-11-30')
    """
    citation = Citation(marker=marker, span=span)
    body, link = _without_markdown(body)
    url = link or _URL.search(body)
    if isinstance(url, str):
        citation.url = url
    elif url:
        citation.url = url.group().rstrip(".,;)")
        body = body[: url.start()]
    quoted = _QUOTED.search(body)
    if quoted:
        citation.title = quoted.group("title").strip().rstrip(",").strip()
        before, after, after_at = body[: quoted.start()], body[quoted.end() :], quoted.end()
        citation.authors = split_names(before.strip().rstrip(","), body_start, text)
    else:
        before, after, after_at = "", body, 0
    date = find_date(after) or find_date(after, year_only=True)
    outlet_text = after[: date[1]] if date else after
    if date:
        citation.date = date[0]
    if not quoted:
        outlet_text = _authors_then_medium(citation, outlet_text, body_start, text)
    citation.outlet = _outlet(outlet_text, body_start + after_at, text)
    return citation


_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def _without_markdown(body: str) -> tuple[str, str | None]:
    """Markdown links and emphasis blanked to spaces (offsets kept); the first link's URL.

    >>> _without_markdown('"[Title](https://x.org/a)," *Digest*')
    ('" Title                  ,"  Digest ', 'https://x.org/a')
    """
    first = _MARKDOWN_LINK.search(body)

    def blank(match: re.Match) -> str:
        return " " + match.group("text") + " " * (len(match.group()) - len(match.group("text")) - 1)

    body = _MARKDOWN_LINK.sub(blank, body)
    body = re.sub(r"(?<!\w)[*_]+|[*_]+(?!\w)", lambda m: " " * len(m.group()), body)
    return body, first.group("url") if first else None


def _authors_then_medium(citation: Citation, head: str, body_start: int, text: str) -> str:
    """Without a quoted title: "Author, Medium, date" or just "Medium, date"."""
    parts = [p for p in head.split(",") if p.strip()]
    if len(parts) >= 2:
        citation.authors = split_names(
            parts[0].strip(), body_start + head.find(parts[0].strip()), text
        )
        if citation.authors:
            return head[head.find(parts[1]) :]
    return head


def _outlet(written: str, offset: int, text: str) -> Agent | None:
    stripped = written.strip(" ,.;:–—-")
    stripped = re.sub(r"^(in|on)\s+", "", stripped)
    for word in _genre_words():
        stripped = re.sub(rf"\s+{re.escape(word)}$", "", stripped, flags=re.I)
    if not stripped or len(stripped.split()) > 12:
        return None
    at = written.find(stripped)
    span = Span(offset + at, offset + at + len(stripped), stripped) if text and at >= 0 else None
    if span and text[span.start : span.end] != stripped:
        span = None
    name = canonical_organization(stripped)
    return Agent(name, organization_kind(name) or "MediaOutlet", span)


def _link_citing_sentences(text: str, layout: Layout, notes: Notes) -> None:
    body = masked(text, layout.merged() + notes.region)
    sentences = sentence_spans(body)
    starts = [s.start for s in sentences]
    by_marker = {c.marker.lower(): c for c in notes.citations}
    for match in IN_TEXT_MARKER.finditer(body):
        citation = by_marker.get(match.group("marker").lower())
        index = bisect.bisect_right(starts, match.start()) - 1
        if citation is None or index < 0 or match.start() >= sentences[index].end:
            continue
        found = sentences[index]
        sentence = Span(found.start, found.end, text[found.start : found.end])
        if sentence not in citation.citing_sentences:
            citation.citing_sentences.append(sentence)
