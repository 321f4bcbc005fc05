"""SPARQL queries: saved ``.rq`` files with parameters, running them, formatting results."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
)

from .errors import KgError, QueryError
from .resources import resource_dir

RESULT_FORMATS = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_HEADER = re.compile(r"^#\s*(?P<key>title|question|param)\s*(?P<name>[\w-]*)\s*:\s*(?P<value>.*)$")


@dataclass
class SavedQuery:
    """A ``.rq`` file of ``queries/`` with its header comment."""

    name: str
    path: Path
    title: str = ""
    question: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name -> description

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def read_saved_query(path: Path) -> SavedQuery:
    """Parse the ``# title:``, ``# question:`` and ``# param NAME:`` header lines."""
    saved = SavedQuery(path.stem, path)
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.group("key"), match.group("value").strip()
        if key == "param":
            saved.params[match.group("name")] = value
        else:
            setattr(saved, key, value)
    return saved


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query, by name.

    >>> "documents" in saved_queries()
    True
    """
    folder = resource_dir("queries")
    return {p.stem: read_saved_query(p) for p in sorted(folder.glob("*.rq"))}


def resolve_query(query: str) -> tuple[str, SavedQuery | None]:
    """SPARQL text for QUERY: a ``.rq`` file, a saved query's name, or SPARQL itself."""
    saved = saved_queries()
    if query in saved:
        return saved[query].text, saved[query]
    path = Path(query)
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and path.is_file()):
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8"), read_saved_query(path)
    if re.fullmatch(r"[\w-]+", query):
        close = difflib.get_close_matches(query, list(saved), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else " (see `kg queries`)"
        raise QueryError(f"unknown saved query {query!r}{hint}")
    return query, None


def bind_parameters(text: str, saved: SavedQuery | None, params: dict[str, str]) -> str:
    """Fill each ``VALUES ?name { UNDEF }`` line with a parameter's value.

    >>> bind_parameters('SELECT * { VALUES ?who { UNDEF } ?x ?p ?who }', None, {"who": "Xi"})
    'SELECT * { VALUES ?who { "Xi" } ?x ?p ?who }'
    """
    declared = set(saved.params) if saved and saved.params else set(_value_slots(text))
    for name, value in params.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise QueryError(f"unknown parameter {name!r} (this query takes: {known})")
        slot = re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")
        if not slot.search(text):
            raise QueryError(f"parameter {name!r} has no 'VALUES ?{name} {{ UNDEF }}' to fill")
        filled = f"VALUES ?{name} {{ {term(value)} }}"
        text = slot.sub(lambda _match, filled=filled: filled, text)
    return text


def _value_slots(text: str) -> list[str]:
    return re.findall(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", text)


def term(value: str) -> str:
    """A parameter value as a SPARQL term: IRIs for ``<...>`` or http(s) values, else a string.

    >>> term("https://w3id.org/x"), term('say "hi"'), term("<urn:isbn:1>"), term("urn:isbn:1")
    ('<https://w3id.org/x>', '"say \\\\"hi\\\\""', '<urn:isbn:1>', '"urn:isbn:1"')
    """
    if value.startswith("<") and value.endswith(">"):
        try:
            return str(NamedNode(value[1:-1]))
        except ValueError:  # not an IRI after all: the text inside, as a string
            value = value[1:-1]
    if re.match(r"^https?://\S+$", value):
        return str(NamedNode(value))
    return str(Literal(value))


def is_update(text: str) -> bool:
    return bool(_UPDATE.match(_strip_comments(text)))


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("#"))


DEFAULT_TIMEOUT_S = 60.0
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_NOT_CODE = re.compile(
    r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|<[^<>"{}|^`\\\s]*>'
)


def uses_service(text: str) -> bool:
    """True when the query calls another endpoint (``SERVICE``), outside strings and IRIs.

    >>> uses_service("SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(_NOT_CODE.sub(" ", text)))


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a dict.

    >>> parse_params(("actor=Xi", "kind=claim"))
    {'actor': 'Xi', 'kind': 'claim'}
    """
    parsed = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise KgError(f"--param {item!r}: write it as NAME=VALUE")
        parsed[name.strip()] = value
    return parsed


def run_query(
    store,
    text: str,
    *,
    timeout: float | None = None,
    update: bool = False,
    allow_service: bool = False,
):
    """Run a query over the store; SPARQL errors become :class:`QueryError`.

    Updates are refused unless ``update``; ``SERVICE`` calls to other endpoints unless
    ``allow_service``. A read on a store folder with a ``timeout`` runs in a child
    process that is stopped when the time is up.
    """
    if uses_service(text) and not allow_service:
        raise QueryError(
            "the query calls another endpoint with SERVICE; pass --allow-service to permit it"
        )
    if is_update(text):
        if not update:
            raise QueryError("this is a SPARQL update; pass --update to change the store")
        return _guarded(lambda: store.update(text))
    if timeout and getattr(store, "path", None) and not hasattr(store, "endpoint"):
        return _query_in_child(store, text, timeout)
    return _guarded(lambda: store.query(text))


def _guarded(action):
    try:
        return action()
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax {error}") from error
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"query failed: {error}") from error


def _query_in_child(store, text: str, timeout: float):
    import multiprocessing

    from pyoxigraph import parse_query_results

    from .remote import GraphTriples

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_answer, args=(str(store.path), store.iris.base, text, sender), daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(f"query stopped after {timeout:g} s (see --timeout)")
        kind, payload = receiver.recv()
    except EOFError as error:
        raise QueryError("query failed: the query process ended without an answer") from error
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "error":
        raise QueryError(payload)
    if kind == "graph":
        from pyoxigraph import parse as parse_rdf

        return GraphTriples(list(parse_rdf(payload, format=RdfFormat.N_TRIPLES)))
    return parse_query_results(payload, QueryResultsFormat.JSON)


def _answer(path: str, base: str, text: str, sender) -> None:
    from .store import KgStore

    try:
        result = _guarded(lambda: KgStore(path, base=base, read_only=True).query(text))
        if isinstance(result, QuerySolutions | QueryBoolean):
            sender.send(("results", result.serialize(format=QueryResultsFormat.JSON)))
        else:
            sender.send(("graph", result.serialize(format=RdfFormat.N_TRIPLES)))
    except Exception as error:  # noqa: BLE001 - every failure goes back as one line
        sender.send(("error", str(error)))


def serialize_result(result, fmt: str) -> bytes:
    """Bytes of a result in a standard format (SPARQL results or an RDF syntax)."""
    if isinstance(result, QuerySolutions | QueryBoolean):
        if fmt not in RESULT_FORMATS:
            raise QueryError(
                f"unknown result format {fmt!r} (choose from: table, {', '.join(RESULT_FORMATS)})"
            )
        return result.serialize(format=RESULT_FORMATS[fmt])
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"unknown graph format {fmt!r} (choose from: {', '.join(GRAPH_FORMATS)})")
    return result.serialize(format=GRAPH_FORMATS[fmt])


def compact_iri(value: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` for an IRI under a known namespace, else ``<iri>``.

    >>> compact_iri("https://w3id.org/policy-kg/ontology#Person", {"pk": "https://w3id.org/policy-kg/ontology#"})
    'pk:Person'
    """
    for prefix, namespace in prefixes.items():
        if value.startswith(namespace) and re.fullmatch(r"[\w.\-/]*", value[len(namespace) :]):
            return f"{prefix}:{value[len(namespace) :]}"
    return f"<{value}>"


def table_rows(
    result: QuerySolutions, prefixes: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    """Column names and cell texts of a SELECT result, IRIs compacted for reading."""
    columns = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = []
        for column in columns:
            cell = solution[column]
            if cell is None:
                row.append("")
            elif isinstance(cell, NamedNode):
                row.append(compact_iri(cell.value, prefixes))
            else:
                row.append(cell.value)
        rows.append(row)
    return columns, rows
