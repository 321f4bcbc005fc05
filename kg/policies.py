"""Policy instruments named in the text, typed by the pk:policyTypes scheme.

Phrases come from ``data/lexicons/policies.yaml``. Implementers are the actors
named before the phrase in its sentence, targets those after "on", "against"
and the like; the stance follows the sentence's claim kind and negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from . import lexicon
from .claims import Claim
from .mentions import Mention
from .model import Span

STANCE_BY_KIND = {"recommendation": "recommends", "prediction": "predicts"}


@dataclass
class Policy:
    span: Span
    type: str  # local name of a pk:policyTypes concept
    stance: str  # recommends | opposes | reports | predicts
    implementers: list[str] = field(default_factory=list)  # actor keys
    targets: list[str] = field(default_factory=list)
    sentence: Span | None = None


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    config = lexicon.load("policies")["policies"]
    return [
        (kind, re.compile(r"\b(?:" + p + r")\b", re.I)) for kind, ps in config.items() for p in ps
    ]


def find_policies(text: str, claims: list[Claim], mentions: list[Mention]) -> list[Policy]:
    """Every policy phrase in the sentences of ``claims`` (sentence-level claims only)."""
    found: list[Policy] = []
    for claim in claims:
        if claim.reported_in is not None:
            continue
        for span, kind in _phrases(text, claim.span):
            found.append(_policy(text, span, kind, claim, mentions))
    return found


def _phrases(text: str, sentence: Span) -> list[tuple[Span, str]]:
    hits = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text, sentence.start, sentence.end):
            hits.append((Span(match.start(), match.end(), match.group()), kind))
    hits.sort(key=lambda h: (h[0].start, -(h[0].end - h[0].start)))
    kept, last_end = [], -1
    for span, kind in hits:
        if span.start >= last_end:
            kept.append((span, kind))
            last_end = span.end
    return kept


def _policy(text: str, span: Span, kind: str, claim: Claim, mentions: list[Mention]) -> Policy:
    inside = [
        m
        for m in mentions
        if claim.span.start <= m.span.start < claim.span.end and m.kind != "Place"
    ]
    before = [m for m in inside if m.span.end <= span.start]
    after = [m for m in inside if m.span.start >= span.end]
    prepositions = lexicon.load("policies")["target_prepositions"]
    targets = [
        m.key
        for m in after
        if text[span.end : m.span.start].strip().lower().split()[:1] in [[p] for p in prepositions]
        and m.span.start - span.end < 40
    ]
    implementers = [before[-1].key] if before else []
    stance = STANCE_BY_KIND.get(claim.kind, "reports")
    if stance == "recommends" and claim.polarity == "negative":
        stance = "opposes"
    return Policy(span, kind, stance, implementers, list(dict.fromkeys(targets)), claim.span)
