"""Facts about linked entities, copied into their own named graph (``<base>graph/enrichment``).

From the offline reference: label, description and kind of every linked
Wikidata entity. From an endpoint, when given: the values of the properties
listed in ``data/reference/enrich-properties.yaml`` (only property ids that
are verified belong there). Saved queries can then join what articles say
with what the reference knows (``queries/claims-by-leaders.rq``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from .live import LiveLinker
from .resources import read_yaml, resource_dir
from .store import KgStore, internal_query

REFERENCE_FACTS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/description",
    "https://w3id.org/policy-kg/ontology#referenceKind",
)


@dataclass
class EnrichReport:
    entities: int
    facts: int


def enrichment_properties() -> list[str]:
    path = resource_dir("reference") / "enrich-properties.yaml"
    config = read_yaml(path.read_text(encoding="utf-8")) if path.exists() else None
    return [
        f"http://www.wikidata.org/prop/direct/{p}" for p in (config or {}).get("properties", [])
    ]


def enrich_store(store: KgStore, linker: LiveLinker | None = None) -> EnrichReport:
    """Replace the enrichment graph with facts about every linked entity (one transaction)."""
    graph = NamedNode(store.iris.named_graph("enrichment"))
    entities = sorted(
        {row["entity"].value for row in store.query(internal_query("linked_entities"))}
    )
    quads = set(_reference_facts(store, entities, graph))
    if linker is not None and entities and enrichment_properties():
        quads |= set(_endpoint_facts(linker, entities, graph))
    store.replace_graphs([graph.value], sorted(quads, key=str))
    return EnrichReport(len(entities), len(quads))


def _reference_facts(store: KgStore, entities: list[str], graph: NamedNode):
    reference = NamedNode(store.reference_graph)
    wanted = {NamedNode(e) for e in entities}
    for predicate in REFERENCE_FACTS:
        for quad in store.quads(reference.value, predicate):
            if quad.subject in wanted:
                yield Quad(quad.subject, quad.predicate, quad.object, graph)


def _endpoint_facts(linker: LiveLinker, entities: list[str], graph: NamedNode):
    values = " ".join(f"<{e}>" for e in entities)
    properties = " ".join(f"<{p}>" for p in enrichment_properties())
    query = (
        internal_query("enrich_facts").replace("ENTITIES", values).replace("PROPERTIES", properties)
    )
    for row in linker.select(query):
        value = row["value"]
        obj = NamedNode(value) if value.startswith(("http://", "https://")) else Literal(value)
        yield Quad(NamedNode(row["entity"]), NamedNode(row["property"]), obj, graph)
