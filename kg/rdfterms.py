"""RDF terms shared by the mapping modules: vocabulary IRIs and typed literals."""

from __future__ import annotations

from functools import cache, lru_cache

from pyoxigraph import Literal, NamedNode

from .model import PartialDate
from .namespaces import PK, RDF, RDFS, XSD

TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")


@cache
def pk(name: str) -> NamedNode:
    """The vocabulary term ``pk:name`` (terms are immutable: each is made once)."""
    return NamedNode(PK + name)


def text(value: str) -> Literal:
    return Literal(value)


def english(value: str) -> Literal:
    return Literal(value, language="en")


NON_NEGATIVE_INTEGER = NamedNode(XSD + "nonNegativeInteger")
BOOLEAN = NamedNode(XSD + "boolean")


@lru_cache(maxsize=65536)
def offset(value: int) -> Literal:
    return Literal(str(value), datatype=NON_NEGATIVE_INTEGER)


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.iso, datatype=NamedNode(XSD + date.datatype))


@cache
def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=BOOLEAN)
