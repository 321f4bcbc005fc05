"""Claims and quotations: what each sentence of the body asserts, and who asserts it.

Every body sentence that asserts something is a Claim. Its kind
(recommendation, prediction, assessment, factual report, quotation), hedges
and negation come from cue lists in ``data/lexicons/claims.yaml``. The
claimant is the document's author unless the sentence reports someone else
("China insists ...", "according to X"); then that reported part is its own
Claim by the speaker, linked to the sentence that reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from . import lexicon
from .cues import fold, may_match, search, search_any, split
from .mentions import Mention
from .model import Span

QUOTE = re.compile(r"[“\"](?P<words>[^”\"]{2,600}?)[”\"]")


@dataclass
class Claim:
    span: Span
    kind: str
    claimant: Mention  # who makes it (a mention of, or a stand-in for, the actor)
    modality: str | None = None
    polarity: str = "positive"
    main: bool = False
    actors: list[str] = field(default_factory=list)  # keys of actors mentioned
    rule: str = "sentence"
    reported_in: Span | None = None  # the sentence that reports this claim
    addressees: list[Mention] = field(default_factory=list)  # who a recommendation tells to act


@dataclass
class Quotation:
    span: Span  # the quoted words, without the marks
    sentence: Span
    speaker: Mention
    rule: str


def _config() -> dict:
    return lexicon.load("claims")


@cache
def _kind_patterns() -> list[tuple[str, re.Pattern]]:
    return [(kind, re.compile("|".join(cues), re.I)) for kind, cues in _config()["kinds"].items()]


@cache
def _kind_cues() -> list[tuple[str, tuple[re.Pattern, ...]]]:
    """Each kind's cues, one pattern per alternative: a sentence matches a kind's
    pattern when it matches one of them, and each alternative is skipped quickly when
    the sentence lacks its literal words (kg.cues)."""
    return [
        (kind, tuple(p for cue in cues for p in split(re.compile(cue, re.I))))
        for kind, cues in _config()["kinds"].items()
    ]


@cache
def _cues(key: str) -> tuple[re.Pattern, ...]:
    """The alternatives of a list of cue patterns (see ``_kind_cues``)."""
    return tuple(p for cue in _config()[key] for p in split(re.compile(cue, re.I)))


@cache
def _joined(key: str) -> re.Pattern:
    """One case-insensitive pattern of a list of cue patterns."""
    return re.compile("|".join(_config()[key]), re.I)


@cache
def _word_pattern(key: str) -> re.Pattern:
    words = sorted(_config()[key], key=len, reverse=True)
    return re.compile(r"(?<![\w’'])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])", re.I)


def claim_kind(text: str) -> str:
    """The kind of assertion a sentence makes.

    >>> claim_kind("Washington should lower expectations.")
    'recommendation'
    >>> claim_kind("North Korea conducted a test on November 28.")
    'factual_report'
    """
    folded = fold(text)
    embedded = _joined("embedded_clauses")
    if may_match(embedded, folded):
        text = embedded.sub(" ", text)
        folded = fold(text)
    for kind, cues in _kind_cues():
        if search_any(cues, text, folded):
            if kind == "factual_report" and search_any(_cues("evaluative"), text, folded):
                return "assessment"
            return kind
    return "assessment"


def modality(text: str) -> str | None:
    match = search(_word_pattern("hedges"), text)
    return match.group(1).lower() if match else None


_CONTRACTED_NOT = re.compile(r"n[’']t\b", re.I)


def polarity(text: str) -> str:
    """``negative`` when a negation (a word, or a contracted "n't") is present.

    >>> polarity("Quito won't sign the accord."), polarity("Quito will sign.")
    ('negative', 'positive')
    """
    negated = search(_word_pattern("negations"), text) or _CONTRACTED_NOT.search(text)
    return "negative" if negated else "positive"


MAX_SENTENCE_CHARS = 2000


def is_assertion(sentence: Span) -> bool:
    """Headings, fragments and runs of text with no sentence ends are not claims."""
    if len(sentence.exact) > MAX_SENTENCE_CHARS:
        return False
    words = sentence.exact.split()
    if len(words) < 4:
        return False
    return len(words) >= 8 or sentence.exact.rstrip("”\"’')]").endswith((".", "!", "?"))


def extract_claims(
    sentences: list[Span], mentions: list[Mention], author: Mention, main_spans: list[Span]
) -> list[Claim]:
    """A Claim per asserting sentence, plus one per reported speaker inside it."""
    claims = []
    for sentence in sentences:
        if not is_assertion(sentence):
            continue
        inside = [m for m in mentions if sentence.start <= m.span.start < sentence.end]
        claim = Claim(
            sentence,
            claim_kind(sentence.exact),
            author,
            modality(sentence.exact),
            polarity(sentence.exact),
            any(_overlaps(sentence, s) for s in main_spans),
            _keys(inside),
        )
        reported = _reported(sentence, inside)
        if reported:
            claim.kind = "factual_report" if claim.kind == "assessment" else claim.kind
        claims.append(claim)
        claims.extend(reported)
    for claim in claims:
        if claim.kind == "recommendation":
            claim.addressees = addressees(claim.span, mentions)
    return claims


MAX_SUBJECT_GAP_WORDS = 4
_PRONOUN = re.compile(r"\b(it|they|we|he|she|you|i|this|that|which|who)\b", re.I)
_JOINED = re.compile(r"\s*(,? and|,? or|as well as|together with)\s+(the\s+)?", re.I)
_OF_PLACE = re.compile(r"\s+(in|at|of|from)\s+(the\s+)?", re.I)


def addressees(span: Span, mentions: list[Mention]) -> list[Mention]:
    """The actors a recommendation tells to act: the subject of its modal ("Washington
    should ...", "Seoul and Tokyo must ...") or the object of an urging verb ("urged
    Beijing to ..."). Empty when the sentence does not name one ("we must ...")."""
    cue = _recommendation_cue().search(span.exact)
    if cue is None:
        return []
    start, end = span.start + cue.start(), span.start + cue.end()
    actors = [m for m in mentions if m.kind != "Place" and span.start <= m.span.start < span.end]
    within = [m for m in actors if m.span.start < end and m.span.end > start]
    if within:
        return _with_conjuncts(span, actors, within[0])
    before = [m for m in actors if m.span.end <= start]
    if not before:
        return []
    gap = span.exact[before[-1].span.end - span.start : cue.start()]
    if re.search(r"[,;:]", gap) or _PRONOUN.search(gap) or len(gap.split()) > MAX_SUBJECT_GAP_WORDS:
        return []
    return _with_conjuncts(span, actors, before[-1])


def _with_conjuncts(span: Span, actors: list[Mention], head: Mention) -> list[Mention]:
    """The head actor with those joined to it before ("Seoul and Tokyo"); an actor that
    only places the head ("Trump in Singapore") gives way to the one it places."""
    index = actors.index(head)
    found = [head]
    while index > 0:
        previous = actors[index - 1]
        between = span.exact[previous.span.end - span.start : found[0].span.start - span.start]
        if _OF_PLACE.fullmatch(between) and len(found) == 1:
            found = [previous]
        elif _JOINED.fullmatch(between):
            found.insert(0, previous)
        else:
            break
        index -= 1
    return found


@cache
def _recommendation_cue() -> re.Pattern:
    return next(p for kind, p in _kind_patterns() if kind == "recommendation")


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _keys(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.key for m in mentions if m.kind != "Place"))


def _reported(sentence: Span, inside: list[Mention]) -> list[Claim]:
    """The parts of a sentence that report what actors say or think.

    "Washington points to A, but China insists B" gives two reported claims,
    each running to the start of the next.
    """
    verbs = _word_pattern("reporting_verbs")
    if not may_match(verbs, fold(sentence.exact)):
        return []  # no reporting verb anywhere in the sentence
    starts: list[Mention] = []
    for mention in inside:
        if mention.kind == "Place" or (starts and mention.span.start < starts[-1].span.end):
            continue
        after = sentence.exact[mention.span.end - sentence.start :]
        if _verb_after().match(after):
            starts.append(mention)
    reported = []
    for index, mention in enumerate(starts):
        start = mention.span.start
        end = starts[index + 1].span.start if index + 1 < len(starts) else sentence.end
        text = sentence.exact[start - sentence.start : end - sentence.start].rstrip(" ,;")
        span = Span(start, start + len(text), text)
        reported.append(
            Claim(
                span,
                claim_kind(text),
                mention,
                modality(text),
                polarity(text),
                False,
                _keys([m for m in inside if start <= m.span.start < span.end]),
                "reported-speech",
                sentence,
            )
        )
    return reported


@cache
def _verb_after() -> re.Pattern:
    """A reporting verb at most two words after the start."""
    return re.compile(r"\s*(?:\w+\s+){0,2}?" + _word_pattern("reporting_verbs").pattern, re.I)


def mark_quotations(claims: list[Claim], quotations: list[Quotation]) -> None:
    """Claims that mainly relay someone's words are quotations: a direct quotation with a
    speech verb (the speaker may be unnamed), or a sentence that is all quotation."""
    quoted = [q.span for q in quotations if q.rule == "speech-verb"]
    for claim in claims:
        text = claim.span.exact
        inside = any(claim.span.start <= q.start and q.end <= claim.span.end for q in quoted)
        long_quote = any(len(m.group("words").split()) >= 4 for m in QUOTE.finditer(text))
        speech = bool(search(_word_pattern("speech_verbs"), text))
        whole = text.startswith(("“", '"')) and text.rstrip(".").endswith(("”", '"'))
        if inside or (long_quote and speech) or whole:
            claim.kind = "quotation"


def extract_quotations(
    text: str, sentences: list[Span], mentions: list[Mention]
) -> list[Quotation]:
    """Direct quotations with a named speaker.

    The speaker is the actor a speech verb ties to the quotation: the actor
    right after a verb that follows the quote ("...," said X), the subject
    before a verb that introduces it (X wrote, "..."), the sentence's first
    actor for a participle (X sent a notice, saying "..."). A sentence that is
    all quotation continues the previous quotation's speaker. Scare quotes
    (no speech verb) are not quotations.
    """
    quotations: list[Quotation] = []
    previous: Quotation | None = None
    for sentence in sentences:
        inside = [
            m
            for m in mentions
            if sentence.start <= m.span.start < sentence.end and m.kind != "Place"
        ]
        found = []
        for match in QUOTE.finditer(text, sentence.start, sentence.end):
            span = Span.of(text, match.start("words"), match.end("words"))
            speaker = _speaker(text, sentence, match, inside)
            if speaker is None and previous is not None and _all_quotation(sentence):
                speaker = previous.speaker
            if speaker is not None:
                found.append(Quotation(span, sentence, speaker, "speech-verb"))
        quotations += found
        previous = found[-1] if found else None
    return quotations


def _all_quotation(sentence: Span) -> bool:
    text = sentence.exact
    return text.startswith(("“", '"')) and text.rstrip(".").endswith(("”", '"'))


def _speaker(text: str, sentence: Span, match: re.Match, inside: list[Mention]) -> Mention | None:
    verbs = _word_pattern("speech_verbs")
    after = verbs.match(
        text, match.end() + len(text[match.end() :]) - len(text[match.end() :].lstrip(" ,"))
    )
    if after:
        following = [
            m for m in inside if m.span.start >= after.end() and m.span.start - after.end() < 60
        ]
        if following:
            return min(following, key=lambda m: m.span.start)
    before = [v for v in verbs.finditer(text, sentence.start, match.start())]
    if not before:
        return None
    verb = before[-1]
    preceding = [m for m in inside if m.span.end <= verb.start()]
    if not preceding:  # "instead of tweeting, as Trump did, that ..."
        between = [m for m in inside if verb.end() <= m.span.start and m.span.end <= match.start()]
        return between[0] if len(between) == 1 else None
    if verb.group().lower().endswith("ing"):
        return preceding[0]
    nearest = max(preceding, key=lambda m: m.span.end)
    return nearest if len(text[nearest.span.end : verb.start()].split()) <= 12 else None
