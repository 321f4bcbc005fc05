"""HTML pages to plain text, keeping block structure and the page's metadata.

Uses the standard library's tolerant parser: no DTD or external entity is
ever fetched, scripts and styles never reach the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED = {
    "title",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "canvas",
    "head",
    "aside",
}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "pre",
    "hr",
    "br",
    "address",
    "time",
}
META_KEYS = {
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "citation_author": "author",
    "article:published_time": "date",
    "date": "date",
    "dc.date": "date",
    "citation_publication_date": "date",
    "og:site_name": "publisher",
    "article:publisher": "publisher",
    "dc.publisher": "publisher",
    "og:title": "title",
    "citation_title": "title",
    "og:url": "url",
}


@dataclass
class HtmlPage:
    text: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    captions: list[tuple[int, int]] = field(default_factory=list)  # offsets in text
    headings: list[str] = field(default_factory=list)


class _Renderer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.meta: dict[str, list[str]] = {}
        self.captions: list[tuple[int, int]] = []
        self.headings: list[str] = []
        self.skip_depth = 0
        self.stack: list[str] = []
        self.caption_start: int | None = None
        self.heading_start: int | None = None
        self.list_counters: list[int] = []
        self.in_title = False
        self.title = ""

    def emit(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def newline(self, count: int = 2) -> None:
        tail = "".join(self.parts[-3:])
        have = len(tail) - len(tail.rstrip("\n"))
        if self.length and have < count:
            self.emit("\n" * (count - have))

    def handle_starttag(self, tag, attrs):
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(attributes)
            return
        if tag == "link" and attributes.get("rel", "").lower() == "canonical":
            self.meta.setdefault("url", []).append(attributes.get("href", ""))
            return
        if tag == "title":
            self.in_title = True
        if tag in SKIPPED:
            self.skip_depth += 1
            self.stack.append(tag)
            return
        if tag in {"br", "hr", "img", "meta", "link", "input"}:
            if tag == "br":
                self.newline(1)
            return
        self.stack.append(tag)
        if tag in BLOCKS:
            self.newline(1 if tag in {"li", "tr", "dt", "dd"} else 2)
        if tag == "ol":
            self.list_counters.append(0)
        elif tag == "ul":
            self.list_counters.append(-1)
        elif tag == "li" and not self.skip_depth:
            self._list_item()
        elif tag == "figcaption":
            self.caption_start = self.length
        elif tag in {"h1", "h2", "h3"}:
            self.heading_start = self.length
        elif tag == "sup":
            self.emit("[")

    def _list_item(self):
        if self.list_counters and self.list_counters[-1] >= 0:
            self.list_counters[-1] += 1
            self.emit(f"{self.list_counters[-1]}. ")
        else:
            self.emit("• ")

    def _meta(self, attributes):
        key = (attributes.get("name") or attributes.get("property") or "").lower()
        if key in META_KEYS and attributes.get("content"):
            self.meta.setdefault(META_KEYS[key], []).append(attributes["content"].strip())

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag not in self.stack:
            return  # a stray closing tag
        while self.stack:
            open_tag = self.stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag):
        if tag in SKIPPED:
            self.skip_depth -= 1
            return
        if tag in {"ol", "ul"} and self.list_counters:
            self.list_counters.pop()
        if tag == "figcaption" and self.caption_start is not None:
            self.captions.append((self.caption_start, self.length))
            self.caption_start = None
        if tag in {"h1", "h2", "h3"} and self.heading_start is not None:
            self.headings.append("".join(self.parts)[self.heading_start :].strip())
            self.heading_start = None
        if tag == "sup":
            self.emit("]")
        if tag in BLOCKS:
            self.newline(1 if tag in {"li", "tr", "dt", "dd"} else 2)

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.skip_depth:
            return
        collapsed = re.sub(r"\s+", " ", data)
        at_line_start = not self.parts or self.parts[-1].endswith("\n")
        if at_line_start:
            collapsed = collapsed.lstrip()
        if collapsed:
            self.emit(collapsed)


def html_to_text(markup: str) -> HtmlPage:
    """Render an HTML page as text with one block per paragraph.

    >>> page = html_to_text("<title>T</title><p>Hello<script>var x=1;</script> &amp; bye</p>")
    >>> page.text, page.meta["title"]
    ('Hello & bye\\n', ['T'])
    """
    renderer = _Renderer()
    renderer.feed(markup)
    renderer.close()
    text = "".join(renderer.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    meta = dict(renderer.meta)
    if renderer.title.strip():
        meta.setdefault("title", []).append(re.sub(r"\s+", " ", renderer.title).strip())
    captions = _relocate(renderer, text)
    return HtmlPage(text=text, meta=meta, captions=captions, headings=renderer.headings)


def _relocate(renderer: _Renderer, text: str) -> list[tuple[int, int]]:
    """Caption offsets in the tidied text (tidying shifts them)."""
    raw = "".join(renderer.parts)
    found = []
    for start, end in renderer.captions:
        caption = raw[start:end].strip()
        at = text.find(caption) if caption else -1
        if at >= 0:
            found.append((at, at + len(caption)))
    return found
