"""The benchmark's synthetic corpus: deterministic, varied, and read by the pipeline."""

from __future__ import annotations

import sys

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from bench.__main__ import main
from bench.corpus import article, write_corpus
from bench.measure import query_limit
from bench.report import _baseline_cell
from bench.writes import document_graphs, in_batches, write_costs
from kg.build import build
from kg.pipeline import extract_file
from kg.store import KgStore
from kg.validate import validate_store


def test_the_same_seed_and_index_give_the_same_article():
    assert article(7, 12) == article(7, 12)
    assert article(7, 12) != article(7, 13)
    assert article(7, 12) != article(8, 12)


def test_a_corpus_is_the_same_files_wherever_it_is_written(tmp_path):
    one = write_corpus(tmp_path / "one", 4)
    two = write_corpus(tmp_path / "two", 4)
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 4
    assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    small = write_corpus(tmp_path / "small", 2)
    large = write_corpus(tmp_path / "large", 5)
    for path in small.iterdir():
        assert path.read_bytes() == (large / path.name).read_bytes()


def test_synthetic_articles_have_bylines_notes_and_quotations_the_pipeline_finds(tmp_path):
    corpus = write_corpus(tmp_path / "c", 6)
    extractions = [extract_file(p) for p in sorted(corpus.iterdir())]
    assert all(e.meta.authors for e in extractions)
    assert all(e.meta.date for e in extractions)
    assert sum(len(e.citations) for e in extractions) > 0
    assert sum(len(e.quotations) for e in extractions) > 0
    assert len({a.name for e in extractions for a in e.actors}) > 30


def test_a_synthetic_corpus_builds_and_conforms(tmp_path):
    store = KgStore(tmp_path / "store")
    summary = build([write_corpus(tmp_path / "c", 5)], store)
    assert summary.added == 5 and summary.failed == 0
    assert validate_store(store).conforms


def test_the_export_table_has_as_many_cells_in_each_row_as_in_its_header():
    from bench.report import export_lines

    for rows in ([{"docs": 10000}], [{"docs": 10, "exports": {"nt": 0.5}}, {"docs": 10000}]):
        table = [line for line in export_lines(rows) if line.startswith("|")]
        assert len({line.count("|") for line in table}) == 1, table
        assert "|  |" not in table[0]


def test_the_write_table_names_how_many_documents_were_written_again():
    from bench.report import write_lines

    costs = {"extend_disk_us": 30.0, "bulk_extend_disk_us": 20.0, "extend_memory_us": 3.0}
    rows = [
        {"docs": 10, "words": 100, "quads": 300, "writes": costs},  # an older run: all, to 100
        {"docs": 1000, "words": 100, "quads": 300, "writes": costs},
        {"docs": 1000, "words": 100, "quads": 300, "writes": costs | {"graphs": 40}},
    ]
    table = [line.split(" | ")[:2] for line in write_lines(rows) if line.startswith("| 1")]
    assert table == [["| 10", "10"], ["| 1,000", "100"], ["| 1,000", "40"]]


def test_a_later_run_of_other_sizes_joins_the_days_results(tmp_path):
    import json

    from bench.report import merged

    earlier = tmp_path / "day.json"
    earlier.write_text(json.dumps([{"docs": 10, "x": 1}, {"docs": 100, "x": 2}]))
    rows = merged([{"docs": 100, "x": 3}, {"docs": 10000, "x": 4}], earlier)
    assert rows == [{"docs": 10, "x": 1}, {"docs": 100, "x": 3}, {"docs": 10000, "x": 4}]


def test_the_write_measurement_rewrites_each_document_graph_with_its_shared_copies(tmp_path):
    store = KgStore(tmp_path / "store")
    build([write_corpus(tmp_path / "c", 3)], store)
    graphs = document_graphs(store)
    assert len(graphs) == 3
    doc_graphs = {g.value for g in store.oxigraph.named_graphs() if "/graph/doc/" in g.value}
    written = {q.graph_name.value for g in graphs for q in g}
    assert written == doc_graphs | {store.iris.shared_graph}
    costs = write_costs(graphs, tmp_path)
    assert costs["quads"] == sum(map(len, graphs))
    assert costs["graphs"] == 3
    ways = ("batch_ingest_disk_us", "extend_disk_us", "bulk_extend_disk_us", "extend_memory_us")
    assert all(costs[k] > 0 for k in ways)


def test_the_build_way_of_writing_ingests_each_quad_once_a_batch_at_a_time():
    shared = NamedNode("urn:x:shared")
    copy = Quad(NamedNode("urn:x:actor"), NamedNode("urn:x:label"), Literal("A"), shared)

    def graph(index: int) -> list[Quad]:
        own_graph = NamedNode(f"urn:x:g{index}")
        own = Quad(NamedNode(f"urn:x:d{index}"), NamedNode("urn:x:p"), Literal("x"), own_graph)
        return [own, copy]

    batches = in_batches([graph(index) for index in range(5)], size=2)
    assert [len(b) for b in batches] == [3, 2, 1]  # the shared copy in the first batch only
    assert sum(map(len, batches)) == len({q for index in range(5) for q in graph(index)})


def test_queries_taking_names_are_asked_about_the_sample_actors_as_well_as_in_full():
    from bench.measure import query_cases

    sample = {"document": "https://w3id.org/policy-kg/id/doc/x", "actor": "lou", "first": "kim"}
    sample["second"] = "xi"
    cases = dict(query_cases(sample))
    assert (
        "claims-by-actor" in cases
        and 'VALUES ?actor { "lou" }' in cases["claims-by-actor (actor=lou)"]
    )
    assert "claims-mentioning" not in cases  # it needs both names
    assert 'VALUES ?second { "xi" }' in cases["claims-mentioning (first=kim, second=xi)"]
    assert "<https://w3id.org/policy-kg/id/doc/x>" in cases["document-text"]


def test_a_query_is_asked_fewer_times_once_its_runs_use_up_the_budget(seed_store):
    from bench.measure import query_latencies

    sample = {"document": min(seed_store.documents())}
    unhurried = query_latencies(seed_store, runs=4, sample=sample, budget=3600)
    hurried = query_latencies(seed_store, runs=4, sample=sample, budget=0)
    assert {found["runs"] for found in unhurried.values()} == {4}
    assert {found["runs"] for found in hurried.values()} == {3}  # never fewer than 3
    assert {k: v["rows"] for k, v in hurried.items()} == {
        k: v["rows"] for k, v in unhurried.items()
    }


def test_the_report_shows_what_each_step_of_the_run_cost_and_its_total():
    from bench.report import cost_lines

    rows = [
        {"docs": 10, "bench_steps": {"corpus": 1.5, "queries": 58.5}},
        {"docs": 100, "bench_steps": {"corpus": 3.0, "exports": 117.0}},
        {"docs": 1000},  # measured by a run before steps were timed
    ]
    table = cost_lines(rows)
    assert table[3] == "| N | corpus | queries | exports | total min |"
    assert table[5:] == ["| 10 | 1.5 | 58.5 | - | 1.0 |", "| 100 | 3.0 | - | 117.0 | 2.0 |"]


def test_a_timed_step_adds_its_seconds_even_when_it_fails():
    import pytest

    from bench.__main__ import _timed

    steps = {"queries": 2.0}
    with pytest.raises(RuntimeError), _timed(steps, "queries"):
        raise RuntimeError
    with _timed(steps, "exports"):
        pass
    assert steps["queries"] >= 2.0 and 0 <= steps["exports"] < 1


def test_stage_times_give_one_time_a_repetition_and_the_quads_a_document_maps_to(tmp_path):
    from bench.stages import stage_times
    from kg.rdfmap import document_quads

    files = sorted(write_corpus(tmp_path / "c", 2).iterdir())
    times = stage_times(files, reps=2)
    assert len(times["extract_ms"]) == len(times["map_ms"]) == 2
    assert all(t > 0 for t in times["extract_ms"] + times["map_ms"])
    expected = sum(len(document_quads(extract_file(f))) for f in files) / 2
    assert times["quads_per_doc"] == expected


def test_an_rdflib_query_is_stopped_after_twenty_times_ours_but_not_before_1_s_or_after_20_s():
    assert query_limit(100.0) == 2.0
    assert query_limit(1.0) == 1.0
    assert query_limit(5_000.0) == 20.0
    assert query_limit(None) == 20.0  # ours not measured


def test_the_report_marks_an_rdflib_time_that_was_cut_short_as_a_lower_bound():
    assert _baseline_cell({"p95": 10.0}, {"p95": 300.0, "capped": False}) == " (rdflib 300, 30x)"
    assert _baseline_cell({"p95": 10.0}, {"p95": 2000.0, "capped": True}) == (
        " (rdflib > 2,000, > 200x)"
    )
    assert _baseline_cell({"p95": 10.0}, {"p95": 20000.0}) == " (rdflib > 20,000, > 2,000x)"
    assert _baseline_cell({"p95": 10.0}, None) == ""  # rdflib not run, or it failed


def test_a_run_without_matplotlib_stops_before_it_measures(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    with pytest.raises(SystemExit) as stopped:
        main(["--docs", "10", "--work", str(tmp_path / "work"), "--out", str(tmp_path / "out")])
    assert stopped.value.code == 2
    assert "pip install -e '.[bench]'" in capsys.readouterr().err
    assert not (tmp_path / "work").exists() and not (tmp_path / "out").exists()
