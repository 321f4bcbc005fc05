"""Names of people and organisations as articles write them."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from . import lexicon
from .model import Agent, Span

_PARTICLES = {
    "de",
    "del",
    "della",
    "der",
    "van",
    "von",
    "bin",
    "al",
    "el",
    "da",
    "di",
    "du",
    "la",
    "le",
    "ibn",
    "dos",
    "das",
    "y",
}
_TOKEN = re.compile(r"^(?:[A-Z][\w'’\-]*\.?|[A-Z]\.|[a-z]{1,4}-?[A-Z][\w'’\-]*)$")


def clean_name(name: str) -> str:
    """A name without markdown, stray punctuation or shouting capitals.

    >>> clean_name("MARIA K. LOPEZ")
    'Maria K. Lopez'
    >>> clean_name("**Ana Lima**,")
    'Ana Lima'
    """
    name = re.sub(r"[*_`\x00-\x08\x0b-\x1f\x7f]+", "", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:|")
    if not any(ch.isalnum() for ch in name):
        return ""
    if name.isupper() and len(name) > 3:
        name = " ".join(_title_token(token) for token in name.split())
    return name


def _title_token(token: str) -> str:
    if re.fullmatch(r"[A-Z]\.", token):
        return token
    return "-".join(part.capitalize() for part in token.split("-"))


def looks_like_person(name: str) -> bool:
    """Two to six name tokens, each capitalised, an initial or a particle.

    >>> looks_like_person("Jane Q. Doe"), looks_like_person("the administration")
    (True, False)
    """
    tokens = name.split()
    if not 2 <= len(tokens) <= 6:
        return False
    return (
        all(_TOKEN.match(t) or t.lower() in _PARTICLES for t in tokens) and tokens[0][0].isupper()
    )


@cache
def _role_words() -> frozenset[str]:
    return frozenset(lexicon.load("sources")["role_words"])


def is_role(part: str) -> bool:
    """True for a job title written after a byline name ("Senior Correspondent")."""
    words = re.findall(r"[a-z]+", part.lower())
    return bool(words) and any(w in _role_words() for w in words)


@lru_cache(maxsize=65536)
def organization_kind(name: str) -> str | None:
    """Ontology class for a known or cue-typed organisation name, else ``None``.

    >>> organization_kind("MIT Security Studies Program")
    'ResearchInstitute'
    >>> organization_kind("Jane Doe") is None
    True
    """
    known = lexicon.organizations().get(lexicon.name_key(name))
    if known:
        return known.kind
    lowered = f" {name.lower()} "
    for kind, pattern in _organization_cues():
        if pattern.search(lowered):
            return kind
    return None


@cache
def _organization_cues() -> list[tuple[str, re.Pattern]]:
    cues = lexicon.load("sources")["organization_kind_cues"].items()
    return [
        (kind, re.compile("|".join(rf"\b{re.escape(cue)}\b" for cue in words)))
        for kind, words in cues
        if words
    ]


def canonical_organization(name: str) -> str:
    """The gazetteer's name for an organisation, or the name as written."""
    known = lexicon.organizations().get(lexicon.name_key(name))
    return known.name if known else clean_name(name)


def split_names(text: str, offset: int, source: str) -> list[Agent]:
    """Agents named in a list like "A, B, and C" or "A; B" (roles after commas dropped).

    ``offset`` is where ``text`` starts in ``source`` so each agent gets its span.

    >>> [a.name for a in split_names("Jane Perlez, Yufan Huang, and Paul Mozur", 0, "")]
    ['Jane Perlez', 'Yufan Huang', 'Paul Mozur']
    >>> byline = "By: Ana Lima, Columnist"
    >>> [(a.name, a.span.start) for a in split_names(byline[4:], 4, byline)]
    [('Ana Lima', 4)]
    """
    agents = []
    for match in re.finditer(r"[^,;&]+", text):
        for part_match in re.finditer(r"(?:^|\band\s+)?([^\s].*?)(?=\s+and\s+|$)", match.group()):
            part = part_match.group(1)
            part = re.sub(r"^and\s+", "", part).strip()
            part = re.sub(r"\s+(?:in|from|at)\s+[A-Z].*$", "", part)
            if not part or is_role(part):
                continue
            start = offset + match.start() + part_match.start(1) + part_match.group(1).find(part)
            agents.append(_agent(part, start, source))
    return [a for a in agents if a is not None]


def _agent(written: str, start: int, source: str) -> Agent | None:
    name = clean_name(written)
    if not name:
        return None
    span = Span(start, start + len(written), written) if source else None
    kind = organization_kind(name)
    if kind:
        return Agent(canonical_organization(name), kind, span)
    return Agent(name, "Person", span) if looks_like_person(name) else None
