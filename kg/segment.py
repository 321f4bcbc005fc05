"""Lines, paragraphs and sentences of a text, each with its character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from . import lexicon
from .model import Span

BULLETS = "•·*-–—▪►◦ \t"
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?:\[\^?[0-9ivxlcdm]{1,6}\])*(?=\s)", re.I)
_NEXT_STARTS = re.compile(r"\s+[\"“‘'(\[]*[A-Z0-9]")


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    @property
    def content(self) -> str:
        """The line without leading bullets and surrounding spaces."""
        return self.text.strip().lstrip(BULLETS).strip()


def lines(text: str) -> list[Line]:
    """Every line of ``text`` with its offsets (newline excluded).

    >>> [(line.start, line.text) for line in lines("ab\\n\\ncd")]
    [(0, 'ab'), (3, ''), (4, 'cd')]
    """
    found, start = [], 0
    for piece in text.split("\n"):
        found.append(Line(start, start + len(piece), piece))
        start += len(piece) + 1
    return found


def masked(text: str, spans: list[Span]) -> str:
    """``text`` with the characters of ``spans`` blanked out, newlines and offsets kept.

    >>> masked("keep DROP keep", [Span(5, 9, "DROP")])
    'keep      keep'
    """
    chars = list(text)
    for span in spans:
        for i in range(span.start, min(span.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def paragraphs(text: str) -> Iterator[Span]:
    """Paragraphs: runs of non-blank lines, one line each when lines end a sentence."""
    current: list[Line] = []
    for line in lines(text):
        if not line.text.strip():
            yield from _flush(text, current)
            current = []
            continue
        if current and _ends_block(current[-1]):
            yield from _flush(text, current)
            current = []
        current.append(line)
    yield from _flush(text, current)


def _ends_block(line: Line) -> bool:
    stripped = line.text.rstrip()
    return len(stripped) < 60 or bool(re.search(r"[.!?:\"”’\]]$", stripped))


def _flush(text: str, block: list[Line]) -> Iterator[Span]:
    if block:
        yield Span.of(text, block[0].start, block[-1].end)


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(lexicon.load("sources")["abbreviations"])


def sentences(text: str, paragraph: Span) -> Iterator[Span]:
    """Sentences of one paragraph; note markers after a full stop stay with its sentence.

    >>> para = Span.of("It rose.[i] The U.S. fell.", 0, 26)
    >>> [s.exact for s in sentences("It rose.[i] The U.S. fell.", para)]
    ['It rose.[i]', 'The U.S. fell.']
    """
    start = paragraph.start
    for match in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        if not _NEXT_STARTS.match(text, match.end(), paragraph.end) or _is_abbreviation(
            text, start, match.start()
        ):
            continue
        yield Span.of(text, start, match.end())
        start = match.end()
    if text[start : paragraph.end].strip():
        yield Span.of(text, start, paragraph.end)


def _is_abbreviation(text: str, sentence_start: int, period_at: int) -> bool:
    token = re.search(r"\S*$", text[sentence_start : period_at + 1]).group()
    token = token.lstrip("\"“‘'([")
    return token in _abbreviations() or bool(re.fullmatch(r"[A-Z]\.", token))


def sentence_spans(text: str) -> list[Span]:
    """All sentences of a text, in order."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=4)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    """The sentences of the last few texts: the notes and the body read the same one."""
    return tuple(s for para in paragraphs(text) for s in sentences(text, para))
