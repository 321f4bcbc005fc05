"""Sources, authors and citations of the three seed articles, as a reader of them sees them.

Expected values were written from reading data/documents, not from program output.
"""

from __future__ import annotations

from functools import cache

import pytest

from kg.pipeline import extract_file

from .conftest import SEED_DOCUMENTS

LOU = "000_8aac468e15cb219e.txt"
STONE_FISH_KELLY = "002_eddb0722e0acd73e.txt"
USIP = "004_a48409ce86208510.txt"

# marker: (authors, outlet, date, words of the sentence that carries the marker)
LOU_ENDNOTES = {
    "i": (["Stephen Collinson"], "CNN", "2017-11-30", "pushing China to do more"),
    "ii": (["Ryan Browne", "Barbara Starr"], "CNN", "2017-12-03", "higher and longer"),
    "iii": (["Michael Elleman"], "38 North", "2017-11-30", "1,000-kg payload"),
    "iv": (["Choe Sang-Hun"], "The New York Times", "2017-11-18", "special envoy"),
    "v": (
        ["Jane Perlez", "Yufan Huang", "Paul Mozur"],
        "The New York Times",
        "2017-05-12",
        "largest trading partner",
    ),
    "vi": (["Jane Perlez", "Choe Sang-Hun"], "The New York Times", "2016-02-07", "Wu Dawei"),
    "vii": (["James Griffiths"], "CNN", "2017-05-14", "Belt and Road Forum"),
    "viii": ([], "The Guardian", "2014-07-03", "Park Geun-hye"),
    "ix": (["Theresa Lou"], "Defense One", "2017-05-25", "worst nightmare"),
    "x": (["Ely Ratner"], "Fortune", "2017-03-10", "buffer state"),
    "xi": (["Uri Friedman"], "The Atlantic", "2017-08-09", "Why would the Chinese"),
    "xii": (
        ["John Park", "Jim Walsh"],
        "MIT Security Studies Program",
        "2016-08",
        "higher commission fees",
    ),
    "xiii": (["Andrew Osborn"], "Reuters", "2017-10-04", "more than doubled"),
    "xiv": (["Polina Nikolskaya"], "Reuters", "2017-09-20", "eight North Korean ships"),
    "xv": (["Uri Friedman"], "The Atlantic", "2017-08-09", "China is unwilling"),
    "xvi": (["Donald J. Trump"], "Twitter", "2017-04-11", "better deals"),
    "xvii": (["Alexander Cornwell", "Ahmed Hagagy"], "Reuters", "2017-09-19", "Kuwait and Qatar"),
    "xviii": (["Jason Aldag"], "The New York Times", "2017-11-01", "slave-like conditions"),
    "xix": (["Robert E. Kelly"], "The Interpreter", "2016-03-16", "mafia state"),
    "xx": ([], "Council on Foreign Relations", "2017-08-10", "vested interest"),
}


@cache
def extracted(name: str):
    return extract_file(SEED_DOCUMENTS / name)


def test_op_ed_title_and_columnist_byline():
    meta = extracted(LOU).meta
    assert meta.title == "Reliance on China to Solve North Korea is Reasonable, but Unrealistic"
    assert [a.name for a in meta.authors] == ["Theresa Lou"]


def test_photo_credit_is_not_the_publisher():
    assert extracted(LOU).meta.publisher is None


def test_all_twenty_endnotes_are_citations_in_order():
    assert [c.marker for c in extracted(LOU).citations] == list(LOU_ENDNOTES)


@pytest.mark.parametrize("marker", LOU_ENDNOTES)
def test_endnote_authors_outlet_and_date(marker):
    authors, outlet, date, _ = LOU_ENDNOTES[marker]
    citation = next(c for c in extracted(LOU).citations if c.marker == marker)
    assert [a.name for a in citation.authors] == authors
    assert citation.outlet.name == outlet
    assert citation.date.iso == date


@pytest.mark.parametrize("marker", LOU_ENDNOTES)
def test_endnote_is_linked_from_the_sentence_that_cites_it(marker):
    words = LOU_ENDNOTES[marker][3]
    citation = next(c for c in extracted(LOU).citations if c.marker == marker)
    assert len(citation.citing_sentences) == 1
    sentence = citation.citing_sentences[0]
    assert words in sentence.exact and f"[{marker}]" in sentence.exact


def test_research_programme_and_think_tank_are_typed_as_research_institutes():
    kinds = {c.outlet.name: c.outlet.kind for c in extracted(LOU).citations}
    assert kinds["MIT Security Studies Program"] == "ResearchInstitute"
    assert kinds["Council on Foreign Relations"] == "ResearchInstitute"
    assert kinds["CNN"] == "MediaOutlet"


def test_comment_box_is_boilerplate():
    boilerplate = " ".join(s.exact for s in extracted(LOU).boilerplate)
    assert "Leave a Reply" in boilerplate and "Akismet" in boilerplate


def test_authors_from_bio_lines_at_the_end():
    meta = extracted(STONE_FISH_KELLY).meta
    assert [a.name for a in meta.authors] == ["Isaac Stone Fish", "Robert E. Kelly"]
    assert [a.span.exact for a in meta.authors] == ["ISAAC STONE FISH", "ROBERT E. KELLY"]


def test_photo_caption_is_not_taken_as_title():
    assert extracted(STONE_FISH_KELLY).meta.title is None


def test_publisher_named_by_the_paywall_prompt():
    assert extracted(STONE_FISH_KELLY).meta.publisher.name == "Foreign Affairs"


def test_captions_credits_and_paywall_are_boilerplate():
    boilerplate = [s.exact for s in extracted(STONE_FISH_KELLY).boilerplate]
    assert (
        boilerplate.count(
            "North Korean leader Kim Jong Un meets with Chinese President Xi Jinping, in Dalian, "
            "China in this undated photo released in May 2018."
        )
        == 2
    )
    assert "News1/Pool via REUTERS" in boilerplate
    assert "Subscribe to Foreign Affairs to get unlimited access." in boilerplate


@pytest.mark.parametrize(
    "name",
    [
        "Jacob Stokes",
        "Jennifer Staats",
        "Anthony Miller",
        "Zi Yang",
        "Francis Rooney",
        "Don Beyer",
        "Wang Yi",
    ],
)
def test_related_publications_bylines_are_not_authors(name):
    assert name not in [a.name for a in extracted(USIP).meta.authors]


def test_analysis_without_byline_has_no_author():
    assert extracted(USIP).meta.authors == []


def test_sidecar_supplies_publisher_and_date_and_marks_them_curated():
    meta = extracted(USIP).meta
    assert meta.publisher.name == "United States Institute of Peace"
    assert meta.publisher.kind == "ResearchInstitute"
    assert meta.date.iso == "2017-04-05"
    assert set(meta.curated_fields) == {"publisher", "date"}


def test_related_publications_section_is_cut_from_the_body():
    result = extracted(USIP)
    related = result.text.index("Related Publications")
    tail = [s for s in result.boilerplate if s.start == related]
    assert tail and tail[0].end == len(result.text.rstrip())
