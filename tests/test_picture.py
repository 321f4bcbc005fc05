"""`kg graph`: the actor network (or a CONSTRUCT query) as DOT, SVG or PNG."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

from kg.cli import main
from kg.graphdraw import actor_dot

from .conftest import system_package_mark
from .test_saved_queries import run

needs_graphviz = system_package_mark(shutil.which("dot") is not None, "Graphviz's dot")


def test_dot_has_the_most_mentioned_actors_and_their_links(seed_store):
    dot = actor_dot(seed_store, max_actors=10)
    top = [r for r in run(seed_store, "actors")][:10]
    nodes = re.findall(r'^  "([^"]+)" \[xlabel="([^"]+)"', dot, re.M)
    assert [n for n, _ in nodes] == [r["node"] for r in top]
    edges = re.findall(r'^  "([^"]+)" -> "([^"]+)"', dot, re.M)
    assert edges and all(a in dict(nodes) and b in dict(nodes) for a, b in edges)
    assert 'xlabel="North Korea"' in dot


def test_min_weight_hides_weaker_links(seed_store):
    assert actor_dot(seed_store, min_weight=3).count("->") < actor_dot(seed_store).count("->")


@needs_graphviz
def test_svg_is_a_drawing_of_the_actors(runner, seed_store, tmp_path):
    out = tmp_path / "actors.svg"
    result = runner.invoke(main, ["--store", str(seed_store.path), "graph", "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = {t.text for t in root.iter() if t.tag.endswith("text")}
    assert {"North Korea", "United States"} <= texts


@needs_graphviz
def test_png_is_a_png_and_the_same_store_draws_the_same_bytes(runner, seed_store, tmp_path):
    outputs = []
    for name in ("a.png", "b.png"):
        args = ["--store", str(seed_store.path), "graph", "-o", str(tmp_path / name)]
        assert runner.invoke(main, args).exit_code == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0].startswith(b"\x89PNG\r\n\x1a\n")
    assert outputs[0] == outputs[1]


@needs_graphviz
def test_a_construct_query_is_drawn(runner, seed_store, tmp_path):
    query = tmp_path / "who.rq"
    query.write_text("CONSTRUCT { ?d pk:author ?a } WHERE { ?d pk:author ?a }", encoding="utf-8")
    out = tmp_path / "who.dot"
    args = ["--store", str(seed_store.path), "graph", "--query", str(query), "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    dot = out.read_text(encoding="utf-8")
    assert dot.count("->") == len(run(seed_store, "SELECT * WHERE { ?d pk:author ?a }"))
    assert 'label="pk:author"' in dot


def test_a_select_query_cannot_be_drawn(runner, seed_store):
    args = ["--store", str(seed_store.path), "graph", "--query", "documents", "--format", "dot"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "needs a CONSTRUCT query" in result.output


def test_without_graphviz_svg_asks_for_it_in_one_line(runner, seed_store, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    args = ["--store", str(seed_store.path), "graph", "-o", str(tmp_path / "x.svg")]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "install the graphviz package" in result.output
    assert not (tmp_path / "x.svg").exists()


def test_an_unknown_suffix_needs_a_format(runner, seed_store, tmp_path):
    args = ["--store", str(seed_store.path), "graph", "-o", str(tmp_path / "x.gif")]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "--format" in result.output
