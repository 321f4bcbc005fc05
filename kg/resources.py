"""Where the ontology, lexicons and saved queries live.

In a source checkout they are the repository's own folders; in an installed
wheel they are packaged under ``kg/_resources``.
"""

from __future__ import annotations

import hashlib
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


@cache
def rules_fingerprint() -> str:
    """A digest of everything that decides what extraction finds: the package's code
    and its lexicons, gazetteer and reference data. A build re-extracts a stored
    document whose extraction was made with a different fingerprint.

    >>> len(rules_fingerprint()) == 16 and rules_fingerprint() == rules_fingerprint()
    True
    """
    folders = {
        "kg": _PACKAGE,
        **{k: resource_dir(k) for k in ("lexicons", "gazetteer", "reference")},
    }
    return fingerprint(folders)


def fingerprint(folders: dict[str, Path]) -> str:
    """16 hex digits of SHA-256 over the names and bytes of the files in ``folders``
    (``.py`` files only for the ``kg`` package folder, subfolders excluded there)."""
    digest = hashlib.sha256()
    for kind, folder in sorted(folders.items()):
        files = folder.glob("*.py") if kind == "kg" else folder.rglob("*")
        for path in sorted(p for p in files if p.is_file()):
            digest.update(f"{kind}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
