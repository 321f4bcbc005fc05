"""The graph built from the seed corpus: citations, shared nodes and exact provenance."""

from __future__ import annotations

from kg.namespaces import PK


def rows(store, sparql: str) -> list[dict]:
    return [
        {v.value: s[v.value].value if s[v.value] else None for v in r.variables}
        for r in [store.query(sparql)]
        for s in r
    ]


def test_twenty_citation_nodes_with_outlet_date_and_citing_sentence(seed_store):
    found = rows(
        seed_store,
        """
        SELECT ?citation ?outlet ?date ?sentence WHERE {
          ?document pk:cites ?citation .
          ?citation pk:publisher/rdfs:label ?outlet ; pk:datePublished ?date ;
                    pk:citingSentence/pk:exact ?sentence .
        }""",
    )
    assert len({r["citation"] for r in found}) == 20


def test_each_citing_sentence_carries_its_note_marker(seed_store):
    found = rows(
        seed_store,
        """
        SELECT ?marker ?sentence WHERE {
          ?citation pk:marker ?marker ; pk:citingSentence/pk:exact ?sentence .
        }""",
    )
    assert found and all(f"[{r['marker']}]" in r["sentence"] for r in found)


def test_one_node_per_outlet_across_citations(seed_store):
    found = rows(
        seed_store,
        """
        SELECT ?outlet (COUNT(DISTINCT ?citation) AS ?n) WHERE {
          ?citation a pk:Citation ; pk:publisher ?outlet .
          ?outlet rdfs:label "The New York Times"@en .
        } GROUP BY ?outlet""",
    )
    assert len(found) == 1 and found[0]["n"] == "4"


def test_an_author_who_is_also_cited_is_one_node(seed_store):
    """Kelly writes one article and is cited by another; Lou cites her own earlier piece."""
    found = rows(
        seed_store,
        """
        SELECT DISTINCT ?person WHERE {
          ?document a pk:Document ; pk:author ?person .
          ?citation a pk:Citation ; pk:author ?person .
        }""",
    )
    assert sorted(r["person"].rsplit("/", 1)[-1] for r in found) == [
        "robert-e-kelly",
        "theresa-lou",
    ]


def test_every_evidence_span_quotes_its_document_exactly(seed_store):
    found = rows(
        seed_store,
        """
        SELECT ?exact ?start ?end ?text WHERE {
          ?span pk:inDocument ?document ; pk:start ?start ; pk:end ?end ; pk:exact ?exact .
          ?document pk:text ?text .
        }""",
    )
    assert len(found) > 50
    assert all(r["text"][int(r["start"]) : int(r["end"])] == r["exact"] for r in found)


def test_curated_fields_are_marked(seed_store):
    found = rows(
        seed_store,
        f"""
        SELECT ?field WHERE {{ ?document <{PK}curatedField> ?field }} ORDER BY ?field""",
    )
    assert [r["field"] for r in found] == ["date", "publisher"]


def test_contested_questions_show_the_leverage_debate(seed_store):
    """Lou (000) denies that China has the leverage; Stone Fish and Kelly (002) affirm it."""
    from kg.query import resolve_query

    text, _ = resolve_query("contested-questions")
    found = rows(seed_store, text)
    leverage = [r for r in found if "leverage" in r["proposition"]]
    sides = {(r["stance"], r["authors"]) for r in leverage}
    assert ("opposes", "Theresa Lou") in sides
    assert any(
        stance == "supports" and "Isaac Stone Fish" in (authors or "") for stance, authors in sides
    )


def test_reported_speech_is_its_own_claim_by_the_speaker(seed_store):
    found = rows(
        seed_store,
        """
        SELECT ?claimant ?text WHERE {
          ?claim pk:reportedIn ?reporting ; pk:claimant/rdfs:label ?claimant ; pk:claimText ?text .
        }""",
    )
    assert any(
        r["claimant"] == "People's Republic of China" and r["text"].startswith("China insists")
        for r in found
    )


def test_every_claim_has_a_claimant_kind_and_evidence(seed_store):
    missing = rows(
        seed_store,
        """
        SELECT ?claim WHERE {
          ?claim a pk:Claim .
          FILTER NOT EXISTS { ?claim pk:claimant ?who ; pk:claimKind ?kind ; pk:evidence ?span }
        }""",
    )
    assert missing == []


def test_articles_in_other_styles_build_to_a_conforming_graph(tmp_path):
    """Regression: an outlet cited in the notes and named in the body is linked once."""
    from kg.build import build
    from kg.store import KgStore
    from kg.validate import validate_store

    from .conftest import TEST_ARTICLES

    store = KgStore(tmp_path / "store")
    summary = build([TEST_ARTICLES], store)
    assert summary.failed == 0
    report = validate_store(store)
    assert [(v.shape, v.focus, v.message) for v in report.errors] == []
