"""Resolve mentions to one canonical Actor per real-world entity.

Keys are global: a gazetteer id (the Wikidata QID when the reference has one)
or ``Kind:normalised name`` for an actor nobody listed, so the same actor gets
the same node in every document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazetteer import load_gazetteer
from .lexicon import name_key
from .mentions import Mention
from .model import Agent, Span


@dataclass
class Actor:
    key: str
    name: str
    kind: str
    wikidata: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


def agent_mention(agent: Agent, rule: str, *, required: bool = False) -> Mention | None:
    """A metadata agent (an author, a publisher) as a mention of its actor.

    Agents known only from a sidecar have no span; ``required`` gives them an
    empty one so they can still speak for the document.
    """
    if agent.span is None and not required:
        return None
    span = agent.span or Span(0, 0, "")
    entry = load_gazetteer().by_name(agent.name)
    if entry is not None and entry.kind != "Place":
        return Mention(span, entry.id, entry.name, entry.kind, rule, entry.wikidata)
    return Mention(span, f"{agent.kind}:{name_key(agent.name)}", agent.name, agent.kind, rule)


def resolve_actors(mentions: list[Mention]) -> tuple[list[Actor], list[Actor]]:
    """Group mentions into actors and places, in order of first mention.

    >>> from kg.mentions import find_mentions
    >>> actors, places = resolve_actors(find_mentions("The DPRK fired. Pyongyang said no."))
    >>> [(a.name, a.alt_labels, len(a.mentions)) for a in actors]
    [('North Korea', ['DPRK', 'Pyongyang'], 2)]
    """
    grouped: dict[str, Actor] = {}
    for mention in sorted(mentions, key=lambda m: m.span.start):
        actor = grouped.setdefault(
            mention.key, Actor(mention.key, mention.name, mention.kind, mention.wikidata)
        )
        actor.mentions.append(mention)
        surface = mention.span.exact
        if surface != actor.name and surface not in actor.alt_labels:
            actor.alt_labels.append(surface)
    actors = [a for a in grouped.values() if a.kind != "Place"]
    places = [a for a in grouped.values() if a.kind == "Place"]
    return actors, places
