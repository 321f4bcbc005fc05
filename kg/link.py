"""Offline linking of actors and places to Wikidata, against the verified reference.

A link is made only when identity is established: the actor was found by a
name or alias of exactly one reference entity of a compatible kind (a person
never links to a country). When a name fits several entities they are listed
as candidates, not guessed; when it fits none the actor stays unlinked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from .lexicon import name_key
from .reference import reference_rows

COMPATIBLE = {
    "Person": {"person"},
    "State": {"state"},
    "Place": {"place", "state"},
}
ORGANIZATION_KINDS = {"organization", "media", "other"}
CONFIDENCE = {
    "reference-label": Decimal("1.0"),
    "reference-alias": Decimal("0.9"),
    "name-match": Decimal("0.8"),
    "live-label": Decimal("0.8"),
}


@dataclass
class Link:
    """The linking decision for one actor or place of a document."""

    key: str  # the actor's key
    wikidata: str | None = None
    method: str | None = None
    candidates: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> Decimal | None:
        return CONFIDENCE.get(self.method) if self.wikidata else None

    @property
    def status(self) -> str:
        if self.wikidata:
            return "linked"
        return "ambiguous" if self.candidates else "unlinked"


@dataclass(frozen=True)
class _Entry:
    qid: str
    label_key: str
    kind: str


@cache
def _index() -> dict[str, tuple[_Entry, ...]]:
    """Reference entities by every normalised label and alias."""
    table: dict[str, list[_Entry]] = defaultdict(list)
    for row in reference_rows():
        entry = _Entry(row["qid"], name_key(row["label"]), row["kind"])
        names = [row["label"], *[a for a in row["aliases"].split("|") if a.strip()]]
        for name in dict.fromkeys(name_key(n) for n in names):
            table[name].append(entry)
    return {k: tuple(v) for k, v in table.items()}


def compatible(actor_kind: str, reference_kind: str) -> bool:
    """True when an actor of ``actor_kind`` may be a reference entity of ``reference_kind``.

    >>> compatible("Person", "state"), compatible("MediaOutlet", "media")
    (False, True)
    """
    allowed = COMPATIBLE.get(actor_kind, ORGANIZATION_KINDS)
    return reference_kind in allowed


def link_actor(actor) -> Link:
    """Decide the Wikidata link of one resolved actor (or place)."""
    forms = [actor.name, *actor.alt_labels, *(m.span.exact for m in actor.mentions)]
    fitting: dict[str, _Entry] = {}
    methods: dict[str, str] = {}
    for form in dict.fromkeys(name_key(f) for f in forms if f):
        entries = [e for e in _index().get(form, ()) if compatible(actor.kind, e.kind)]
        if len(entries) == 1:
            entry = entries[0]
            fitting[entry.qid] = entry
            method = "reference-label" if entry.label_key == form else "reference-alias"
            if methods.get(entry.qid) != "reference-label":
                methods[entry.qid] = method
        elif len(entries) > 1 and actor.wikidata is None:
            fitting.update({e.qid: e for e in entries})
    if actor.wikidata and actor.wikidata in methods:
        return Link(actor.key, actor.wikidata, methods[actor.wikidata])
    if len(fitting) == 1:
        (qid,) = fitting
        method = "name-match" if actor.wikidata is None else methods.get(qid, "reference-alias")
        return Link(actor.key, qid, method)
    return Link(actor.key, candidates=sorted(fitting))


def agent_key(agent) -> str:
    """The link key of an author, publisher or cited outlet (kind and name)."""
    return f"agent:{agent.kind}:{name_key(agent.name)}"


def link_actors(actors: list) -> list[Link]:
    """Links for every actor and place of a document, in order."""
    return [link_actor(actor) for actor in actors]
