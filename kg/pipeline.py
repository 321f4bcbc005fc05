"""The extraction pipeline: one file in, one :class:`~kg.model.Extraction` out.

Each stage is its own module; this one only runs them in order.
"""

from __future__ import annotations

from pathlib import Path

from .boilerplate import find_layout
from .citations import extract_citations
from .model import Extraction, Span
from .read import DEFAULT_MAX_BYTES, RawDocument, read_document
from .sources import extract_metadata


def extract_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Extraction:
    """Read one document file and extract what it says.

    >>> from kg.resources import resource_dir
    >>> sample = sorted((resource_dir("lexicons").parent / "documents").glob("*.txt"))[0]
    >>> extract_file(sample).meta.language
    'en'
    """
    return extract_document(read_document(Path(path), max_bytes=max_bytes))


def extract_document(raw: RawDocument) -> Extraction:
    """Run every stage over a decoded document."""
    layout = find_layout(raw.text, raw.html_captions)
    meta = extract_metadata(raw, layout)
    extraction = Extraction(
        file=raw.path,
        text=raw.text,
        content_hash=raw.content_hash,
        meta=meta,
        warnings=list(raw.warnings),
    )
    if meta.language != "en":
        extraction.warnings.append(
            f"{raw.path}: language is {meta.language!r}, not English; English rules skipped"
        )
    else:
        notes = extract_citations(raw.text, layout)
        extraction.citations = notes.citations
    extraction.boilerplate = _merge(layout.merged())
    return extraction


def _merge(spans: list[Span]) -> list[Span]:
    return sorted(set(spans))
