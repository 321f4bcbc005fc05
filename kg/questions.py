"""The debate across documents: claims grouped under shared questions, with a stance.

A claim addresses a question when its sentence mentions every concept of the
question (``data/lexicons/questions.yaml``). Its stance is ``supports`` or
``opposes`` when one of the question's cue patterns matches (a negation
before a cue flips it) and ``qualifies`` when a hedge softens an
unambiguous cue; claims with no cue are not given a stance. Rules, not
similarity: every stance can be traced to the cue that set it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .claims import Claim
from .cues import fold, search
from .model import Span


@dataclass(frozen=True)
class Question:
    id: str
    proposition: str
    concepts: tuple[re.Pattern, ...]
    supports: re.Pattern | None
    opposes: re.Pattern | None
    qualifies: re.Pattern | None = None


@dataclass
class Stance:
    question: str
    claim: Claim
    stance: str  # supports | opposes | qualifies
    cue: str


def _either(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


@cache
def questions() -> tuple[Question, ...]:
    """The shared questions of the lexicon.

    >>> questions()[0].id
    'china-leverage-over-north-korea'
    """
    return tuple(
        Question(
            q["id"],
            q["proposition"],
            tuple(_either(c) for c in q["concepts"]),
            _either(q.get("supports", [])),
            _either(q.get("opposes", [])),
            _either(q.get("qualifies", [])),
        )
        for q in lexicon.load("questions")["questions"]
    )


def stances(claims: list[Claim]) -> list[Stance]:
    """The stance of each claim on each question it addresses.

    Concepts may be met in the claim or the sentence before it (an article
    names North Korea once and then argues about "the regime"). Cues are read
    in the claim's own words, leaving out reported speech nested in it, which
    is its own claim. A claim on a question with no cue of its own takes its
    claimant's position in the document when that is consistent (rule
    "document-position").
    """
    found: list[Stance] = []
    undecided: list[tuple[Question, Claim]] = []
    previous_text = ""
    before: dict[Span, str] = {}  # the sentence before each sentence
    for claim in claims:
        own = _own_words(claim, claims)
        if claim.reported_in is None:
            before[claim.span] = previous_text
        context = before.get(claim.reported_in or claim.span, "") + " " + claim.span.exact
        folded, own_folded = fold(context), fold(own)  # for kg.cues: no literal, no match
        for question in questions():
            if not all(search(c, context, folded) for c in question.concepts):
                continue
            stance = _stance(question, own, own_folded)
            if stance is None and all(search(c, own, own_folded) for c in question.concepts):
                undecided.append((question, claim))
            elif stance is None:
                continue
            else:
                found.append(Stance(question.id, claim, *stance))
        if claim.reported_in is None:
            previous_text = claim.span.exact
    return found + _document_positions(found, undecided)


def _own_words(claim: Claim, claims: list[Claim]) -> str:
    text = claim.span.exact
    for other in claims:
        if other.reported_in is not None and other.reported_in == claim.span:
            start, end = other.span.start - claim.span.start, other.span.end - claim.span.start
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _document_positions(found: list[Stance], undecided) -> list[Stance]:
    positions: dict[tuple[str, str], set[str]] = {}
    for stance in found:
        if stance.stance != "qualifies":
            positions.setdefault((stance.question, stance.claim.claimant.key), set()).add(
                stance.stance
            )
    inherited = []
    for question, claim in undecided:
        sides = positions.get((question.id, claim.claimant.key), set())
        if len(sides) == 1:
            inherited.append(Stance(question.id, claim, next(iter(sides)), "document-position"))
    return inherited


def _stance(question: Question, text: str, folded: str) -> tuple[str, str] | None:
    hedged = search(question.qualifies, text, folded)
    if hedged:
        return "qualifies", hedged.group()
    supports = search(question.supports, text, folded)
    opposes = search(question.opposes, text, folded)
    if supports and opposes:  # "the belief that A, a dubious assumption": the later cue decides
        later = max((supports, "supports"), (opposes, "opposes"), key=lambda pair: pair[0].start())
        earlier = opposes if later[1] == "supports" else supports
        return later[1], f"{later[0].group()} (over {earlier.group()})"
    match, side = (supports, "supports") if supports else (opposes, "opposes")
    if match is None:
        return None
    if _negated_before(text, match.start()):
        side = "opposes" if side == "supports" else "supports"
    return side, match.group()


def _negated_before(text: str, at: int) -> bool:
    window = text[max(0, at - 12) : at].lower()
    return bool(re.search(r"\b(not|no|never|cannot)\b|n[’']t\b", window))
