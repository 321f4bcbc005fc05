"""The SHACL shapes compiled to SPARQL queries that run inside the store.

pySHACL copies the data into rdflib and checks it node by node (about 30
microseconds a triple); Oxigraph answers one query per constraint over the
whole store far faster and in flat memory. This module compiles the parts of
SHACL Core our shapes use (targets by class, simple and inverse paths,
``minCount``, ``maxCount``, ``datatype``, ``class``, ``nodeKind``,
``pattern``, ``minLength``, ``minInclusive``, ``maxInclusive``,
``lessThanOrEquals``, ``uniqueLang``, ``hasValue``, ``or`` of datatypes or of
``minCount`` property shapes, ``not`` of a class) and SHACL-SPARQL
constraints. A shape using anything else is refused when compiled, so the two
engines cannot silently disagree; a test runs both over every shape fixture.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from .errors import KgError

SUPPORTED = {
    SH.path, SH.message, SH.severity, SH.minCount, SH.maxCount, SH.datatype, SH["class"],
    SH.nodeKind, SH.pattern, SH.minLength, SH.minInclusive, SH.maxInclusive,
    SH.lessThanOrEquals, SH.uniqueLang, SH.hasValue, SH["or"], SH["not"], SH.name,
    SH.description,
}  # fmt: skip
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


SCOPE = "#focus-scope\n"  # where a filter on ?focus goes; a comment until one is given


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT giving ``?focus`` and, where one is at fault,
    ``?value``; every row is one result of ``shape`` with ``message`` and ``severity``.
    ``target`` is the query's focus-node pattern (``?focus`` typed by the target class)."""

    shape: str
    path: str | None
    severity: str
    message: str
    query: str
    target: str = ""

    def scoped(self, focus_filter: str) -> str:
        """The query with its focus nodes limited by ``focus_filter`` (a FILTER on ?focus).

        >>> check = Check("S", None, "Violation", "m", f"SELECT * {{ ?focus a ?c {SCOPE}}}")
        >>> check.scoped("FILTER(isIRI(?focus))").split()[-2:]
        ['FILTER(isIRI(?focus))', '}']
        """
        return self.query.replace(SCOPE, focus_filter + "\n")


@cache
def compiled_checks(shapes_path: str, ontology_path: str) -> tuple[Check, ...]:
    """Every constraint of the shapes file as a query. Class tests list each class with
    its subclasses from the ontology, so queries need no ``rdfs:subClassOf*`` paths."""
    shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    ontology = rdflib.Graph().parse(ontology_path, format="turtle")
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        shapes.add(triple)
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        checks += _node_shape(shapes, shape)
    return tuple(checks)


def is_a(g: rdflib.Graph, node: str, cls) -> str:
    """A pattern true when ``node`` has ``cls`` or one of its subclasses as a type."""
    classes = sorted(str(c) for c in g.transitive_subjects(RDFS.subClassOf, cls))
    if len(classes) == 1:
        return f"{node} {TYPE} <{classes[0]}> ."
    listed = " ".join(f"<{c}>" for c in classes)
    variable = "?class_" + node.lstrip("?")
    return f"{node} {TYPE} {variable} . VALUES {variable} {{ {listed} }}"


def _node_shape(g: rdflib.Graph, shape) -> list[Check]:
    name = str(shape).rsplit("#", 1)[-1]
    targets = list(g.objects(shape, SH.targetClass))
    if len(targets) != 1:
        raise KgError(f"shape {name}: only one sh:targetClass is supported")
    focus = is_a(g, "?focus", targets[0])
    target = f"{{ SELECT DISTINCT ?focus WHERE {{ {focus} {SCOPE}}} }}"
    severity = _severity(g, shape)
    message = str(g.value(shape, SH.message) or "constraint not met")
    checks = []
    for prop in g.objects(shape, SH.property):
        checks += _property_shape(g, name, prop, target, severity)
    for negated in g.objects(shape, SH["not"]):
        cls = _only(g, negated, SH["class"], name)
        negated_type = is_a(g, "?focus", cls).replace("?class_focus", "?negated")
        where = f"{target} {negated_type} BIND(?focus AS ?value)"
        checks.append(Check(name, None, severity, message, _select(where)))
    for alternatives in g.objects(shape, SH["or"]):
        checks.append(Check(name, None, severity, message, _node_or(g, name, alternatives, target)))
    for constraint in g.objects(shape, SH.sparql):
        select = str(g.value(constraint, SH.select))
        text = str(g.value(constraint, SH.message) or message)
        inner = select.replace("$this", "?focus")
        query = (
            f"SELECT ?focus ?value ?exact ?start ?end WHERE {{ {target} {{ {inner.strip()} }} }}"
        )
        checks.append(Check(name, None, severity, text, _prefixed(g, constraint, query)))
    return [replace(check, target=focus) for check in checks]


def _property_shape(g, name: str, prop, target: str, node_severity: str) -> list[Check]:
    unknown = {p for p in g.predicates(prop, None)} - SUPPORTED
    if unknown:
        raise KgError(f"shape {name}: cannot compile {sorted(str(u) for u in unknown)}")
    path, step = _path(g, prop)
    severity = _severity(g, prop, node_severity)
    message = str(g.value(prop, SH.message) or "constraint not met")
    values = f"{target} {step} ."

    def check(where: str, *, value: bool = True) -> Check:
        return Check(name, path, severity, message, _select(where, value=value))

    checks = []
    one = lambda p: g.value(prop, p)  # noqa: E731
    if one(SH.minCount) is not None and int(one(SH.minCount)) == 1:  # the common case
        checks.append(check(f"{target} FILTER NOT EXISTS {{ {step} }}", value=False))
    elif one(SH.minCount) is not None:
        count = int(one(SH.minCount))
        checks.append(
            check(
                f"{target} {{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE "
                f"{{ {target} OPTIONAL {{ {step} }} }} GROUP BY ?focus }} FILTER(?n < {count})",
                value=False,
            )
        )
    if one(SH.maxCount) is not None:
        count = int(one(SH.maxCount))
        checks.append(
            check(
                f"{{ SELECT ?focus (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {values} }} "
                f"GROUP BY ?focus }} FILTER(?n > {count})",
                value=False,
            )
        )
    if one(SH.datatype) is not None:
        checks.append(
            check(
                f"{values} FILTER(!isLiteral(?value) || DATATYPE(?value) != <{one(SH.datatype)}>)"
            )
        )
    if one(SH["class"]) is not None:
        checks.append(
            check(f"{values} FILTER NOT EXISTS {{ {is_a(g, '?value', one(SH['class']))} }}")
        )
    if one(SH.nodeKind) is not None:
        if one(SH.nodeKind) != SH.IRI:
            raise KgError(f"shape {name}: only sh:nodeKind sh:IRI is supported")
        checks.append(check(f"{values} FILTER(!isIRI(?value))"))
    if one(SH.pattern) is not None:
        pattern = json.dumps(str(one(SH.pattern)))
        checks.append(check(f"{values} FILTER(isBlank(?value) || !REGEX(STR(?value), {pattern}))"))
    if one(SH.minLength) is not None:
        checks.append(
            check(
                f"{values} FILTER(isBlank(?value) || "
                f"STRLEN(STR(?value)) < {int(one(SH.minLength))})"
            )
        )
    if one(SH.minInclusive) is not None:
        checks.append(check(f"{values} FILTER(!(?value >= {one(SH.minInclusive).n3()}))"))
    if one(SH.maxInclusive) is not None:
        checks.append(check(f"{values} FILTER(!(?value <= {one(SH.maxInclusive).n3()}))"))
    if one(SH.lessThanOrEquals) is not None:
        other = one(SH.lessThanOrEquals)
        checks.append(check(f"{values} ?focus <{other}> ?other . FILTER(!(?value <= ?other))"))
    if one(SH.uniqueLang) is not None and one(SH.uniqueLang).toPython() is True:
        checks.append(
            check(
                f"{{ SELECT ?focus WHERE {{ {values} FILTER(LANG(?value) != '') }} "
                "GROUP BY ?focus (LANG(?value)) HAVING (COUNT(DISTINCT ?value) > 1) }",
                value=False,
            )
        )
    if one(SH.hasValue) is not None:
        wanted = one(SH.hasValue).n3()
        check_step = step.replace("?value", wanted)
        checks.append(check(f"{target} FILTER NOT EXISTS {{ {check_step} }}", value=False))
    if one(SH["or"]) is not None:
        datatypes = [_only(g, item, SH.datatype, name) for item in Collection(g, one(SH["or"]))]
        listed = ", ".join(f"<{d}>" for d in datatypes)
        checks.append(
            check(f"{values} FILTER(!isLiteral(?value) || !(DATATYPE(?value) IN ({listed})))")
        )
    return checks


def _node_or(g, name: str, alternatives, target: str) -> str:
    branches = []
    for item in Collection(g, alternatives):
        path, step = _path(g, item)
        if g.value(item, SH.minCount) is None or int(g.value(item, SH.minCount)) != 1:
            raise KgError(f"shape {name}: sh:or supports only minCount 1 property shapes")
        branches.append(f"EXISTS {{ {step.replace('?value', '?present')} }}")
    return _select(f"{target} FILTER(!({' || '.join(branches)})) BIND(?focus AS ?value)")


def _path(g, prop) -> tuple[str, str]:
    """The path as text (``^p`` for an inverse) and as a triple pattern from ?focus to ?value."""
    path = g.value(prop, SH.path)
    if isinstance(path, rdflib.URIRef):
        return str(path), f"?focus <{path}> ?value"
    inverse = g.value(path, SH.inversePath)
    if isinstance(inverse, rdflib.URIRef):
        return f"^{inverse}", f"?value <{inverse}> ?focus"
    raise KgError("only simple and inverse sh:path are supported")


def _only(g, node, predicate, name: str):
    value = g.value(node, predicate)
    if value is None or set(g.predicates(node, None)) - {predicate}:
        raise KgError(f"shape {name}: cannot compile this sh:or / sh:not member")
    return value


def _severity(g, node, default: str = "Violation") -> str:
    value = g.value(node, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else default


def _select(where: str, *, value: bool = True) -> str:
    return f"SELECT DISTINCT ?focus {'?value' if value else ''} WHERE {{ {where} }}"


def _prefixed(g, constraint, query: str) -> str:
    lines = []
    for declaring in g.objects(constraint, SH.prefixes):
        for declaration in g.objects(declaring, SH.declare):
            prefix = g.value(declaration, SH.prefix)
            namespace = g.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join([*lines, query])
