"""IRIs of the vocabulary and of the instance space."""

from __future__ import annotations

PK = "https://w3id.org/policy-kg/ontology#"
DEFAULT_BASE = "https://w3id.org/policy-kg/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "pk": PK,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "schema": SCHEMA,
    "oa": OA,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "wd": WD,
}


def graph_iri(base: str, name: str) -> str:
    """IRI of a named graph in the store.

    >>> graph_iri(DEFAULT_BASE, "ontology")
    'https://w3id.org/policy-kg/id/graph/ontology'
    """
    return f"{base}graph/{name}"


def sparql_prologue(base: str = DEFAULT_BASE) -> str:
    """PREFIX lines for every namespace, plus ``id:`` for the instance base."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()]
    lines.append(f"PREFIX id: <{base}>")
    return "\n".join(lines) + "\n"
