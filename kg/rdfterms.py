"""RDF terms shared by the mapping modules: vocabulary IRIs and typed literals."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from .model import PartialDate
from .namespaces import PK, RDF, RDFS, XSD

TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")


def pk(name: str) -> NamedNode:
    return NamedNode(PK + name)


def text(value: str) -> Literal:
    return Literal(value)


def english(value: str) -> Literal:
    return Literal(value, language="en")


def offset(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "nonNegativeInteger"))


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.iso, datatype=NamedNode(XSD + date.datatype))


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))
