"""The saved queries behind the HTML report, with rows a reader of the seed articles expects."""

from __future__ import annotations

import pytest

from .test_saved_queries import run

LOU = "https://w3id.org/policy-kg/id/doc/72e1ee65bee69ce7"  # 000: Theresa Lou, 20 endnotes
FOREIGN_AFFAIRS = "https://w3id.org/policy-kg/id/doc/2e11e31611f655d1"  # 002: Stone Fish, Kelly


@pytest.fixture(scope="module")
def overview(seed_store) -> dict[str, dict]:
    return {r["document"]: r for r in run(seed_store, "document-overview")}


def test_overview_gives_each_document_its_byline_and_publisher(overview):
    assert overview[LOU]["title"].startswith("Reliance on China to Solve North Korea")
    assert overview[LOU]["authors"] == "Theresa Lou"
    assert set(overview[FOREIGN_AFFAIRS]["authors"].split("; ")) == {
        "Isaac Stone Fish",
        "Robert E. Kelly",
    }
    assert overview[FOREIGN_AFFAIRS]["publisher"] == "Foreign Affairs"


def test_overview_counts_the_endnotes_and_the_claims_of_each_document(overview, seed_store):
    assert int(overview[LOU]["citations"]) == 20  # notes [i] to [xx]
    assert int(overview[FOREIGN_AFFAIRS]["citations"]) == 0  # no notes
    for document, row in overview.items():
        graph = seed_store.iris.graph(document.rsplit("/", 1)[-1])
        claims = run(seed_store, f"SELECT ?c WHERE {{ GRAPH <{graph}> {{ ?c a pk:Claim }} }}")
        assert int(row["claims"]) == len(claims) > 10


def test_actors_carry_kind_wikidata_and_mentions(seed_store):
    actors = {r["actor"]: r for r in run(seed_store, "actors")}
    assert actors["North Korea"]["wikidata"].endswith("/Q423")
    assert actors["North Korea"]["kind"] == "State"
    assert int(actors["North Korea"]["documents"]) == 3  # every seed article is about it
    assert actors["Theresa Lou"].get("wikidata") is None
    assert int(actors["Xi Jinping"]["mentions"]) > int(actors["Wu Dawei"]["mentions"]) >= 1


def test_actor_links_show_who_recommends_to_whom(seed_store):
    links = {(r["source"], r["relation"], r["target"]) for r in run(seed_store, "actor-links")}
    iri = "https://w3id.org/policy-kg/id/{}".format
    # "Washington should lower expectations about a deal with North Korea" (002)
    assert (iri("person/isaac-stone-fish"), "recommends to", iri("state/united-states")) in links
    # "The US government should redirect some of its efforts" (000)
    assert (iri("person/theresa-lou"), "recommends to", iri("state/united-states")) in links
    co = [r for r in run(seed_store, "actor-links") if r["relation"] == "co-mentioned"]
    assert all(r["source"] < r["target"] for r in co)


def test_claims_name_their_claimant_and_the_actors_they_mention(seed_store):
    claims = run(seed_store, "claims", document=LOU)
    snub = next(c for c in claims if c["text"].startswith("Kim has repeatedly embarrassed Xi"))
    assert snub["claimantName"] == "Theresa Lou"
    assert {m.rsplit("/", 1)[-1] for m in snub["mentioned"].split()} >= {
        "kim-jong-un",
        "xi-jinping",
    }
    assert [int(c["start"]) for c in claims] == sorted(int(c["start"]) for c in claims)


def test_document_text_and_annotations_point_at_the_same_characters(seed_store):
    text = run(seed_store, "document-text", document=LOU)[0]["text"]
    assert text.startswith("Reliance on China to Solve North Korea")
    annotations = run(seed_store, "document-annotations", document=LOU)
    assert {a["role"] for a in annotations} == {"mention", "claim", "citation", "policy", "event"}
    for a in annotations:
        assert text[int(a["start"]) : int(a["end"])] == a["exact"]
    first_note = next(a for a in annotations if a["role"] == "citation")
    assert first_note["detail"] == "i"
    assert first_note["exact"].endswith("pushing China to do more.[i]")


def test_actors_give_each_actor_node_of_the_store_once(seed_store):
    rows = run(seed_store, "actors")
    nodes = [r["node"] for r in rows]
    held = run(
        seed_store,
        "SELECT DISTINCT ?node WHERE { GRAPH graph:shared { ?node a ?class } "
        "?class rdfs:subClassOf* pk:Actor }",
    )
    assert sorted(nodes) == sorted(r["node"] for r in held)
    assert [int(r["mentions"]) for r in rows] == sorted(
        (int(r["mentions"]) for r in rows), reverse=True
    )
