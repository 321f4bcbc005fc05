"""Known actors: the Wikidata reference table plus data/gazetteer/actors.yaml.

Everything here is data: canonical names, kinds, aliases, capitals standing
for governments, person titles, and aliases too ambiguous to match alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache

from .lexicon import name_key
from .names import organization_kind
from .resources import read_yaml, resource_dir

REFERENCE_KINDS = {
    "state": "State",
    "person": "Person",
    "media": "MediaOutlet",
    "organization": "Organization",
    "place": "Place",
    "other": "Organization",
}


@dataclass
class Entry:
    """One known real-world entity."""

    id: str  # Wikidata QID, or a slug of the name
    name: str
    kind: str  # an ontology class name
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    description: str = ""


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    capitals: dict[str, str]  # capital name -> state entry id
    place_prepositions: frozenset[str]
    person_titles: tuple[str, ...]
    ambiguous: frozenset[str]
    index: dict[str, Entry] = field(default_factory=dict)  # normalised name -> entry

    def __post_init__(self):
        for entry in self.entries.values():
            for name in [entry.name, *entry.aliases]:
                self.index.setdefault(name_key(name), entry)

    def by_name(self, name: str) -> Entry | None:
        return self.index.get(name_key(name))


def _reference_entries() -> dict[str, Entry]:
    path = resource_dir("reference") / "wikidata-entities.tsv"
    entries = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            kind = REFERENCE_KINDS.get(row["kind"])
            if kind is None:
                continue
            aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
            entries[row["qid"]] = Entry(
                row["qid"], row["label"], kind, aliases, row["qid"], row.get("description", "")
            )
    return entries


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, read once.

    >>> gazetteer = load_gazetteer()
    >>> gazetteer.by_name("DPRK").name, gazetteer.by_name("DPRK").kind
    ('North Korea', 'State')
    """
    entries = _reference_entries()
    config = read_yaml((resource_dir("gazetteer") / "actors.yaml").read_text(encoding="utf-8"))
    by_label = {e.name: e for e in entries.values()}
    for name, kind in config.get("organization_kinds", {}).items():
        if name in by_label:
            by_label[name].kind = kind
    for entry in entries.values():
        if entry.kind == "Organization":
            entry.kind = organization_kind(entry.name) or "Organization"
    for state, aliases in config.get("state_aliases", {}).items():
        by_label[state].aliases.extend(aliases)
    for extra in config.get("actors", []):
        slug = name_key(extra["name"]).replace(" ", "-").replace("'", "")
        entries[slug] = Entry(slug, extra["name"], extra["kind"], list(extra.get("aliases", [])))
    capitals = {
        capital: by_label[state].id
        for capital, state in config["capitals"].items()
        if state in by_label
    }
    return Gazetteer(
        entries=entries,
        capitals=capitals,
        place_prepositions=frozenset(config["place_prepositions"]),
        person_titles=tuple(config["person_titles"]),
        ambiguous=frozenset(config["ambiguous_aliases"]),
    )
