"""kg.cues: the literal-word filter never rules out a text a lexicon pattern matches."""

from __future__ import annotations

import re

import pytest

from kg import claims, events, lexicon, policies, questions
from kg.cues import compiled_needs, fold, may_match, needs, split
from kg.read import read_document
from kg.segment import sentence_spans

from .conftest import SEED_DOCUMENTS, TEST_ARTICLES


def _lexicon_patterns() -> list[re.Pattern]:
    found = [p for _kind, p in claims._kind_patterns()]
    found += [claims._joined(key) for key in ("embedded_clauses", "evaluative")]
    found += [claims._word_pattern(k) for k in ("hedges", "negations", "speech_verbs")]
    found += [claims._word_pattern("reporting_verbs"), claims._verb_after()]
    found += [p for _kind, p in policies._patterns()] + [policies._any_pattern()]
    found += [p for _kind, p in events._triggers()] + [events._any_trigger(), events._relative()]
    for question in questions.questions():
        found += [*question.concepts]
        found += [p for p in (question.supports, question.opposes, question.qualifies) if p]
    for key in (
        "line_patterns",
        "block_patterns",
        "caption_patterns",
        "tail_patterns",
        "credit_patterns",
    ):
        found += list(lexicon.patterns("boilerplate", key))
    return found


def _texts() -> list[str]:
    texts = ["\u0130mposed SANCTIONS", "\u017fanctions", "\u212aCNA", "\u0131mposed", "SHOULD"]
    for path in sorted([*SEED_DOCUMENTS.glob("*.txt"), *TEST_ARTICLES.glob("*.txt")]):
        text = read_document(path).text
        texts += [s.exact for s in sentence_spans(text)] + text.split("\n")
        texts += [text[i : i + 120] for i in range(0, len(text), 37)]
    return texts


def test_no_lexicon_pattern_matches_a_text_its_literals_rule_out():
    texts = [(text, fold(text)) for text in _texts()]
    for pattern in _lexicon_patterns():
        for part in {pattern, *split(pattern)}:
            for text, folded in texts:
                if not may_match(part, folded):
                    assert part.search(text) is None, (part.pattern, text)


def test_the_alternatives_of_a_pattern_match_where_it_does():
    texts = _texts()
    for pattern in _lexicon_patterns():
        parts = split(pattern)
        for text in texts:
            assert bool(pattern.search(text)) == any(p.search(text) for p in parts)


def test_most_lexicon_patterns_have_literals():
    patterns = _lexicon_patterns()
    assert sum(1 for p in patterns if compiled_needs(p)) > 0.9 * len(patterns)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bwar\b", {"war"}),
        (r"(?:crippling |new )?sanctions(?: enforcement)?", {"sanctions"}),
        (r"visa (?:bans?|restrictions?)", {"visa "}),
        (r"(?<!would )\b(has|have) to\b", {" to"}),
        (r"a+b", {"a"}),
        (r"ab?c", {"a"}),
        (r"x{2}yz", {"yz"}),
        (r"colou?r", {"colo"}),
        (r"(?-i:[A-Z]\w+) could (also )?go", {" could "}),
    ],
)
def test_needs(pattern, words):
    assert needs(pattern) == words


@pytest.mark.parametrize(
    "pattern",
    [
        *(r"\d+", r"(a|)b?", r"(?i)abc", r"(?x) a b", r"(a)\1", r"[abc]", r"(?=abc)", r"(?#x)ab?"),
        *(r"caf\u00e9", r"\x41BC", r"\U0001F600", r"\N{LATIN SMALL LETTER E WITH ACUTE}t"),
    ],
)
def test_needs_nothing_it_cannot_vouch_for(pattern):
    assert needs(pattern) is None


def test_a_character_code_is_not_read_as_the_letters_that_spell_it():
    pattern = re.compile(r"caf\u00e9 society|\x41BC", re.IGNORECASE)
    for text in ("the caf\u00e9 society", "ABC"):
        assert pattern.search(text) and may_match(pattern, fold(text))
