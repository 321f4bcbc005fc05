"""Extraction of document metadata and citations from articles nobody tuned the rules on.

The articles in tests/data/articles were written for the suite in other house
styles and on other topics; expected.yaml was written by hand from their text.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from kg.pipeline import extract_file

from .conftest import TEST_ARTICLES

GOLD = yaml.safe_load((TEST_ARTICLES / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted(GOLD)


@cache
def extracted(name: str):
    return extract_file(TEST_ARTICLES / name)


def citations_of(name: str) -> list[tuple[str, dict]]:
    return [(name, c) for c in GOLD[name].get("citations") or []]


ALL_CITATIONS = [pair for name in FILES for pair in citations_of(name)]


def citation_id(pair) -> str:
    return f"{pair[0]}[{pair[1]['marker']}]"


@pytest.mark.parametrize("name", FILES)
def test_language(name):
    assert extracted(name).meta.language == GOLD[name]["language"]


@pytest.mark.parametrize("name", FILES)
def test_title(name):
    assert extracted(name).meta.title == GOLD[name]["title"]


@pytest.mark.parametrize("name", FILES)
def test_authors_in_order(name):
    assert [a.name for a in extracted(name).meta.authors] == GOLD[name]["authors"]


@pytest.mark.parametrize("name", FILES)
def test_nobody_else_is_an_author(name):
    authors = {a.name for a in extracted(name).meta.authors}
    assert authors.isdisjoint(GOLD[name].get("not_authors") or [])


@pytest.mark.parametrize("name", FILES)
def test_publisher(name):
    publisher = extracted(name).meta.publisher
    assert (publisher.name if publisher else None) == GOLD[name]["publisher"]


@pytest.mark.parametrize("name", FILES)
def test_publication_date(name):
    date = extracted(name).meta.date
    assert (date.iso if date else None) == GOLD[name]["date"]


@pytest.mark.parametrize("name", FILES)
def test_citation_count(name):
    assert len(extracted(name).citations) == GOLD[name]["citation_count"]


def _citation(name: str, marker: str):
    found = [c for c in extracted(name).citations if c.marker == marker]
    assert found, f"no citation with marker {marker!r}"
    return found[0]


@pytest.mark.parametrize("pair", ALL_CITATIONS, ids=citation_id)
def test_citation_fields(pair):
    name, gold = pair
    citation = _citation(name, gold["marker"])
    assert [a.name for a in citation.authors] == gold["authors"]
    assert citation.title == gold["title"]
    assert (citation.outlet.name if citation.outlet else None) == gold["outlet"]
    assert (citation.date.iso if citation.date else None) == gold["date"]


@pytest.mark.parametrize("pair", ALL_CITATIONS, ids=citation_id)
def test_citation_is_linked_from_the_citing_sentence(pair):
    name, gold = pair
    sentences = [s.exact for s in _citation(name, gold["marker"]).citing_sentences]
    assert any(gold["cited_from"] in s for s in sentences), sentences


@pytest.mark.parametrize("name", FILES)
def test_evidence_spans_quote_the_document(name):
    result = extracted(name)
    spans = [a.span for a in result.meta.authors if a.span]
    spans += [c.span for c in result.citations]
    spans += [s for c in result.citations for s in c.citing_sentences]
    assert all(result.text[s.start : s.end] == s.exact for s in spans)


def _extracted_fields(name: str) -> list[str]:
    result, meta = extracted(name), extracted(name).meta
    fields = [meta.title or "", meta.publisher.name if meta.publisher else ""]
    fields += [a.name for a in meta.authors]
    for citation in result.citations:
        fields += [citation.title or "", citation.outlet.name if citation.outlet else ""]
        fields += [a.name for a in citation.authors]
    return fields


@pytest.mark.parametrize("name", FILES)
def test_boilerplate_feeds_no_field(name):
    fields = _extracted_fields(name)
    leaks = [b for b in GOLD[name].get("boilerplate") or [] if any(b in f for f in fields)]
    assert leaks == []


@pytest.mark.parametrize("name", FILES)
def test_citing_sentences_hold_no_page_furniture(name):
    """Citing sentences quote the text verbatim (note markers included) but never furniture."""
    phrases = [b for b in GOLD[name].get("boilerplate") or [] if " " in b.strip()]
    sentences = [s.exact for c in extracted(name).citations for s in c.citing_sentences]
    assert [p for p in phrases if any(p in s for s in sentences)] == []
