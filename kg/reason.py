"""OWL consistency of the ontology plus the store's data, checked by HermiT (owlready2).

HermiT needs Java. It cannot read the XSD date types OWL 2 leaves out
(``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``) nor needs the documents'
full text, so those literals are left out of what it is given.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import rdflib

from .errors import KgError
from .namespaces import PK, XSD
from .validate import ontology_graph

SKIPPED_DATATYPES = {rdflib.URIRef(XSD + t) for t in ("date", "gYearMonth", "gYear")}
SKIPPED_PREDICATES = {rdflib.URIRef(PK + "text")}


@dataclass
class ReasoningReport:
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    message: str = ""


def reasoner_input(data: rdflib.Graph) -> rdflib.Graph:
    """Ontology plus data, without the literals HermiT cannot take."""
    merged = rdflib.Graph()
    for triple in (*ontology_graph(), *data):
        _, predicate, obj = triple
        if predicate in SKIPPED_PREDICATES:
            continue
        if isinstance(obj, rdflib.Literal) and obj.datatype in SKIPPED_DATATYPES:
            continue
        merged.add(triple)
    return merged


def check_consistency(data: rdflib.Graph) -> ReasoningReport:
    """Run HermiT; report inconsistency and unsatisfiable classes."""
    if shutil.which("java") is None:
        raise KgError("--reason needs Java on the PATH (HermiT runs on the JVM)")
    import owlready2

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merged.nt"
        reasoner_input(data).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ReasoningReport(False, message=f"inconsistent: {error}".strip())
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
        return ReasoningReport(
            not unsatisfiable,
            unsatisfiable,
            "consistent" if not unsatisfiable else "unsatisfiable classes",
        )
