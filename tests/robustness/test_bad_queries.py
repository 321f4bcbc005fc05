"""Bad queries and commands: one clean line, exit code 2, the store untouched."""

from __future__ import annotations

import pytest

from kg.cli import main
from kg.export import export_bytes
from kg.store import KgStore


def kg(runner, store: str, *args: str):
    result = runner.invoke(main, ["--store", store, *args])
    assert "Traceback" not in result.output
    return result


def test_a_syntax_error_gives_line_and_column(runner, built):
    result = kg(runner, built, "query", "SELECT ?x WHERE {\n  ?x a pk:Document\n  FILTER( }")
    assert result.exit_code == 2
    assert "SPARQL syntax error at 3:" in result.output


def test_a_query_running_too_long_is_stopped_by_the_timeout(runner, built):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = kg(runner, built, "query", endless, "--timeout", "1")
    assert result.exit_code == 2 and "query stopped after 1 s" in result.output


def test_an_update_is_refused_without_the_update_flag(runner, built):
    before = export_bytes(KgStore(built, read_only=True), "nq")
    update = "DELETE WHERE { ?s ?p ?o }"
    refused = kg(runner, built, "query", update)
    assert refused.exit_code == 2 and "pass --update" in refused.output
    assert export_bytes(KgStore(built, read_only=True), "nq") == before
    applied = kg(
        runner, built, "query", "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", "--update"
    )
    assert applied.exit_code == 0
    asked = kg(
        runner, built, "query", "ASK { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }", "--format", "json"
    )
    assert '"boolean":true' in asked.output


def test_an_unknown_saved_query_suggests_close_names(runner, built):
    result = kg(runner, built, "query", "documnets")
    assert result.exit_code == 2 and "did you mean documents" in result.output


def test_a_wrong_parameter_name_lists_the_right_ones(runner, built):
    result = kg(runner, built, "query", "claims-by-actor", "--param", "who=Xi")
    assert (
        result.exit_code == 2
        and "unknown parameter 'who' (this query takes: actor)" in result.output
    )


def test_a_parameter_without_a_value_is_refused(runner, built):
    result = kg(runner, built, "query", "claims-by-actor", "--param", "actor")
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("query", "documents", "--format", "yaml"),
        ("export", "--format", "yaml"),
        ("export", "-o", "graph.docx"),
        ("stats", "--format", "xml"),
    ],
    ids=["query", "export", "export-suffix", "stats"],
)
def test_an_unknown_format_is_refused(runner, built, tmp_path, args):
    args = tuple(str(tmp_path / a) if a.endswith(".docx") else a for a in args)
    result = kg(runner, built, *args)
    assert result.exit_code == 2
    assert "yaml" in result.output or "docx" in result.output or "xml" in result.output
