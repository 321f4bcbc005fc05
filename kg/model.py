"""The plain data passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``text[start:end]`` of a document (Unicode code points, end exclusive)."""

    start: int
    end: int
    exact: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Span of ``text`` between two offsets, trimmed of surrounding spaces.

        >>> Span.of("  Jane Doe ", 0, 11)
        Span(start=2, end=10, exact='Jane Doe')
        """
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year.

    >>> PartialDate(2016, 8).iso
    '2016-08'
    >>> PartialDate(2017, 11, 30).datatype
    'date'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def datatype(self) -> str:
        """Local name of the XSD datatype that holds this precision."""
        if self.day:
            return "date"
        return "gYearMonth" if self.month else "gYear"


@dataclass(frozen=True)
class Agent:
    """A named person or organisation as a document writes it."""

    name: str
    kind: str  # an ontology class name: Person, MediaOutlet, ResearchInstitute, ...
    span: Span | None = None


@dataclass
class Citation:
    """A work listed in a document's notes."""

    marker: str
    span: Span
    authors: list[Agent] = field(default_factory=list)
    title: str | None = None
    outlet: Agent | None = None
    date: PartialDate | None = None
    url: str | None = None
    citing_sentences: list[Span] = field(default_factory=list)


@dataclass
class DocumentMeta:
    """What a document says about itself, plus a curator's sidecar."""

    title: str | None = None
    title_span: Span | None = None
    authors: list[Agent] = field(default_factory=list)
    publisher: Agent | None = None
    date: PartialDate | None = None
    date_span: Span | None = None
    url: str | None = None
    language: str = "en"
    curated_fields: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass
class Extraction:
    """Everything the pipeline found in one file."""

    file: str
    text: str
    content_hash: str
    meta: DocumentMeta
    citations: list[Citation] = field(default_factory=list)
    boilerplate: list[Span] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Filled by the English stages (types live in their modules: resolve.Actor,
    # claims.Claim, claims.Quotation, policies.Policy, events.Event, questions.Stance).
    actors: list[Any] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    claims: list[Any] = field(default_factory=list)
    quotations: list[Any] = field(default_factory=list)
    policies: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    stances: list[Any] = field(default_factory=list)
    links: dict[str, Any] = field(default_factory=dict)  # actor key -> link.Link
    rules: str = ""  # kg.rules fingerprint of the rules and options used

    @property
    def doc_id(self) -> str:
        """Stable id of the document: the first 16 hex digits of its content hash."""
        return self.content_hash[:16]
