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


def test_china_and_north_korea_are_the_most_co_mentioned_pair(seed_store):
    top = run(seed_store, "co-mentions")[0]
    assert {top["actor1"], top["actor2"]} == {"North Korea", "People's Republic of China"}


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
