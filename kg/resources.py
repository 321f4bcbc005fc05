"""Where the ontology, lexicons and saved queries live.

In a source checkout they are the repository's own folders; in an installed
wheel they are packaged under ``kg/_resources``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent
_BUNDLED = _PACKAGE / "_resources"

_LAYOUT = {
    "ontology": "ontology",
    "lexicons": "data/lexicons",
    "gazetteer": "data/gazetteer",
    "reference": "data/reference",
    "queries": "queries",
}


@cache
def resource_dir(kind: str) -> Path:
    """Return the folder holding one kind of resource.

    >>> resource_dir("ontology").name
    'ontology'
    """
    checkout = _CHECKOUT / _LAYOUT[kind]
    if checkout.is_dir():
        return checkout
    return _BUNDLED / kind


def ontology_file(name: str) -> Path:
    return resource_dir("ontology") / name


def lexicon_file(name: str) -> Path:
    return resource_dir("lexicons") / name


@cache
def internal_query(name: str) -> str:
    """Text of one of the package's own queries in ``kg/sparql``."""
    return (Path(__file__).parent / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
