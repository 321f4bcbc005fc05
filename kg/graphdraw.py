"""``kg graph``: the actor network, or a CONSTRUCT query's graph, as a static picture.

The graph is written in Graphviz's DOT language here; SVG and PNG are drawn by
Graphviz's ``dot`` program (the ``graphviz`` system package). Nodes and edges are
written in a fixed order, so the same store gives the same DOT (and picture).
"""

from __future__ import annotations

import shutil
import subprocess

from pyoxigraph import Literal, NamedNode, QueryTriples

from .errors import KgError
from .namespaces import PREFIXES
from .query import bind_parameters, compact_iri, resolve_query
from .reportdata import rows, top_actors

FORMATS = ("svg", "png", "dot")
KIND_COLORS = {  # also the report's network colours (kg.report passes them to report.js)
    "State": "#4e79a7",
    "Person": "#f28e2b",
    "Organization": "#59a14f",
    "GovernmentBody": "#76b7b2",
    "InternationalOrganization": "#edc948",
    "MediaOutlet": "#b07aa1",
    "ResearchInstitute": "#ff9da7",
    "PoliticalParty": "#9c755f",
}
RELATION_STYLES = {
    "co-mentioned": 'color="#9d9d9d", dir=none',
    "acts on": 'color="#e15759"',
    "recommends to": 'color="#4e79a7", style=dashed',
}


def quoted(text: str) -> str:
    """A DOT string literal.

    >>> quoted('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def actor_dot(store, *, max_actors: int = 40, min_weight: int = 1) -> str:
    """The most mentioned actors and the links among them (saved queries ``actors``
    and ``actor-links``), nodes sized by mentions and colored by kind."""
    actors, seen = top_actors(rows(store, "actors"), max_actors)
    links = [
        link
        for link in rows(store, "actor-links")
        if link["source"] in seen and link["target"] in seen and link["weight"] >= min_weight
    ]
    most = max((a["mentions"] for a in actors), default=1) or 1
    lines = [
        "digraph actors {",
        "  graph [layout=neato, overlap=false, sep=0.4, forcelabels=true, outputorder=edgesfirst];",
        '  node [shape=circle, style=filled, fixedsize=true, label="", penwidth=0.5,',
        '        fontname="Helvetica", fontsize=11];',
        "  edge [arrowsize=0.6];",
    ]
    for a in actors:
        width = 0.15 + 0.85 * (a["mentions"] / most) ** 0.5
        color = KIND_COLORS.get(a["kind"], "#bab0ac")
        lines.append(
            f"  {quoted(a['node'])} [xlabel={quoted(a['actor'])}, width={width:.2f}, "
            f'fillcolor="{color}", tooltip={quoted(a["kind"])}];'
        )
    for link in links:
        pen = 1 + min(link["weight"], 10) / 2
        style = RELATION_STYLES.get(link["relation"], "")
        lines.append(
            f"  {quoted(link['source'])} -> {quoted(link['target'])} "
            f"[{style}, penwidth={pen:.1f}, tooltip={quoted(link['relation'])}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def construct_dot(store, query: str, params: dict[str, str] | None = None) -> str:
    """The graph a CONSTRUCT query (saved name, file or text) returns, as DOT."""
    text, saved = resolve_query(query)
    result = store.query(bind_parameters(text, saved, params or {}))
    if not isinstance(result, QueryTriples):
        raise KgError(f"{query}: --query needs a CONSTRUCT query (this one gives rows)")
    prefixes = {**PREFIXES, "id": store.iris.base}
    triples = sorted(result, key=str)
    names: dict[str, str] = {}  # node id -> its declaration
    edges = []
    for triple in triples:
        ends = [_declare(term, prefixes, names) for term in (triple.subject, triple.object)]
        label = compact_iri(triple.predicate.value, prefixes)
        edges.append(f"  {ends[0]} -> {ends[1]} [label={quoted(label)}];")
    lines = ["digraph query {", '  graph [rankdir=LR]; node [fontname="Helvetica", fontsize=10];']
    lines += [names[key] for key in sorted(names)] + edges + ["}"]
    return "\n".join(lines) + "\n"


def _declare(term, prefixes: dict[str, str], names: dict[str, str]) -> str:
    """The DOT id of a term, declaring it (label, shape) in ``names`` the first time."""
    key = quoted(str(term))
    if key not in names:
        if isinstance(term, NamedNode):
            attributes = f"label={quoted(compact_iri(term.value, prefixes))}"
        elif isinstance(term, Literal):
            attributes = f"shape=box, label={quoted(term.value[:80])}"
        else:
            attributes = "shape=point"
        names[key] = f"  {key} [{attributes}];"
    return key


def render(dot: str, fmt: str) -> bytes:
    """DOT text as ``fmt`` bytes (``dot`` itself, or SVG/PNG drawn by Graphviz)."""
    if fmt == "dot":
        return dot.encode("utf-8")
    if fmt not in FORMATS:
        raise KgError(f"unknown picture format {fmt!r} (use {', '.join(FORMATS)})")
    program = shutil.which("dot")
    if program is None:
        raise KgError(
            "drawing SVG or PNG needs Graphviz's `dot` program: install the graphviz package "
            "(e.g. `apt install graphviz`), or write --format dot"
        )
    done = subprocess.run(
        [program, f"-T{fmt}"], input=dot.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise KgError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout
