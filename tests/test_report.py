"""`kg report`: a self-contained static site whose every list comes from saved queries."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kg.build import build
from kg.cli import main
from kg.report import highlight, write_report
from kg.store import KgStore

from .test_saved_queries import run


@pytest.fixture(scope="module")
def report(seed_store, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    write_report(seed_store, folder)
    return folder


class Segments(HTMLParser):
    """Text of each annotation index, gathered from the ``span.seg`` elements naming it."""

    def __init__(self):
        super().__init__()
        self.stack: list[list[str]] = []
        self.text: dict[int, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "span":
            self.stack.append((dict(attrs).get("data-ann") or "").split())

    def handle_endtag(self, tag):
        if tag == "span":
            self.stack.pop()

    def handle_data(self, data):
        for index in self.stack[-1] if self.stack else []:
            self.text[int(index)] = self.text.get(int(index), "") + data


def test_the_report_has_every_page_and_one_page_per_article(report, seed_store):
    names = {p.name for p in report.glob("*.html")}
    assert {"index.html", "network.html", "debate.html", "recommendations.html"} <= names
    assert "timeline.html" in names
    assert len([n for n in names if n.startswith("article-")]) == len(seed_store.documents())


def test_pages_load_nothing_from_the_network(report):
    for page in report.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        for target in re.findall(r'(?:src|href)="([^"]+)"', source):
            assert not re.match(r"^(https?:)?//", target), (page.name, target)
            assert target.startswith("data:") or (report / target).exists(), (page.name, target)
    assert "https://" not in (report / "report.js").read_text(encoding="utf-8")


def test_the_same_store_gives_the_same_bytes(seed_store, report, tmp_path):
    write_report(seed_store, tmp_path)
    for page in report.iterdir():
        assert (tmp_path / page.name).read_bytes() == page.read_bytes(), page.name


def test_overview_numbers_are_the_saved_query_rows(report, seed_store):
    source = (report / "index.html").read_text(encoding="utf-8")
    for row in run(seed_store, "document-overview"):
        cells = re.search(
            rf'<tr data-document="{re.escape(row["document"])}">(.*?)</tr>', source
        ).group(1)
        numbers = re.findall(r'<td class="n">(\d+)</td>', cells)
        assert numbers == [row["claims"], row["actors"], row["citations"]]
    total = sum(int(r["claims"]) for r in run(seed_store, "document-overview"))
    assert f'data-stat="claims"><b>{total:,}</b>' in source


def test_debate_puts_each_claim_under_its_stance(report, seed_store):
    source = (report / "debate.html").read_text(encoding="utf-8")
    rows = run(seed_store, "contested-questions")
    assert rows
    for section in re.findall(r'<section class="question">(.*?)</section>', source, re.S):
        for stance, column in re.findall(r'<div class="side (\w+)">(.*?)</div>', section, re.S):
            for claim in re.findall(r"<blockquote class=\"card\"><p>(.*?)</p>", column):
                assert any(r["stance"] == stance and _html(r["claim"]) == claim for r in rows)
    assert source.count('<blockquote class="card">') == len(rows)


def test_article_highlights_are_exactly_the_stored_spans(report, seed_store):
    for document in seed_store.documents():
        page = report / f"article-{document.rsplit('/', 1)[-1]}.html"
        parser = Segments()
        parser.feed(page.read_text(encoding="utf-8"))
        annotations = run(seed_store, "document-annotations", document=document)
        assert set(parser.text) == set(range(len(annotations))) != set()
        for index, annotation in enumerate(annotations):
            assert parser.text[index] == annotation["exact"], (page.name, index)


def test_highlight_splits_overlapping_spans_into_segments():
    text = "Trump said China must act."
    spans = [
        {"start": 0, "end": 26, "role": "claim"},
        {"start": 0, "end": 5, "role": "mention"},
        {"start": 11, "end": 16, "role": "mention"},
    ]
    marked = highlight(text, spans)
    assert marked == (
        '<span class="seg claim mention" data-ann="0 1">Trump</span>'
        '<span class="seg claim" data-ann="0"> said </span>'
        '<span class="seg claim mention" data-ann="0 2">China</span>'
        '<span class="seg claim" data-ann="0"> must act.</span>'
    )


def test_text_is_escaped_in_highlights():
    assert highlight("<b>&", []) == "&lt;b&gt;&amp;"


def test_kg_report_writes_the_folder(runner, seed_store, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(main, ["--store", str(seed_store.path), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists() and (out / "vis-network.min.js").exists()


def test_kg_report_without_a_store_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["--store", str(tmp_path / "none"), "report", "-o", "x"])
    assert result.exit_code == 2
    assert "no store here" in result.output and "Traceback" not in result.output


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def test_article_text_cannot_break_out_of_the_page_data(tmp_path):
    article = tmp_path / "docs" / "a.txt"
    article.parent.mkdir()
    hostile = 'Sanctions </script><!--<script>alert(1)</script> & "more" should follow.'
    article.write_text(f"A Title\n\nBy Jane Roe\n\nThe European Union said: {hostile}\n")
    store = KgStore(tmp_path / "store")
    build([article.parent], store)
    write_report(store, tmp_path / "site")
    (page,) = (tmp_path / "site").glob("article-*.html")
    source = page.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', source, re.S)
    assert "<" not in block.group(1)  # so nothing inside can end or open a script
    data = json.loads(block.group(1))  # the block ends where the page meant it to
    assert any("alert(1)" in a["exact"] for a in data["annotations"])
    assert "&lt;/script&gt;&lt;!--&lt;script&gt;alert(1)" in source  # shown as text
    assert "<script>alert(1)" not in source


def test_links_to_articles_show_their_titles_whole():
    from kg.report import document_link

    pages = {"US/China talks": ("article-1.html", "US/China talks")}
    assert document_link(pages, "US/China talks") == '<a href="article-1.html">US/China talks</a>'
    assert document_link(pages, "<b>") == "&lt;b&gt;"
