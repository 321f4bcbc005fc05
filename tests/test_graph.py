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
