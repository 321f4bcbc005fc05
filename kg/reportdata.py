"""What the HTML report shows, read from the store by the saved queries in ``queries/``.

Every number and list of the report comes from a saved query, so `kg report` and
`kg query NAME` never disagree. Rows become plain dicts of strings (and ints for
the counts) that the pages embed as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal

from .query import bind_parameters, resolve_query

COUNTS = {"claims", "actors", "citations", "mentions", "documents", "weight", "start", "end"}


def rows(store, name: str, **params: str) -> list[dict]:
    """The rows of saved query ``name``, each a dict of plain values (unbound: absent)."""
    text, saved = resolve_query(name)
    text = bind_parameters(text, saved, params)
    result = store.query(text)
    names = [v.value for v in result.variables]
    found = []
    for solution in result:
        row = {}
        for variable in names:
            term = solution[variable]
            if term is None:
                continue
            count = variable in COUNTS and isinstance(term, Literal)
            row[variable] = int(term.value) if count else term.value
        found.append(row)
    return found


def top_actors(actors: list[dict], limit: int) -> tuple[list[dict], set[str]]:
    """The ``limit`` most mentioned rows of the ``actors`` query (one row per node,
    most mentioned first) and their nodes."""
    top = actors[:limit]
    return top, {a["node"] for a in top}


@dataclass
class Article:
    """One document: its overview row, text, annotations, claims and citations."""

    overview: dict
    text: str
    annotations: list[dict]
    claims: list[dict]
    citations: list[dict]

    @property
    def iri(self) -> str:
        return self.overview["document"]

    @property
    def doc_id(self) -> str:
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class ReportData:
    documents: list[dict]
    actors: list[dict]
    links: list[dict]
    claims: list[dict]
    debate: list[dict]
    recommendations: list[dict]
    timeline: list[dict]
    articles: list[Article] = field(default_factory=list)


def report_data(store) -> ReportData:
    """Run the report's saved queries on ``store``."""
    claims = rows(store, "claims")
    data = ReportData(
        documents=rows(store, "document-overview"),
        actors=rows(store, "actors"),
        links=rows(store, "actor-links"),
        claims=claims,
        debate=rows(store, "contested-questions"),
        recommendations=rows(store, "recommendations"),
        timeline=rows(store, "timeline"),
    )
    by_document: dict[str, list[dict]] = {}
    for claim in claims:
        by_document.setdefault(claim["document"], []).append(claim)
    for overview in data.documents:
        iri = overview["document"]
        text_rows = rows(store, "document-text", document=iri)
        data.articles.append(
            Article(
                overview=overview,
                text=text_rows[0]["text"] if text_rows else "",
                annotations=rows(store, "document-annotations", document=iri),
                claims=by_document.get(iri, []),
                citations=rows(store, "citations", document=iri),
            )
        )
    return data
