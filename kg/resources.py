"""Where the ontology, lexicons and saved queries live.

In a source checkout they are the repository's own folders; in an installed
wheel they are packaged under ``kg/_resources``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

# libyaml's parser when PyYAML was built with it: the same values, ten times faster
# (0.04 s instead of 0.4 s for the lexicons and gazetteers every command reads).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def read_yaml(source):
    """The data of a YAML text or open file, read safely (plain data, no tags).

    >>> read_yaml("a: [1, two]")
    {'a': [1, 'two']}
    """
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader
