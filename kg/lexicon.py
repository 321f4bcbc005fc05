"""Lexicons, gazetteers and cue patterns, read from YAML files in ``data/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .resources import lexicon_file, read_yaml, resource_dir


@cache
def load(name: str) -> dict:
    """Parsed contents of ``data/lexicons/<name>.yaml``.

    >>> "line_patterns" in load("boilerplate")
    True
    """
    with open(lexicon_file(f"{name}.yaml"), encoding="utf-8") as handle:
        return read_yaml(handle)


@cache
def patterns(name: str, key: str) -> tuple[re.Pattern, ...]:
    """Compiled case-insensitive regular expressions from one lexicon list."""
    return tuple(re.compile(p, re.IGNORECASE) for p in load(name)[key])


@dataclass(frozen=True)
class KnownOrganization:
    name: str
    kind: str


@cache
def organizations() -> dict[str, KnownOrganization]:
    """Known organisations keyed by every normalised name they go by."""
    path = resource_dir("gazetteer") / "organizations.yaml"
    if not path.exists():
        return {}
    entries = read_yaml(path.read_text(encoding="utf-8")) or []
    table: dict[str, KnownOrganization] = {}
    for entry in entries:
        known = KnownOrganization(entry["name"], entry["kind"])
        for alias in [entry["name"], *entry.get("aliases", [])]:
            table.setdefault(name_key(alias), known)
    return table


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Normalised form of a name for look-ups: case, quotes and a leading 'the' ignored.

    >>> name_key("The  New York Times")
    'new york times'
    >>> name_key("People’s Daily") == name_key("People's Daily")
    True
    """
    folded = name.replace("’", "'").casefold()
    folded = re.sub(r"[^\w']+", " ", folded).strip()
    return re.sub(r"^the\s+", "", folded)
