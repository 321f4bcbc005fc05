"""Saved queries on the seed corpus, with rows a reader of the articles expects."""

from __future__ import annotations

import pytest

from kg.query import bind_parameters, resolve_query, saved_queries


def run(store, name: str, **params) -> list[dict]:
    text, saved = resolve_query(name)
    text = bind_parameters(text, saved, params)
    result = store.query(text)
    return [
        {v.value: (s[v.value].value if s[v.value] is not None else None) for v in result.variables}
        for s in result
    ]


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_has_a_title_and_a_question(name):
    saved = saved_queries()[name]
    assert saved.title and saved.question


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_declared_parameter_has_a_values_slot_to_fill(name):
    saved = saved_queries()[name]
    for param in saved.params:
        filled = bind_parameters(saved.text, saved, {param: "marker-value"})
        assert '"marker-value"' in filled, f"{name}: ?{param} has no VALUES slot"


def test_a_parameter_without_its_slot_is_an_error_not_ignored():
    from kg.query import QueryError, SavedQuery

    saved = SavedQuery("q", None, params={"who": "a name"})
    with pytest.raises(QueryError, match="who"):
        bind_parameters("SELECT * { VALUES ?someoneElse { UNDEF } }", saved, {"who": "Xi"})


def test_china_and_north_korea_are_the_most_co_mentioned_pair(seed_store):
    top = run(seed_store, "co-mentions")[0]
    assert {top["actor1"], top["actor2"]} == {"North Korea", "People's Republic of China"}


def test_co_mention_counts_are_the_pairs_of_actors_each_claim_names(seed_store):
    """Counted again here, claim by claim, from the claims' pk:mentions: one for every
    two actors (of different names) a claim names, whatever order they were stored in."""
    from collections import Counter
    from itertools import combinations

    actors = {
        row["node"]: row["label"]
        for row in rows_of(
            seed_store,
            "SELECT ?node (MIN(?name) AS ?label) WHERE { GRAPH graph:shared { ?node a ?class ;"
            " rdfs:label ?name } ?class rdfs:subClassOf* pk:Actor } GROUP BY ?node",
        )
    }
    named: dict[str, set[str]] = {}
    for row in rows_of(seed_store, "SELECT ?claim ?node { ?claim a pk:Claim ; pk:mentions ?node }"):
        if row["node"] in actors:
            named.setdefault(row["claim"], set()).add(row["node"])
    expected: Counter = Counter()
    for nodes in named.values():
        for a, b in combinations(sorted(nodes), 2):
            if actors[a] != actors[b]:
                expected[tuple(sorted((actors[a], actors[b])))] += 1
    rows = run(seed_store, "co-mentions")
    assert {(r["actor1"], r["actor2"]): int(r["claims"]) for r in rows} == dict(expected)
    assert len(rows) == len(expected) > 10


def rows_of(store, sparql: str) -> list[dict]:
    result = store.query(sparql)
    return [{v.value: s[v.value].value for v in result.variables} for s in result]


def test_linked_actors_carry_their_wikidata_ids(seed_store):
    rows = {
        (r["actor"], r["wikidata"].rsplit("/", 1)[-1]) for r in run(seed_store, "linked-actors")
    }
    assert {("Xi Jinping", "Q15031"), ("North Korea", "Q423"), ("CNN", "Q48340")} <= rows


def test_actors_awaiting_linking_are_those_the_reference_lacks(seed_store):
    waiting = {r["actor"] for r in run(seed_store, "actors-awaiting-linking")}
    assert {"Wu Dawei", "Theresa Lou"} <= waiting
    assert "Xi Jinping" not in waiting


def test_claims_mentioning_kim_and_xi_include_the_snubs(seed_store):
    claims = [r["claim"] for r in run(seed_store, "claims-mentioning", first="kim", second="xi")]
    assert any(c.startswith("Kim has repeatedly embarrassed Xi") for c in claims)


def test_quotations_by_speaker(seed_store):
    rows = {(r["speaker"], r["quotation"]) for r in run(seed_store, "quotations")}
    assert ("Donald Trump", "That’s their neighborhood; it’s not our neighborhood.") in rows


def test_recommendations_come_from_the_authors(seed_store):
    claimants = {r["claimant"] for r in run(seed_store, "recommendations")}
    assert {"Theresa Lou", "Isaac Stone Fish"} <= claimants


def test_timeline_puts_the_dated_2017_missile_test_on_its_day(seed_store):
    rows = run(seed_store, "timeline")
    assert any(r["date"] == "2017-04-05" and "missile test" in r["event"] for r in rows)


def test_documents_by_author(seed_store):
    rows = run(seed_store, "documents", author="kelly")
    assert len(rows) == 1 and "Isaac Stone Fish" in rows[0]["authors"]


def test_documents_by_publisher(seed_store):
    rows = run(seed_store, "documents", outlet="institute of peace")
    assert [r["date"] for r in rows] == ["2017-04-05"]


def test_citations_by_outlet_and_year_count_the_endnotes(seed_store):
    # Endnotes of 000: CNN i, ii, vii; Reuters xiii, xiv, xvii; The New York Times iv, v,
    # xviii (2017) and vi (2016); The Atlantic xi and xv; The Guardian viii (2014).
    rows = {
        (r["outlet"], r["year"]): int(r["citations"])
        for r in run(seed_store, "citations-by-outlet")
    }
    assert rows[("CNN", "2017")] == 3
    assert rows[("Reuters", "2017")] == 3
    assert rows[("The New York Times", "2017")] == 3
    assert rows[("The New York Times", "2016")] == 1
    assert rows[("The Atlantic", "2017")] == 2
    assert rows[("The Guardian", "2014")] == 1


def test_citations_list_the_interpreter_note_with_its_author_and_date(seed_store):
    rows = run(seed_store, "citations")
    kelly = [r for r in rows if "mafia state" in (r.get("title") or "")]
    assert len(kelly) == 1
    assert kelly[0]["outlet"] == "The Interpreter" and kelly[0]["date"] == "2016-03-16"


def test_contested_leverage_question_splits_lou_from_stone_fish(seed_store):
    rows = run(seed_store, "contested-questions")
    leverage = {
        (r["claimant"], r["stance"])
        for r in rows
        if r["proposition"].startswith("China has enough leverage")
    }
    assert ("Theresa Lou", "opposes") in leverage and ("Isaac Stone Fish", "supports") in leverage
    assert ("Theresa Lou", "supports") not in leverage


def test_claims_by_actor_keeps_to_that_actor(seed_store):
    rows = run(seed_store, "claims-by-actor", actor="lou")
    assert rows and {r["claimant"] for r in rows} == {"Theresa Lou"}
    assert any(
        r["kind"] == "recommendation"
        and r["claim"].startswith("The United States should continue to partner with China")
        for r in rows
    )


def test_china_north_korea_and_the_united_states_are_the_most_mentioned(seed_store):
    rows = run(seed_store, "actors-by-mentions")
    top = {r["actor"] for r in rows[:3]}
    assert top == {"People's Republic of China", "North Korea", "United States"}
    assert all(r["documents"] == "3" for r in rows[:3])


def test_policies_by_target_and_by_implementer(seed_store):
    against_north_korea = run(seed_store, "policies", target="north korea")
    assert against_north_korea and all("North Korea" in r["targets"] for r in against_north_korea)
    by_china = run(seed_store, "policies", implementer="china")
    assert by_china and all("China" in r["implementers"] for r in by_china)
    assert any(r["policy"] == "UN sanctions" for r in by_china)


def test_recommendations_say_to_whom(seed_store):
    rows = run(seed_store, "recommendations", claimant="lou")
    assert rows and {r["claimant"] for r in rows} == {"Theresa Lou"}
    partner = [
        r for r in rows if r["recommendation"].startswith("The United States should continue")
    ]
    assert partner and partner[0]["addressees"] == "United States"
    assert "UN sanctions" in partner[0]["policies"]
    usip = run(seed_store, "recommendations", claimant="institute of peace")
    talk = [r for r in usip if "Washington and Beijing should begin talking" in r["recommendation"]]
    assert set(talk[0]["addressees"].split("; ")) == {"United States", "People's Republic of China"}


def test_graph_sizes_name_every_graph_with_its_file(seed_store):
    rows = run(seed_store, "graph-sizes")
    assert {r["graph"] for r in rows} == set(seed_store.graph_names())
    files = sorted(r["file"] for r in rows if r["file"])
    assert [f.rsplit("/", 1)[-1][:3] for f in files] == ["000", "002", "004"]
    sizes = {r["graph"]: int(r["triples"]) for r in rows}
    shared = sizes.pop(seed_store.iris.shared_graph)
    assert all(size > 500 for size in sizes.values())
    assert 100 < shared < min(sizes.values())  # each actor's description once
