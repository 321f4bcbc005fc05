"""Page furniture: find what is not part of the article so no field is fed from it.

Cues (subscription prompts, comment boxes, photo captions and credits,
"related" lists) come from ``data/lexicons/boilerplate.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import lexicon
from .cues import fold, search_any
from .model import Span
from .segment import Line, lines


@dataclass
class Layout:
    """Where the article is in a document's text."""

    boilerplate: list[Span] = field(default_factory=list)
    tail_start: int = 0  # start of the trailing related/comments section (len(text) if none)
    bios: list[Span] = field(
        default_factory=list
    )  # author bio lines: not body, but they name actors

    def add(self, span: Span) -> None:
        self.boilerplate.append(span)

    def covers(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside boilerplate or the tail."""
        if start >= self.tail_start:
            return True
        return any(s.start <= start and end <= s.end for s in self.boilerplate)

    def merged(self) -> list[Span]:
        return sorted(set(self.boilerplate))


def _matches(name: str, text: str) -> bool:
    # a pattern whose literal words the line lacks is skipped (kg.cues)
    return search_any(lexicon.patterns("boilerplate", name), text, fold(text))


def find_layout(text: str, captions: list[tuple[int, int]] = ()) -> Layout:
    """Boilerplate spans and the start of the trailing section of ``text``.

    >>> page = "Title\\n\\nPhoto Credit: AFP\\n\\nBody text.\\n\\nLeave a Reply\\nSpam"
    >>> [s.exact for s in find_layout(page).merged()]
    ['Photo Credit: AFP', 'Leave a Reply\\nSpam']
    """
    all_lines = [line for line in lines(text) if line.content]
    layout = Layout(tail_start=len(text))
    for start, end in captions:
        layout.add(Span.of(text, start, end))
    index = 0
    while index < len(all_lines):
        line = all_lines[index]
        if index > 0 and _matches("tail_patterns", line.content):
            layout.tail_start = line.start
            layout.add(Span.of(text, line.start, len(text)))
            break
        index = _classify(text, all_lines, index, layout)
    return layout


def _classify(text: str, all_lines: list[Line], index: int, layout: Layout) -> int:
    """Mark the line at ``index`` (and lines it drags along); return the next index."""
    line = all_lines[index]
    following = all_lines[index + 1] if index + 1 < len(all_lines) else None
    if _matches("block_patterns", line.content):
        layout.add(_span(text, line))
        index += 1
        while index < len(all_lines) and _is_bullet(all_lines[index]):
            layout.add(_span(text, all_lines[index]))
            index += 1
        return index
    if _matches("line_patterns", line.content):
        layout.add(_span(text, line))
        return index + 1
    repeated = following is not None and following.content == line.content
    if repeated or _matches("caption_patterns", line.content):
        layout.add(_span(text, line))
        if repeated:
            layout.add(_span(text, following))
        index += 2 if repeated else 1
        if index < len(all_lines) and _is_credit(all_lines[index].content):
            layout.add(_span(text, all_lines[index]))
            index += 1
        return index
    return index + 1


def _span(text: str, line: Line) -> Span:
    return Span.of(text, line.start, line.end)


def _is_bullet(line: Line) -> bool:
    return line.text.lstrip()[:1] in {"•", "*", "-", "·", "▪", "◦"}


def _is_credit(content: str) -> bool:
    limit = lexicon.load("boilerplate")["max_credit_words"]
    short = len(content.split()) <= limit and not content.endswith(".")
    return short and _matches("credit_patterns", content)
