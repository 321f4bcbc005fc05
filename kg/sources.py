"""Document metadata: title, authors, publisher, date, URL, language.

Sidecar values win over HTML meta tags, which win over what the text says.
Cue patterns come from ``data/lexicons/sources.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from . import lexicon
from .boilerplate import Layout
from .dates import find_date, parse_date
from .language import detect_language
from .model import Agent, DocumentMeta, Span
from .names import (
    canonical_organization,
    clean_name,
    looks_like_person,
    organization_kind,
    split_names,
)
from .read import RawDocument
from .segment import Line, lines


def extract_metadata(raw: RawDocument, layout: Layout) -> DocumentMeta:
    """Everything a document says about itself, with the spans that say it."""
    text = raw.text
    meta = DocumentMeta(language=detect_language(text))
    header = _header_lines(text, layout)
    _title(meta, raw, header)
    if meta.language == "en":
        meta.authors = _dedupe(_byline_authors(text, header) + _credit_authors(text, layout))
        meta.authors = _dedupe(meta.authors + _bio_authors(text, layout))
        _date_from_text(meta, text, header)
        meta.publisher = _publisher_from_text(text)
    _from_html(meta, raw)
    _from_sidecar(meta, raw)
    return meta


def _config() -> dict:
    return lexicon.load("sources")


def _header_lines(text: str, layout: Layout) -> list[Line]:
    wanted = _config()["header_lines"]
    found = [
        line for line in lines(text) if line.content and not layout.covers(line.start, line.end)
    ]
    return found[:wanted]


def _title(meta: DocumentMeta, raw: RawDocument, header: list[Line]) -> None:
    line = _markdown_heading(header) if raw.format == "markdown" else _title_line(header)
    if line is None:
        return
    content = line.content.lstrip("#").strip()
    start = line.start + line.text.find(content)
    meta.title_span = Span(start, start + len(content), content)
    meta.title = clean_name(content) if content.isupper() else content.strip("*_ ")


def _markdown_heading(header: list[Line]) -> Line | None:
    headings = [line for line in header if re.match(r"#\s", line.text)]
    return headings[0] if headings else None


def _title_line(header: list[Line]) -> Line | None:
    """The first title-like header line of enough words, before the byline and the body."""
    fallback = None
    for line in header:
        if _byline_match(_plain(line.text)) or _is_date_line(line):
            break
        if not _is_title(line.content):
            break  # the body has begun
        if len(line.content.split()) >= _config()["min_title_words"]:
            return line
        fallback = fallback or line
    return fallback if header and fallback is header[0] else None  # a short title only on top


def _is_title(content: str) -> bool:
    words = content.split()
    if not words or len(words) > _config()["max_title_words"]:
        return False
    return not (content.endswith((".", ":", ",", ";")) and not content.endswith("..."))


def _is_date_line(line: Line) -> bool:
    return any(
        p.match(line.text.strip()) and find_date(line.text)
        for p in lexicon.patterns("sources", "date_line_patterns")
    )


def _plain(text: str) -> str:
    """Markdown emphasis blanked out, offsets kept."""
    return re.sub(r"[*_]", " ", text)


def _byline_match(content: str) -> re.Match | None:
    for pattern in lexicon.patterns("sources", "byline_patterns"):
        match = pattern.match(content)
        if match:
            return match
    return None


def _byline_authors(text: str, header: list[Line]) -> list[Agent]:
    for line in header:
        plain = _plain(line.text)
        match = _byline_match(plain.strip())
        if match:
            offset = line.start + (len(plain) - len(plain.lstrip()))
            names_start = offset + match.start("names")
            return split_names(match.group("names"), names_start, text)
    return []


def _credit_authors(text: str, layout: Layout) -> list[Agent]:
    agents = []
    for line in lines(text):
        if not line.content or line.start >= layout.tail_start:
            continue
        for pattern in lexicon.patterns("sources", "credit_author_patterns"):
            match = pattern.search(line.content)
            if match:
                offset = line.start + line.text.find(line.content) + match.start("names")
                agents += split_names(match.group("names"), offset, text)
                credit = Span.of(text, line.start, line.end)
                layout.add(credit)
                layout.bios.append(credit)
    return agents


@cache
def _bio_regex() -> re.Pattern:
    return re.compile(_config()["bio_pattern"])


def _bio_authors(text: str, layout: Layout) -> list[Agent]:
    """Authors from "NAME is a Fellow at ..." lines at the end of the article."""
    region_start = int(layout.tail_start * (1 - _config()["bio_region_fraction"]))
    role_words = set(_config()["bio_role_words"])
    agents = []
    for line in lines(text):
        if line.start < region_start or line.start >= layout.tail_start or not line.content:
            continue
        match = _bio_regex().match(line.text)
        if not match or len(line.text.split()) > 80:
            continue
        role_tokens = set(re.findall(r"[a-z]+", match.group("role").lower()))
        name = _as_written_elsewhere(text, clean_name(match.group("name")))
        if not role_tokens & role_words or not looks_like_person(name) or organization_kind(name):
            continue
        span = Span(
            line.start + match.start("name"), line.start + match.end("name"), match.group("name")
        )
        agents.append(Agent(name, "Person", span))
        bio = Span.of(text, line.start, line.end)
        layout.add(bio)
        layout.bios.append(bio)
    return agents


def _as_written_elsewhere(text: str, name: str) -> str:
    """A name recased from capitals takes the mixed-case spelling the text uses elsewhere."""
    for match in re.finditer(re.escape(name), text, re.IGNORECASE):
        written = match.group()
        if not written.isupper() and written != name and looks_like_person(written):
            return written
    return name


def _dedupe(agents: list[Agent]) -> list[Agent]:
    seen, kept = set(), []
    for agent in agents:
        key = lexicon.name_key(agent.name)
        if key not in seen:
            seen.add(key)
            kept.append(agent)
    return kept


def _date_from_text(meta: DocumentMeta, text: str, header: list[Line]) -> None:
    for line in header:
        for pattern in lexicon.patterns("sources", "date_line_patterns"):
            match = pattern.match(line.text.strip())
            found = find_date(match.group("date")) if match else None
            if found:
                offset = line.start + len(line.text) - len(line.text.lstrip())
                start = offset + match.start("date") + found[1]
                meta.date = found[0]
                meta.date_span = Span(
                    start, start + found[2] - found[1], text[start : start + found[2] - found[1]]
                )
                return


def _publisher_from_text(text: str) -> Agent | None:
    for line in lines(text):
        for pattern in lexicon.patterns("sources", "publisher_patterns"):
            match = pattern.match(line.content)
            if match:
                written = match.group("name").strip()
                start = line.start + line.text.find(line.content) + match.start("name")
                return _organization(written, Span(start, start + len(written), written))
    return None


def _organization(written: str, span: Span | None) -> Agent:
    name = canonical_organization(written)
    return Agent(name, organization_kind(name) or "MediaOutlet", span)


def _from_html(meta: DocumentMeta, raw: RawDocument) -> None:
    tags = raw.html_meta
    if not tags:
        return
    if tags.get("publisher"):
        meta.publisher = _organization(tags["publisher"][0], _find(raw.text, tags["publisher"][0]))
    if tags.get("title"):
        title = _strip_site(tags["title"][0], meta.publisher)
        meta.title, meta.title_span = title, _find(raw.text, title)
    if tags.get("author"):
        meta.authors = _dedupe(
            [a for value in tags["author"] for a in split_names(value, 0, "")] + meta.authors
        )
        meta.authors = [
            Agent(a.name, a.kind, a.span or _find(raw.text, a.name)) for a in meta.authors
        ]
    if tags.get("date") and parse_date(tags["date"][0]):
        meta.date, meta.date_span = parse_date(tags["date"][0]), None
    if tags.get("url"):
        meta.url = tags["url"][0]


def _strip_site(title: str, publisher: Agent | None) -> str:
    parts = re.split(r"\s+[|–—-]\s+", title)
    if (
        len(parts) > 1
        and publisher
        and lexicon.name_key(parts[-1]) == lexicon.name_key(publisher.name)
    ):
        return " - ".join(parts[:-1])
    return title


def _find(text: str, value: str) -> Span | None:
    at = text.find(value)
    return Span(at, at + len(value), value) if at >= 0 else None


def _from_sidecar(meta: DocumentMeta, raw: RawDocument) -> None:
    sidecar = raw.sidecar
    if sidecar is None:
        return
    for key in ("title", "url", "language", "notes"):
        if sidecar.get(key):
            setattr(meta, key, sidecar.get(key))
            if key != "notes":
                meta.curated_fields.append(key)
    if sidecar.get("title"):
        meta.title_span = _find(raw.text, meta.title)
    if sidecar.get("date"):
        meta.date, meta.date_span = sidecar.get("date"), None
        meta.curated_fields.append("date")
    if sidecar.get("publisher") and clean_name(sidecar.get("publisher")):
        meta.publisher = _organization(sidecar.get("publisher"), None)
        meta.curated_fields.append("publisher")
    authors = [name for name in sidecar.get("authors") or [] if clean_name(name)]
    if authors:
        meta.authors = [_curated_author(raw.text, name) for name in authors]
        meta.curated_fields.append("authors")


def _curated_author(text: str, name: str) -> Agent:
    kind = organization_kind(name)
    if kind:
        return Agent(canonical_organization(name), kind, _find(text, name))
    return Agent(clean_name(name), "Person", _find(text, name))
