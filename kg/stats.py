"""Counts of what the store holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .store import KgStore, internal_query


@dataclass
class Stats:
    documents: int
    actors: int
    claims: int
    policies: int
    events: int
    citations: int
    evidence_spans: int
    triples: int
    quads: int
    graphs: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def store_stats(store: KgStore) -> Stats:
    """Count documents, actors, claims, policies, events, citations and triples."""
    row = next(iter(store.query(internal_query("stats"))))
    counts = {
        name: int(row[name].value)
        for name in (
            "documents",
            "actors",
            "claims",
            "policies",
            "events",
            "citations",
            "evidence_spans",
        )
    }
    triples = int(next(iter(store.query(internal_query("triples"))))["triples"].value)
    return Stats(
        **counts, triples=triples, quads=store.quad_count(), graphs=len(store.graph_names())
    )
