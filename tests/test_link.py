"""Offline linking to Wikidata: right when it links, silent when it cannot be sure."""

from __future__ import annotations

import csv

import pytest

from kg.build import build
from kg.cli import main
from kg.link import link_actor
from kg.resolve import Actor
from kg.store import KgStore

from .conftest import ROOT

REFERENCE = ROOT / "data" / "reference" / "wikidata-entities.tsv"

# Seed actors the reference holds, as a reader of the articles names them.
LINKED = {
    "Xi Jinping": "Q15031",
    "Kim Jong Un": "Q56226",
    "Kim Jong Il": "Q10665",
    "Donald Trump": "Q22686",
    "Mao Zedong": "Q5816",
    "Park Geun-hye": "Q138048",
    "North Korea": "Q423",
    "People's Republic of China": "Q148",
    "United States": "Q30",
    "South Korea": "Q884",
    "Russia": "Q159",
    "Japan": "Q17",
    "Kuwait": "Q817",
    "Qatar": "Q846",
    "United Nations": "Q1065",
    "United Nations Security Council": "Q37470",
    "Chinese Communist Party": "Q17427",
    "CNN": "Q48340",
    "The New York Times": "Q9684",
    "Reuters": "Q130879",
    "The Guardian": "Q11148",
}
# Seed actors the reference lacks: never linked offline.
UNLINKED = [
    "Wu Dawei",
    "Theresa Lou",
    "Isaac Stone Fish",
    "Robert E. Kelly",
    "John Park",
    "MIT Security Studies Program",
    "German Marshall Fund",
    "Pusan National University",
    "CGTN",
    "Global Times",
    "Foreign Affairs",
]


def reference_names() -> dict[str, set[str]]:
    with open(REFERENCE, encoding="utf-8", newline="") as handle:
        return {
            row["qid"]: {row["label"], *row["aliases"].split("|")}
            for row in csv.DictReader(handle, delimiter="\t")
        }


def links_of(store: KgStore, label: str) -> list[str]:
    found = store.query(f"""
        SELECT DISTINCT ?entity WHERE {{
          ?node rdfs:label {_literal(label)} ; skos:exactMatch ?entity .
        }}""")
    return sorted(row["entity"].value.rsplit("/", 1)[-1] for row in found)


def _literal(label: str) -> str:
    from pyoxigraph import Literal

    return str(Literal(label, language="en"))


@pytest.mark.parametrize(("name", "qid"), LINKED.items())
def test_the_expected_id_is_the_reference_row_of_that_name(name, qid):
    assert name in reference_names()[qid]


@pytest.mark.parametrize(("name", "qid"), LINKED.items())
def test_seed_actor_the_reference_holds_is_linked_to_its_id(seed_store, name, qid):
    assert links_of(seed_store, name) == [qid]


@pytest.mark.parametrize("name", UNLINKED)
def test_seed_actor_the_reference_lacks_is_not_linked(seed_store, name):
    assert links_of(seed_store, name) == []


def test_a_person_never_links_to_a_country():
    person = Actor("Person:jordan", "Jordan", "Person")
    state = Actor("State:jordan", "Jordan", "State")
    assert (link_actor(person).status, link_actor(state).wikidata) == ("unlinked", "Q810")


def test_names_fitting_two_entities_are_listed_not_guessed():
    muddled = Actor("State:x", "Russia", "State", alt_labels=["Japan"])
    found = link_actor(muddled)
    assert (found.status, found.wikidata, found.candidates) == ("ambiguous", None, ["Q159", "Q17"])


def test_label_links_are_surer_than_alias_links():
    by_label = link_actor(Actor("Q148", "People's Republic of China", "State", "Q148"))
    by_alias = link_actor(Actor("Q148", "PRC", "State", "Q148"))
    assert (by_label.method, by_alias.method) == ("reference-label", "reference-alias")
    assert by_label.confidence > by_alias.confidence


def test_no_link_builds_without_links(tmp_path, seed_corpus):
    store = KgStore(tmp_path / "s")
    build([seed_corpus], store, link=False)
    assert not bool(store.query("ASK { ?node skos:exactMatch ?entity }"))


def test_link_report_counts(runner, tmp_path, seed_corpus):
    store = str(tmp_path / "s")
    runner.invoke(main, ["--store", store, "build", str(seed_corpus)])
    result = runner.invoke(main, ["--store", store, "link", "--report"])
    assert result.exit_code == 0
    linked = int(result.output.split(" linked")[0])
    assert linked >= len(LINKED)


def test_enrich_lets_a_saved_query_join_claims_with_reference_facts(runner, tmp_path, seed_corpus):
    store = str(tmp_path / "s")
    runner.invoke(main, ["--store", store, "build", str(seed_corpus)])
    enriched = runner.invoke(main, ["--store", store, "enrich"])
    assert enriched.exit_code == 0 and "linked entities" in enriched.output
    result = runner.invoke(
        main, ["--store", store, "query", "claims-by-leaders", "--format", "csv"]
    )
    leaders = {line.split(",")[0] for line in result.output.strip().splitlines()[1:]}
    assert {"Donald Trump", "Mao Zedong"} <= leaders


def test_enrichment_graph_is_not_validated_as_article_data(tmp_path, seed_corpus):
    from kg.enrich import enrich_store
    from kg.validate import validate_store

    store = KgStore(tmp_path / "s")
    build([seed_corpus], store)
    enrich_store(store)
    assert validate_store(store).conforms
