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


@dataclass(frozen=True)
class Question:
    id: str
    proposition: str
    concepts: tuple[re.Pattern, ...]
    supports: re.Pattern | None
    opposes: re.Pattern | None


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
        )
        for q in lexicon.load("questions")["questions"]
    )


def stances(claims: list[Claim]) -> list[Stance]:
    """The stance of each claim on each question it addresses."""
    found = []
    for claim in claims:
        text = claim.span.exact
        for question in questions():
            if not all(concept.search(text) for concept in question.concepts):
                continue
            stance = _stance(question, text)
            if stance is not None:
                found.append(Stance(question.id, claim, *stance))
    return found


def _stance(question: Question, text: str) -> tuple[str, str] | None:
    supports = question.supports.search(text) if question.supports else None
    opposes = question.opposes.search(text) if question.opposes else None
    if supports and opposes:
        return "qualifies", f"{supports.group()} / {opposes.group()}"
    match, side = (supports, "supports") if supports else (opposes, "opposes")
    if match is None:
        return None
    if _negated_before(text, match.start()):
        side = "opposes" if side == "supports" else "supports"
    return side, match.group()


def _negated_before(text: str, at: int) -> bool:
    window = text[max(0, at - 25) : at].lower()
    return bool(re.search(r"\b(not|n't|no|never|cannot)\b", window))
