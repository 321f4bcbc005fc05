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
from .cues import fold, may_match
from .mentions import Mention
from .model import Span

STANCE_BY_KIND = {"recommendation": "recommends", "prediction": "predicts"}


@dataclass
class Policy:
    span: Span  # its first mention
    type: str  # local name of a pk:policyTypes concept
    stance: str  # recommends | opposes | reports | predicts (of its first mention)
    implementers: list[str] = field(default_factory=list)  # actor keys
    targets: list[str] = field(default_factory=list)
    sentence: Span | None = None
    spans: list[Span] = field(default_factory=list)  # every mention in the document
    stances: list[str] = field(default_factory=list)  # the stance of each mention


def merge_policies(found: list[Policy]) -> list[Policy]:
    """One policy per instrument per document: mentions of the same phrase are merged.

    >>> a = Policy(Span(0, 9, "sanctions"), "Sanctions", "reports", ["Q30"])
    >>> b = Policy(Span(50, 59, "Sanctions"), "Sanctions", "recommends", ["Q148"])
    >>> [(p.spans, p.stances, p.implementers) for p in merge_policies([a, b])][0][1:]
    (['reports', 'recommends'], ['Q30', 'Q148'])
    """
    merged: dict[tuple[str, str], Policy] = {}
    for policy in found:
        key = (policy.type, re.sub(r"^(a|an|the)\s+", "", policy.span.exact.lower()))
        kept = merged.setdefault(
            key, Policy(policy.span, policy.type, policy.stance, sentence=policy.sentence)
        )
        kept.spans.append(policy.span)
        kept.stances.append(policy.stance)
        kept.implementers = list(dict.fromkeys(kept.implementers + policy.implementers))
        kept.targets = list(dict.fromkeys(kept.targets + policy.targets))
    return list(merged.values())


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
    return merge_policies(found)


@cache
def _any_pattern() -> re.Pattern:
    """One pattern matching wherever any policy pattern does: most sentences name no
    policy, and one search rules that out before each pattern looks."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _kind, pattern in _patterns()), re.I)


def _phrases(text: str, sentence: Span) -> list[tuple[Span, str]]:
    # A pattern whose literal words the sentence lacks cannot match in it (kg.cues).
    folded = fold(text[sentence.start : sentence.end])
    if not may_match(_any_pattern(), folded):
        return []
    first = _any_pattern().search(text, sentence.start, sentence.end)
    if not first:
        return []
    hits = []
    for kind, pattern in _patterns():
        if not may_match(pattern, folded):
            continue
        # no policy phrase starts before the first place any of them matches
        for match in pattern.finditer(text, first.start(), sentence.end):
            hits.append((Span(match.start(), match.end(), match.group()), kind))
    hits.sort(key=lambda h: (h[0].start, -(h[0].end - h[0].start)))
    kept, last_end = [], -1
    for span, kind in hits:
        if span.start >= last_end:
            kept.append((span, kind))
            last_end = span.end
    return kept


def _first_word(gap: str) -> str:
    words = gap.strip().lower().split()
    return words[0] if words else ""


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
        if m.span.start - span.end < 40
        and _first_word(text[span.end : m.span.start]) in prepositions
    ]
    implementers = [before[-1].key] if before else []
    stance = STANCE_BY_KIND.get(claim.kind, "reports")
    if stance == "recommends" and claim.polarity == "negative":
        stance = "opposes"
    return Policy(span, kind, stance, implementers, list(dict.fromkeys(targets)), claim.span)
