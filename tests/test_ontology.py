"""The ontology (ontology/policy-kg.ttl) and its JSON-LD context (ontology/context.jsonld).

What is pinned here:

* the Turtle parses, and every ``pk:`` term is documented (English label and definition);
* the term names the Python code writes exist with the right OWL type;
* the file stays OWL 2 DL (external terms declared once, annotation properties kept out of axioms);
* HermiT finds the ontology consistent with every class satisfiable, accepts a typical
  extracted record, and rejects individuals that break the disjointness, domain and
  functionality axioms;
* the JSON-LD context maps a plain key to every ``pk:`` property and class, and pyld can
  compact with it and round-trip back to the same triples.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import OWL, SKOS

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "policy-kg.ttl"
CONTEXT_JSONLD = ONTOLOGY_DIR / "context.jsonld"

PK = Namespace("https://w3id.org/policy-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/policy-kg/ontology")
DCTERMS = Namespace("http://purl.org/dc/terms/")
# A plain string: pytest probes module globals, and rdflib's XSD namespace warns on that.
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = """\
@prefix pk: <https://w3id.org/policy-kg/ontology#> .
@prefix id: <https://w3id.org/policy-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

requires_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="HermiT (owlready2's reasoner) needs a Java runtime and `java` is not on PATH",
)


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


def local(iri: URIRef) -> str:
    return str(iri)[len(str(PK)) :]


def pk_terms() -> list[URIRef]:
    """Every pk: IRI the file says something about."""
    g = ontology_graph()
    return sorted({s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(PK)})


def pk_of_type(owl_type: URIRef) -> list[URIRef]:
    g = ontology_graph()
    return sorted(s for s in g.subjects(RDF.type, owl_type) if s.startswith(PK))


# --------------------------------------------------------------------------- #
# Turtle and documentation
# --------------------------------------------------------------------------- #


def test_turtle_parses_and_declares_the_ontology_header():
    g = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")


@pytest.mark.parametrize("term", pk_terms(), ids=local)
def test_every_term_has_an_english_label_and_a_one_sentence_definition(term):
    g = ontology_graph()
    labels = [o for o in g.objects(term, RDFS.label) if o.language == "en"]
    comments = [o for o in g.objects(term, RDFS.comment) if o.language == "en"]
    assert len(labels) == 1, f"{local(term)} needs exactly one rdfs:label @en"
    assert len(comments) == 1, f"{local(term)} needs exactly one rdfs:comment @en"
    comment = str(comments[0])
    assert comment.endswith("."), f"{local(term)}: definition should be a full sentence"
    assert len(comment.split()) >= 6, f"{local(term)}: definition is too short to explain"
    assert comment.rstrip(".").lower() != str(labels[0]).lower()


def test_every_pk_iri_used_in_the_file_is_defined():
    g = ontology_graph()
    used = {o for o in g.objects() if isinstance(o, URIRef) and o.startswith(PK)}
    undefined = sorted(local(t) for t in used if (t, RDF.type, None) not in g)
    assert undefined == [], f"pk: IRIs referenced but never declared: {undefined}"


# --------------------------------------------------------------------------- #
# The names the Python code writes
# --------------------------------------------------------------------------- #

CLASSES = [
    "Actor",
    "Person",
    "State",
    "Organization",
    "GovernmentBody",
    "InternationalOrganization",
    "MediaOutlet",
    "ResearchInstitute",
    "PoliticalParty",
    "Place",
    "Policy",
    "Claim",
    "Quotation",
    "Event",
    "Source",
    "Document",
    "Citation",
    "Evidence",
    "ExtractionActivity",
    "PolicyType",
    "Question",
    "IdentityLink",
]

OBJECT_PROPERTIES = [
    "author",
    "authorOf",
    "publisher",
    "publisherOf",
    "cites",
    "citedBy",
    "citingSentence",
    "claimant",
    "makesClaim",
    "mentions",
    "topic",
    "recommends",
    "opposes",
    "targets",
    "implementer",
    "proposer",
    "policyType",
    "participant",
    "location",
    "evidence",
    "inDocument",
    "refersTo",
    "speaker",
    "generatedBy",
    "usedDocument",
    "responds",
    "supports",
    "disputes",
    "addresses",
    "affirms",
    "denies",
    "qualifies",
    "reportedIn",
    "linksActor",
    "linksTo",
    "candidate",
]

DATATYPE_PROPERTIES = [
    "title",
    "datePublished",
    "url",
    "text",
    "language",
    "contentHash",
    "sourceFile",
    "curatedField",
    "marker",
    "start",
    "end",
    "exact",
    "claimText",
    "eventDate",
    "confidence",
    "proposition",
    "claimKind",
    "modality",
    "polarity",
    "mainClaim",
    "stance",
    "eventType",
    "dateText",
    "dateResolved",
    "prefix",
    "suffix",
    "rule",
    "linkMethod",
    "referenceKind",
]

POLICY_TYPES = {
    "Sanctions": None,
    "SecondarySanctions": "Sanctions",
    "FinancialSanctions": "Sanctions",
    "TradeRestriction": None,
    "Diplomacy": None,
    "Negotiation": "Diplomacy",
    "SecurityAssurance": "Diplomacy",
    "MilitaryDeployment": None,
    "MilitaryExercise": None,
    "MissileDefense": None,
    "Deterrence": None,
    "MilitaryAction": None,
    "EconomicAid": None,
    "Engagement": None,
    "ExportControl": None,
    "Recognition": None,
}


@pytest.mark.parametrize(
    ("name", "owl_type"),
    [(n, OWL.Class) for n in CLASSES]
    + [(n, OWL.ObjectProperty) for n in OBJECT_PROPERTIES]
    + [(n, OWL.DatatypeProperty) for n in DATATYPE_PROPERTIES],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_term_the_code_writes_is_declared_with_its_owl_type(name, owl_type):
    assert (PK[name], RDF.type, owl_type) in ontology_graph()


@pytest.mark.parametrize("name", ["start", "end", "exact"])
def test_evidence_span_properties_are_functional(name):
    g = ontology_graph()
    assert (PK[name], RDF.type, OWL.FunctionalProperty) in g
    assert g.value(PK[name], RDFS.domain) == PK.Evidence


def test_core_classes_are_pairwise_disjoint():
    g = ontology_graph()
    expected = {
        PK[n]
        for n in [
            "Person",
            "State",
            "Organization",
            "Claim",
            "Source",
            "Event",
            "Policy",
            "Evidence",
            "Place",
        ]
    }
    member_sets = [
        set(g.items(g.value(axiom, OWL.members)))
        for axiom in g.subjects(RDF.type, OWL.AllDisjointClasses)
    ]
    assert expected in member_sets


@pytest.mark.parametrize(("concept", "broader"), POLICY_TYPES.items(), ids=list(POLICY_TYPES))
def test_policy_type_is_a_concept_in_the_scheme(concept, broader):
    g = ontology_graph()
    c = PK[concept]
    assert (c, RDF.type, PK.PolicyType) in g
    assert (c, SKOS.inScheme, PK.policyTypes) in g
    assert any(o.language == "en" for o in g.objects(c, SKOS.prefLabel))
    assert any(o.language == "en" for o in g.objects(c, SKOS.definition))
    if broader is None:
        assert (c, SKOS.topConceptOf, PK.policyTypes) in g
        assert (PK.policyTypes, SKOS.hasTopConcept, c) in g
    else:
        assert (c, SKOS.broader, PK[broader]) in g
        assert (c, SKOS.topConceptOf, None) not in g


def test_policy_type_scheme_has_no_undeclared_concepts():
    g = ontology_graph()
    assert (PK.policyTypes, RDF.type, SKOS.ConceptScheme) in g
    in_scheme = {local(c) for c in g.subjects(SKOS.inScheme, PK.policyTypes)}
    assert in_scheme == set(POLICY_TYPES)


# --------------------------------------------------------------------------- #
# OWL 2 DL hygiene
# --------------------------------------------------------------------------- #

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), XSD_NS)


def _declared_types(iri: URIRef) -> set[URIRef]:
    return set(ontology_graph().objects(iri, RDF.type))


def test_no_iri_is_declared_as_two_kinds_of_property():
    g = ontology_graph()
    props = {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t)}
    mixed = sorted(str(p) for p in props if len(_declared_types(p) & set(PROPERTY_TYPES)) > 1)
    assert mixed == []


def test_every_external_term_in_an_axiom_is_declared():
    g = ontology_graph()
    problems = []
    used_as_class = [
        *g.subjects(RDFS.subClassOf),
        *g.objects(None, RDFS.subClassOf),
        *g.objects(None, RDFS.domain),
        *[o for p, o in g.subject_objects(RDFS.range) if OWL.ObjectProperty in _declared_types(p)],
    ]
    for iri in used_as_class:
        if not str(iri).startswith(BUILTIN_NAMESPACES) and OWL.Class not in _declared_types(iri):
            problems.append(f"{iri} is used as a class but not declared owl:Class")
    for predicate in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf):
        for sub, sup in g.subject_objects(predicate):
            kind = _declared_types(sub) & set(PROPERTY_TYPES)
            if not kind or not kind & _declared_types(sup):
                problems.append(f"{sub} {predicate} {sup}: both must be the same kind of property")
    assert problems == []


def test_annotation_properties_stay_out_of_axioms():
    g = ontology_graph()
    annotation_props = set(g.subjects(RDF.type, OWL.AnnotationProperty))
    in_axioms = {
        t
        for p in (RDFS.subPropertyOf, OWL.equivalentProperty, RDFS.domain, RDFS.range)
        for s, o in g.subject_objects(p)
        for t in (s, o)
    }
    assert annotation_props & in_axioms == set()
    assert (None, None, SKOS.altLabel) not in g


# --------------------------------------------------------------------------- #
# HermiT
# --------------------------------------------------------------------------- #


def _load_world(tmp_dir: Path, data_turtle: str = "") -> World:
    """A fresh owlready2 World holding the ontology plus optional instance data."""
    g = Graph()
    g += ontology_graph()
    if data_turtle:
        g.parse(data=PREFIXES + data_turtle, format="turtle")
    path = tmp_dir / "ontology.nt"
    path.write_text(g.serialize(format="nt"), encoding="utf-8")
    world = World()
    world.get_ontology(path.as_uri()).load()
    return world


def _reason(world: World) -> None:
    sync_reasoner(world, infer_property_values=False, debug=0)


@pytest.fixture(scope="module")
def reasoned_world(tmp_path_factory) -> World:
    world = _load_world(tmp_path_factory.mktemp("hermit"))
    _reason(world)
    return world


@requires_java
def test_hermit_finds_the_ontology_consistent_with_every_class_satisfiable(reasoned_world):
    assert list(reasoned_world.inconsistent_classes()) == []


@requires_java
def test_hermit_loads_every_pk_class(reasoned_world):
    loaded = {c.iri for c in reasoned_world.classes()}
    missing = [local(c) for c in pk_of_type(OWL.Class) if str(c) not in loaded]
    assert missing == []


@requires_java
def test_hermit_accepts_a_typical_extracted_record(tmp_path):
    # No pk:datePublished / pk:eventDate here: xsd:date, xsd:gYearMonth and xsd:gYear are not
    # in the OWL 2 datatype map, so HermiT refuses to load such literals at all. Data must be
    # stripped of them before reasoning. pk:confidence must be xsd:decimal, not xsd:double.
    world = _load_world(
        tmp_path,
        """
        id:doc a pk:Document ;
            pk:title "Why sanctions on Iran should stay" ;
            pk:url "https://example.org/a"^^xsd:anyURI ;
            pk:language "en" ;
            pk:author id:analyst ;
            pk:publisher id:outlet ;
            pk:cites id:report .
        id:report a pk:Citation ; pk:marker "xii" ; pk:citingSentence id:span2 .
        id:analyst a pk:Person .
        id:outlet a pk:MediaOutlet .
        id:iran a pk:State .
        id:span a pk:Evidence ; pk:inDocument id:doc ; pk:refersTo id:iran ;
            pk:start "10"^^xsd:nonNegativeInteger ; pk:end "14"^^xsd:nonNegativeInteger ;
            pk:exact "Iran" .
        id:span2 a pk:Evidence ; pk:inDocument id:doc .
        id:claim a pk:Quotation ;
            pk:speaker id:analyst ;
            pk:claimText "Sanctions must stay." ;
            pk:recommends id:policy ;
            pk:topic id:iran ;
            pk:evidence id:span ;
            pk:confidence "0.9"^^xsd:decimal ;
            pk:generatedBy id:run .
        id:policy a pk:Policy ; pk:policyType pk:Sanctions ; pk:targets id:iran .
        id:test a pk:Event ; pk:participant id:iran ; pk:location id:site .
        id:site a pk:Place .
        id:run a pk:ExtractionActivity ; pk:usedDocument id:doc .
        """,
    )
    _reason(world)  # raises OwlReadyInconsistentOntologyError if the record is rejected


DISJOINT_PAIRS = [
    ("Person", "State"),
    ("Person", "Organization"),
    ("State", "Organization"),
    ("Claim", "Source"),
    ("Event", "Claim"),
    ("Evidence", "Document"),
    ("Policy", "Event"),
]


@requires_java
@pytest.mark.parametrize(("first", "second"), DISJOINT_PAIRS, ids=lambda v: v)
def test_hermit_rejects_an_individual_in_two_disjoint_classes(tmp_path, first, second):
    world = _load_world(tmp_path, f"id:x a pk:{first} , pk:{second} .")
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(world)


@requires_java
def test_hermit_rejects_a_claim_used_as_the_subject_of_author(tmp_path):
    # pk:author has domain pk:Source, so the claim would also be a Source.
    world = _load_world(tmp_path, "id:c a pk:Claim ; pk:author id:p . id:p a pk:Person .")
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(world)


@requires_java
def test_hermit_rejects_a_span_with_two_start_offsets(tmp_path):
    world = _load_world(
        tmp_path,
        'id:s a pk:Evidence ; pk:start "1"^^xsd:nonNegativeInteger , "2"^^xsd:nonNegativeInteger .',
    )
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(world)


# --------------------------------------------------------------------------- #
# JSON-LD context
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def context() -> dict:
    document = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict), "the context must be a local object"
    return document["@context"]


def _expand(context: dict, curie: str) -> str:
    prefix, _, rest = curie.partition(":")
    base = context.get(prefix)
    return base + rest if isinstance(base, str) and rest else curie


def _key_for(context: dict, iri: URIRef) -> tuple[str, object] | None:
    for key, value in context.items():
        target = value.get("@id") if isinstance(value, dict) else value
        if isinstance(target, str) and _expand(context, target) == str(iri):
            return key, value
    return None


def test_context_declares_the_prefixes_and_keyword_aliases(context):
    assert context["pk"] == str(PK)
    assert context["schema"] == "https://schema.org/"
    assert context["wd"] == "http://www.wikidata.org/entity/"
    for prefix in ("prov", "oa", "skos", "foaf", "dcterms", "rdfs", "xsd", "owl"):
        assert context[prefix].startswith("http")
    assert context["id"] == "@id"
    assert context["type"] == "@type"


@pytest.mark.parametrize("prop", pk_of_type(OWL.ObjectProperty), ids=local)
def test_every_object_property_has_a_key_whose_values_are_iris(context, prop):
    found = _key_for(context, prop)
    assert found is not None, f"no context key for pk:{local(prop)}"
    key, value = found
    assert key == local(prop)
    assert isinstance(value, dict) and value.get("@type") == "@id"


@pytest.mark.parametrize("prop", pk_of_type(OWL.DatatypeProperty), ids=local)
def test_every_datatype_property_has_a_plain_key(context, prop):
    found = _key_for(context, prop)
    assert found is not None, f"no context key for pk:{local(prop)}"
    key, value = found
    assert key == local(prop)
    if isinstance(value, dict):
        assert value.get("@type") != "@id"


@pytest.mark.parametrize("cls", pk_of_type(OWL.Class), ids=local)
def test_every_class_has_a_short_name(context, cls):
    assert context.get(local(cls)) == f"pk:{local(cls)}"


def test_context_has_no_stale_pk_keys(context):
    g = ontology_graph()
    stale = []
    for key, value in context.items():
        target = value.get("@id") if isinstance(value, dict) else value
        is_pk = isinstance(target, str) and target.startswith("pk:")
        if is_pk and (PK[target[3:]], RDF.type, None) not in g:
            stale.append(key)
    assert stale == []


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_pyld_compacts_to_plain_keys_and_round_trips(context):
    jsonld = pytest.importorskip("pyld.jsonld")
    data = Graph().parse(
        data=PREFIXES
        + """
        id:doc a pk:Document ; pk:title "Hello" ; pk:author id:p ;
            pk:datePublished "2024-05"^^xsd:gYearMonth ; rdfs:label "Bonjour"@fr .
        id:s a pk:Evidence ; pk:inDocument id:doc ; pk:exact "Hello" ;
            pk:start 0 ; pk:end 5 .
        """,
        format="turtle",
    )
    expanded = jsonld.from_rdf(
        data.serialize(format="nt"), {"format": "application/n-quads", "useNativeTypes": True}
    )
    compacted = jsonld.compact(expanded, {"@context": context})
    nodes = {node["id"].rsplit("/", 1)[-1]: node for node in compacted["@graph"]}
    assert nodes["doc"]["type"] == "Document"
    assert nodes["doc"]["title"] == "Hello"
    assert nodes["doc"]["author"] == "https://w3id.org/policy-kg/id/p"
    assert nodes["s"]["inDocument"] == "https://w3id.org/policy-kg/id/doc"
    assert nodes["s"]["start"] == 0  # offsets as stored (xsd:integer) read as JSON numbers

    back = Graph().parse(data=json.dumps(compacted), format="json-ld")
    assert to_isomorphic(back) == to_isomorphic(data)
