"""Compacted JSON-LD written directly from sorted triples.

The graph's shape is regular (IRIs, plain and typed literals, no lists), so
compaction needs only the context's term table: each property gets the term
whose type matches the value, classes their short names, IRIs their prefixes.
pyld reads the result back to the same graph (a test proves it) but is far
too slow to write it at scale.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import IO

from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from .namespaces import RDF, XSD
from .sortlines import batches, sorted_lines

NATIVE = {XSD + "integer": int, XSD + "boolean": lambda v: v == "true"}
REMEMBERED_IRIS = 100_000  # compacted IRIs a Compactor keeps, before it starts afresh


class Compactor:
    """Compacts terms with one JSON-LD context (a dict holding ``@context``)."""

    def __init__(self, context: dict):
        definitions = context["@context"]
        self.prefixes = sorted(
            (
                (k, v)
                for k, v in definitions.items()
                if isinstance(v, str) and v.endswith(("/", "#")) and not k.startswith("@")
            ),
            key=lambda item: -len(item[1]),
        )
        self.terms: dict[tuple[str, str | None], str] = {}
        for term, definition in sorted(definitions.items()):
            if term.startswith("@") or (term, definition) in self.prefixes:
                continue
            iri, kind = self._definition(definition)
            if iri:
                self.terms.setdefault((iri, kind), term)
        self._compacted: dict[str, str] = {}

    def _definition(self, definition) -> tuple[str | None, str | None]:
        if isinstance(definition, str):
            return (None, None) if definition.startswith("@") else (self.expand(definition), None)
        iri = definition.get("@id")
        kind = definition.get("@type")
        if iri is None or definition.get("@language") or definition.get("@container"):
            return None, None
        return self.expand(iri), (kind if kind == "@id" else self.expand(kind) if kind else None)

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        for name, namespace in self.prefixes:
            if name == prefix:
                return namespace + local
        return value

    def iri(self, value: str) -> str:
        """``value`` as a compact IRI where a prefix of the context fits it (the longest).
        A graph names the same IRIs again and again, so the answers are remembered, up to
        ``REMEMBERED_IRIS`` of them at a time.

        >>> Compactor({"@context": {"ex": "http://ex.org/"}}).iri("http://ex.org/a")
        'ex:a'
        """
        found = self._compacted.get(value)
        if found is None:
            if len(self._compacted) >= REMEMBERED_IRIS:
                self._compacted.clear()
            found = self._compacted[value] = self._iri(value)
        return found

    def _iri(self, value: str) -> str:
        for name, namespace in self.prefixes:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{name}:{value[len(namespace) :]}"
        return value

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, BlankNode) else self.iri(term.value)

    def type_name(self, value: str) -> str:
        return self.terms.get((value, None)) or self.iri(value)

    def entry(self, predicate: str, obj) -> tuple[str, object]:
        """The key and compacted value of one triple's predicate and object."""
        if isinstance(obj, NamedNode | BlankNode):
            term = self.terms.get((predicate, "@id"))
            return (
                (term, self.node_id(obj))
                if term
                else (self.iri(predicate), {"id": self.node_id(obj)})
            )
        datatype = obj.datatype.value
        typed = self.terms.get((predicate, datatype))
        if typed:
            return typed, obj.value
        plain = self.terms.get((predicate, None))
        if obj.language:
            value = {"@value": obj.value, "@language": obj.language}
        elif datatype == XSD + "string":
            value = obj.value
        elif datatype in NATIVE:
            value = NATIVE[datatype](obj.value)
        else:
            value = {"@value": obj.value, "@type": self.iri(datatype)}
        return (plain or self.iri(predicate)), value


def compact(triples: list[Triple], context: dict) -> dict:
    """A compacted JSON-LD document: the context and one node object per subject.

    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> ctx = {"@context": {"ex": "http://ex.org/", "id": "@id", "type": "@type",
    ...        "Thing": "ex:Thing", "name": "ex:name"}}
    >>> t = [Triple(NamedNode("http://ex.org/a"), NamedNode(RDF + "type"), NamedNode("http://ex.org/Thing")),
    ...      Triple(NamedNode("http://ex.org/a"), NamedNode("http://ex.org/name"), Literal("A"))]
    >>> compact(t, ctx)["@graph"]
    [{'id': 'ex:a', 'name': 'A', 'type': 'Thing'}]
    """
    return {"@context": context["@context"], "@graph": node_objects(triples, Compactor(context))}


def node_objects(triples: list[Triple | Quad], compactor: Compactor) -> list[dict]:
    """One compacted node object per subject, sorted by id, keys sorted."""
    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for triple in triples:
        node = nodes[compactor.node_id(triple.subject)]
        if triple.predicate.value == RDF + "type" and isinstance(triple.object, NamedNode):
            node["type"].append(compactor.type_name(triple.object.value))
            continue
        key, value = compactor.entry(triple.predicate.value, triple.object)
        node[key].append(value)
    graph = []
    for node_id in sorted(nodes):
        node = {"id": node_id}
        for key, values in sorted(nodes[node_id].items()):
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return graph


def write_compacted(stream: IO[bytes], triples: Iterable[Triple | Quad], context: dict) -> None:
    """Write ``compact(triples, context)`` as ``json.dumps(..., indent=2, sort_keys=True,
    ensure_ascii=False)`` would, plus a line end, with memory flat in the number of
    triples: each triple becomes a line (its node's id, key, place and compacted value),
    the lines are sorted in runs on disk (``kg.sortlines``), and each node is written as
    its lines come together. Quads are taken as their triples.

    >>> import io
    >>> from pyoxigraph import NamedNode, Literal, Triple
    >>> ctx = {"@context": {"ex": "http://ex.org/", "id": "@id", "type": "@type",
    ...        "Thing": "ex:Thing", "name": "ex:name"}}
    >>> t = [Triple(NamedNode("http://ex.org/b"), NamedNode("http://ex.org/name"), Literal("B")),
    ...      Triple(NamedNode("http://ex.org/a"), NamedNode(RDF + "type"), NamedNode("http://ex.org/Thing")),
    ...      Triple(NamedNode("http://ex.org/a"), NamedNode("http://ex.org/name"), Literal("A"))]
    >>> out = io.BytesIO()
    >>> write_compacted(out, t, ctx)
    >>> json.loads(out.getvalue()) == compact(t, ctx)
    True
    """
    nodes = _node_texts(sorted_lines(batches(_entries(triples, Compactor(context)), 10_000)))
    _write_graph_document(stream, context["@context"], nodes)


def _write_graph_document(stream: IO[bytes], terms: dict, objects: Iterable[str]) -> None:
    """``{"@context": terms, "@graph": [objects]}`` as ``json.dumps(indent=2,
    sort_keys=True, ensure_ascii=False)`` writes it, plus a line end, an object at a time
    (each as ``_graph_member`` writes it)."""
    head = _dumps({"@context": terms})[:-2]  # without its closing "\n}"
    stream.write(f'{head},\n  "@graph": ['.encode())
    written = 0
    for text in objects:
        stream.write(("," if written else "").encode() + b"\n" + text.encode())
        written += 1
    stream.write(b"\n  ]\n}\n" if written else b"]\n}\n")


def _graph_member(value: dict) -> str:
    """A member of ``@graph`` as ``_dumps`` of the whole document writes it: four more
    spaces on each line."""
    return _indented(_dumps(value), 4)


def _indented(text: str, spaces: int) -> str:
    """``text`` with ``spaces`` more spaces on every line."""
    return "\n".join(" " * spaces + line for line in text.split("\n"))


def _dumps(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


_encode = json.JSONEncoder(ensure_ascii=False).encode  # as json.dumps(ensure_ascii=False)


def _entries(triples: Iterable[Triple | Quad], compactor: Compactor) -> Iterator[bytes]:
    """Each triple as a line that sorts by node id, key, then place among the triples,
    with its compacted value as JSON text."""
    for place, triple in enumerate(triples):
        if triple.predicate.value == RDF + "type" and isinstance(triple.object, NamedNode):
            key, value = "type", compactor.type_name(triple.object.value)
        else:
            key, value = compactor.entry(triple.predicate.value, triple.object)
        node_id = compactor.node_id(triple.subject)
        compacted = encode_basestring(value) if type(value) is str else _encode(value)
        yield f"{node_id}\x00{key}\x00{place:012d}\x00{compacted}".encode()


def _node_texts(lines: Iterable[bytes]) -> Iterator[str]:
    """One node object per run of lines with the same node id, as ``node_objects``
    makes it, written as ``_graph_member`` writes it."""
    for node_id, group in itertools.groupby(lines, key=lambda line: line.split(b"\x00", 1)[0]):
        values: dict[str, list[str]] = defaultdict(list)
        for line in group:
            _id, key, _place, compacted = line.decode().split("\x00", 3)
            values[key].append(compacted)
        yield _member_text({**values, "id": [encode_basestring(node_id.decode())]})


def _member_text(members: dict[str, list[str]]) -> str:
    """A member of ``@graph`` as ``_graph_member`` writes it, from the JSON texts of each
    key's values (one value: the value itself, more: a list of them). The texts of
    strings and numbers are written as they are; only an object is read and written
    again, with its keys sorted and indented.

    >>> members = {"id": ['"ex:a"'], "name": ['"A"', '{"@value": "B", "@language": "en"}']}
    >>> value = {"id": "ex:a", "name": ["A", {"@value": "B", "@language": "en"}]}
    >>> _member_text(members) == _graph_member(value)
    True
    """
    lines = ["    {"]
    keys = sorted(members)
    for number, key in enumerate(keys):
        comma = "," if number < len(keys) - 1 else ""
        values = members[key]
        if len(values) == 1:
            lines.append(f"      {encode_basestring(key)}: {_value_text(values[0], 6)}{comma}")
            continue
        lines.append(f"      {encode_basestring(key)}: [")
        last = len(values) - 1
        lines.extend(
            f"        {_value_text(value, 8)}{',' if at < last else ''}"
            for at, value in enumerate(values)
        )
        lines.append(f"      ]{comma}")
    lines.append("    }")
    return "\n".join(lines)


def _value_text(compacted: str, spaces: int) -> str:
    """A value's JSON text as ``_dumps`` writes it at a depth of ``spaces``."""
    if not compacted.startswith(("{", "[")):
        return compacted
    return _indented(_dumps(json.loads(compacted)), spaces)[spaces:]


FRAME_TERMS = {"@version": 1.1, "claims": "@included", "nodes": "@included"}


def frame_documents(graphs: dict[str, list[Triple | Quad]], context: dict) -> dict:
    """One object per document graph: the document's own node, its claims (with their
    evidence spans embedded) under ``claims``, and every other node of its graph under
    ``nodes``. Both keys alias JSON-LD 1.1 ``@included``, so the file expands to exactly
    the documents' triples: the nesting is for reading, not extra statements."""
    compactor = Compactor(context)
    articles = [_article_of(triples, compactor) for triples in graphs.values()]
    articles = sorted((a for a in articles if a is not None), key=lambda a: a["id"])
    return {"@context": {**context["@context"], **FRAME_TERMS}, "@graph": articles}


def write_framed(stream: IO[bytes], graphs: Iterable[list[Triple | Quad]], context: dict) -> None:
    """Write ``frame_documents`` of ``graphs`` (each a document graph's triples) as
    ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`` would, plus a line end,
    with memory flat in the number of documents: each article is made as its graph
    comes, kept as one line of JSON sorted by its id in runs on disk, and written in
    that order."""
    compactor = Compactor(context)
    lines = (line for triples in graphs if (line := _article_line(triples, compactor)))
    ordered = sorted_lines(batches(lines, ARTICLES_AHEAD), run_lines=ARTICLES_AHEAD)
    articles = (_graph_member(json.loads(line.split(b"\x00", 1)[1])) for line in ordered)
    _write_graph_document(stream, {**context["@context"], **FRAME_TERMS}, articles)


ARTICLES_AHEAD = 64  # articles (each a document's whole graph) sorted in memory at a time


def _article_line(triples: list[Triple | Quad], compactor: Compactor) -> bytes | None:
    article = _article_of(triples, compactor)
    if article is None:
        return None
    return f"{article['id']}\x00{json.dumps(article, ensure_ascii=False)}".encode()


def _article_of(triples: list[Triple | Quad], compactor: Compactor) -> dict | None:
    """A document graph's article object; None when the graph has no one document."""
    nodes = node_objects(triples, compactor)
    documents = [n for n in nodes if "Document" in _types(n)]
    if len(documents) != 1:
        return None
    return _article(documents[0], [n for n in nodes if n is not documents[0]])


def _article(document: dict, others: list[dict]) -> dict:
    by_id = {n["id"]: n for n in others}
    claims = sorted((n for n in others if _types(n) & {"Claim", "Quotation"}), key=_text_order)
    embedded: set[str] = set()
    for claim in claims:  # each span is written once, inside the first claim it supports
        spans = claim.get("evidence")
        listed = spans if isinstance(spans, list) else [spans] if spans else []
        nested = []
        for span in listed:
            if isinstance(span, str) and span in by_id and span not in embedded:
                embedded.add(span)
                span = by_id[span]
            nested.append(span)
        if nested:
            claim["evidence"] = nested if isinstance(spans, list) else nested[0]
    claim_ids = {c["id"] for c in claims}
    rest = [n for n in others if n["id"] not in claim_ids | embedded]
    return {**document, "claims": claims, "nodes": rest}


def _text_order(claim: dict) -> tuple:
    start = claim["id"].rsplit("/", 1)[-1].split("-", 1)[0]
    return (int(start) if start.isdigit() else -1, claim["id"])


def _types(node: dict) -> set[str]:
    value = node.get("type", [])
    return set(value if isinstance(value, list) else [value])
