"""The store keeps the ontology's and the reference's graphs equal to their files."""

from __future__ import annotations

import shutil

from pyoxigraph import NamedNode

import kg.store
from kg.resources import ontology_file
from kg.store import KgStore

EXTRA = "\n<https://example.org/Extra> a <http://www.w3.org/2002/07/owl#Class> .\n"


def _ontology_size(store: KgStore) -> int:
    graph = NamedNode(store.ontology_graph)
    return sum(1 for _ in store.oxigraph.quads_for_pattern(None, None, None, graph))


def test_a_second_check_with_nothing_changed_reads_no_file(tmp_path, monkeypatch):
    parsed = []
    parse = kg.store.canonical_quads
    monkeypatch.setattr(kg.store, "canonical_quads", lambda *a: parsed.append(a) or parse(*a))
    store = KgStore(tmp_path / "store")
    assert store.ensure_ontology() is True
    loaded = _ontology_size(store)
    assert loaded > 0 and len(parsed) == 2  # the reference and the ontology
    assert store.ensure_ontology() is False
    assert _ontology_size(store) == loaded and len(parsed) == 2


def test_an_ontology_graph_an_update_dropped_is_loaded_again(tmp_path):
    store = KgStore(tmp_path / "store")
    store.ensure_ontology()
    loaded = _ontology_size(store)
    store.update(f"DROP GRAPH <{store.ontology_graph}>")
    assert _ontology_size(store) == 0
    assert store.ensure_ontology() is True
    assert _ontology_size(store) == loaded


def test_an_ontology_file_edited_between_checks_is_loaded_again(tmp_path, monkeypatch):
    copy = tmp_path / "policy-kg.ttl"
    shutil.copyfile(ontology_file("policy-kg.ttl"), copy)
    monkeypatch.setattr(kg.store, "ontology_file", lambda _name: copy)
    store = KgStore(tmp_path / "store")
    store.ensure_ontology()
    loaded = _ontology_size(store)
    with copy.open("a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    assert store.ensure_ontology() is True
    assert _ontology_size(store) == loaded + 1


def test_an_ontology_graph_a_replacement_dropped_is_loaded_again(tmp_path):
    store = KgStore(tmp_path / "store")
    store.ensure_ontology()
    loaded = _ontology_size(store)
    store.replace_graphs([store.ontology_graph])
    assert _ontology_size(store) == 0
    assert store.ensure_ontology() is True
    assert _ontology_size(store) == loaded
