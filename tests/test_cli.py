"""The `kg` command end to end: exit codes, formats and messages a user sees."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results

from kg.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_corpus) -> str:
    """A store built by `kg build` from the seed corpus; returns its path."""
    from click.testing import CliRunner

    store = str(tmp_path_factory.mktemp("cli") / "store")
    result = CliRunner().invoke(main, ["--store", store, "build", str(seed_corpus)])
    assert result.exit_code == 0, result.output
    return store


def kg(runner, store, *args):
    return runner.invoke(main, ["--store", store, *args])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command):
    assert re.search(rf"^#+ `kg {command}", README, re.MULTILINE)


def test_build_summary_line(runner, tmp_path, seed_corpus):
    result = kg(runner, str(tmp_path / "s"), "build", str(seed_corpus))
    assert result.exit_code == 0
    assert re.search(r"3 documents: 3 added, 0 updated, 0 skipped, 0 failed", result.output)
    again = kg(runner, str(tmp_path / "s"), "build", str(seed_corpus))
    assert "0 added, 0 updated, 3 skipped" in again.output


def test_build_where_nothing_can_be_built_exits_2(runner, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = kg(runner, str(tmp_path / "s"), "build", str(tmp_path / "empty.txt"))
    assert result.exit_code == 2
    assert "empty.txt: file is empty" in result.output


def test_validate_conforms(runner, built):
    result = kg(runner, built, "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms")


def test_validate_json_report(runner, built):
    report = json.loads(kg(runner, built, "validate", "--format", "json").output)
    assert report["conforms"] is True
    assert {v["severity"] for v in report["violations"]} <= {"Warning"}


def test_validate_reports_a_broken_span_with_document_and_offsets(runner, tmp_path, seed_corpus):
    from pyoxigraph import Literal, NamedNode, Quad

    from kg.build import build
    from kg.namespaces import PK
    from kg.store import KgStore

    store_path = tmp_path / "broken"
    store = KgStore(store_path)
    build([seed_corpus], store)
    span = next(iter(store.query("SELECT ?s ?g WHERE { GRAPH ?g { ?s pk:exact ?x } } LIMIT 1")))
    node, graph = span["s"], span["g"]
    [old] = list(store.oxigraph.quads_for_pattern(node, NamedNode(PK + "exact"), None, graph))
    store.remove_quads([old])
    store.add_quads([Quad(node, NamedNode(PK + "exact"), Literal("not what it says"), graph)])
    del store
    result = kg(runner, str(store_path), "validate")
    assert result.exit_code == 1
    assert "not what the document says" in result.output
    assert re.search(r"at characters \d+-\d+", result.output)


def test_query_csv_has_a_header_and_one_row_per_document(runner, built):
    result = kg(runner, built, "query", "documents", "--format", "csv")
    header, *rows = list(csv.reader(io.StringIO(result.output)))
    assert header[:2] == ["title", "authors"] and len(rows) == 3


@pytest.mark.parametrize(
    ("fmt", "results_format"),
    [
        ("tsv", QueryResultsFormat.TSV),
        ("json", QueryResultsFormat.JSON),
        ("xml", QueryResultsFormat.XML),
    ],
)
def test_query_result_formats_parse_as_sparql_results(runner, built, fmt, results_format):
    result = kg(runner, built, "query", "documents", "--format", fmt)
    assert result.exit_code == 0, result.output
    solutions = list(parse_query_results(io.BytesIO(result.stdout_bytes), results_format))
    assert len(solutions) == 3


def test_query_table_shows_rows(runner, built):
    result = kg(runner, built, "query", "citations-by-outlet")
    assert result.exit_code == 0 and "Reuters" in result.output


def test_query_parameter_narrows_results(runner, built):
    result = kg(
        runner, built, "query", "documents", "--param", "author=stone fish", "--format", "csv"
    )
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "Isaac Stone Fish" in lines[1]


def test_query_unknown_parameter_is_named(runner, built):
    result = kg(runner, built, "query", "documents", "--param", "writer=x")
    assert result.exit_code == 2
    assert "unknown parameter 'writer' (this query takes: author, outlet)" in result.output


def test_query_inline_sparql_with_standard_prefixes(runner, built):
    result = kg(
        runner,
        built,
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a pk:Citation }",
        "--format",
        "csv",
    )
    assert result.output.split() == ["n", "20"]


def test_unknown_saved_query_suggests_close_names(runner, built):
    result = kg(runner, built, "query", "documnets")
    assert result.exit_code == 2
    assert "did you mean documents" in result.output


def test_syntax_error_names_line_and_column(runner, built):
    result = kg(runner, built, "query", "SELECT ?x WHERE {\n  ?x ?y }")
    assert result.exit_code == 2
    assert re.search(r"error at 2:\d+", result.output)


def test_update_is_refused(runner, built):
    result = kg(runner, built, "query", "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "pass --update" in result.output


def test_queries_lists_saved_queries_with_their_questions(runner):
    result = runner.invoke(main, ["queries"])
    assert "documents: Documents" in result.output and "--param author" in result.output


def test_stats_counts(runner, built):
    counts = json.loads(kg(runner, built, "stats", "--format", "json").output)
    assert counts["documents"] == 3 and counts["citations"] == 20
    assert counts["triples"] > 1000


def test_stats_count_each_triple_once_however_many_graphs_hold_it(seed_store):
    from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

    from kg.stats import distinct_triples
    from kg.store import KgStore

    named = [q for q in seed_store.quads() if not isinstance(q.graph_name, DefaultGraph)]
    assert distinct_triples(seed_store) == len({(q.subject, q.predicate, q.object) for q in named})
    store, a, b = KgStore(None), NamedNode("urn:g:a"), NamedNode("urn:g:b")
    label = (NamedNode("urn:x"), NamedNode("urn:p:label"), Literal("X"))
    store.add_quads([Quad(*label, a), Quad(*label, b), Quad(label[0], label[1], Literal("Y"), b)])
    assert distinct_triples(store) == 2


def test_extract_prints_the_documented_schema(runner, seed_corpus):
    result = runner.invoke(main, ["extract", *sorted(map(str, seed_corpus.glob("*.txt")))])
    documents = json.loads(result.output)
    assert len(documents) == 3
    keys = {
        "file",
        "title",
        "authors",
        "publisher",
        "date",
        "language",
        "citations",
        "actors",
        "claims",
        "quotations",
        "policies",
        "events",
    }
    assert all(keys <= set(d) for d in documents)
    assert [len(d["citations"]) for d in documents] == [20, 0, 0]


def test_extract_does_not_touch_the_store(runner, tmp_path, seed_corpus):
    runner.invoke(
        main, ["--store", str(tmp_path / "s"), "extract", str(next(seed_corpus.glob("*.txt")))]
    )
    assert not (tmp_path / "s").exists()


def test_query_on_a_missing_store_is_a_clear_error(runner, tmp_path):
    result = kg(runner, str(tmp_path / "nothing"), "query", "documents")
    assert result.exit_code == 2 and "no store here" in result.output


def test_optimize_compacts_a_store_and_keeps_every_quad(runner, tmp_path, seed_corpus):
    store = str(tmp_path / "s")
    assert kg(runner, store, "build", str(seed_corpus)).exit_code == 0
    before, after = tmp_path / "before.nq", tmp_path / "after.nq"
    assert kg(runner, store, "export", "-o", str(before)).exit_code == 0
    result = kg(runner, store, "optimize")
    assert result.exit_code == 0 and f"compacted {store}" in result.output
    assert kg(runner, store, "export", "-o", str(after)).exit_code == 0
    assert before.stat().st_size > 100_000 and after.read_bytes() == before.read_bytes()


def test_optimize_without_a_store_is_a_one_line_error_and_creates_none(runner, tmp_path):
    result = kg(runner, str(tmp_path / "nothing"), "optimize")
    assert result.exit_code == 2 and "nothing: no store here" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "nothing").exists()
