"""The literal words a cue pattern cannot match without: a cheap test that skips a search.

The lexicons' cue patterns are regular expressions, and most are alternations that
the regular-expression engine tries at every character of every sentence. Nearly
every alternative carries plain words ("sanctions", "ought to"): a text holding none
of an alternation's words cannot match it, and ``in`` finds out much faster than a
search. :func:`needs` reads a pattern and returns, for each alternative, a literal
that every match contains; :func:`fold` puts a text in the form those literals are
compared with. The reading is conservative: whatever it does not understand (a
character class, a backreference, a lookaround, a flag that changes the syntax)
contributes no literal, and a pattern with an alternative it cannot vouch for gets
no filter at all, so a filter never rules out a text the pattern would match.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

# Characters that a case-insensitive pattern matches to an ASCII letter although their
# lower case is not that letter alone (see the ``re`` documentation on IGNORECASE): the
# dotted capital I lowers to "i" and a combining dot; the Kelvin sign lowers to "k".
_BEFORE_LOWER = (("\u0130", "i"),)
_AFTER_LOWER = (("\u0131", "i"), ("\u017f", "s"))
_ZERO_WIDTH_ESCAPES = set("bBAZ")
_CLASS_ESCAPES = set("dDwWsS")
_CODE_ESCAPES = set("xuUN")  # escapes whose code follows them
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")
_LITERAL = re.compile(r"[ !\"#%&',\-/0-9:;<=>@A-Z_`a-z~]")  # plain ASCII, no metacharacter
_ESCAPED_LITERAL = re.compile(r"[ !\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~]")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` in the form literals are looked for in: lower case, and the few
    non-ASCII letters a case-insensitive pattern takes for ASCII ones made ASCII.

    >>> fold("KEY Sanction\u017f \u212a \u0130mposed")
    'key sanctions k imposed'
    """
    if text.isascii():
        return text.lower()
    for letter, ascii_letter in _BEFORE_LOWER:
        text = text.replace(letter, ascii_letter)
    folded = text.lower()
    for letter, ascii_letter in _AFTER_LOWER:
        folded = folded.replace(letter, ascii_letter)
    return folded


class _Unknown(Exception):
    """Syntax this reader does not vouch for."""


def needs(pattern: str) -> frozenset[str] | None:
    """Literals (lower case) one of which every match of ``pattern`` contains, or
    ``None`` when no such set is known.

    >>> sorted(needs(r"\\b(?:crippling |new )?sanctions|embargo(?:es)?"))
    ['embargo', 'sanctions']
    >>> sorted(needs(r"\\b(pressed|urged) \\w+( \\w+)? to\\b"))
    ['pressed', 'urged']
    >>> needs(r"\\b\\d[\\d,.]*\\b|\\bpercent\\b") is None
    True
    """
    found = _requirements(pattern)
    return found[0] if found else None


def _requirements(pattern: str) -> list[frozenset[str]] | None:
    """Sets of literals such that every match of ``pattern`` contains one literal of
    each set, most telling first; ``None`` when none is known."""
    try:
        alternatives, end = _alternatives(pattern, 0)
    except (_Unknown, IndexError, ValueError):
        return None
    if end != len(pattern):
        return None
    if len(alternatives) == 1:
        return sorted(alternatives[0], key=_telling, reverse=True)[:3] or None
    either = _any_of(alternatives)
    return [either] if either else None


def split(pattern: re.Pattern) -> tuple[re.Pattern, ...]:
    """The top-level alternatives of ``pattern``, each compiled with its flags: a text
    matches ``pattern`` when it matches one of them, and each has its own literals.
    ``(pattern,)`` when the pattern is not read (see :func:`needs`).

    >>> [p.pattern for p in split(re.compile(r"\\ba(b|c)|d(?:e|f)"))]
    ['\\\\ba(b|c)', 'd(?:e|f)']
    """
    text = pattern.pattern
    if pattern.flags & re.VERBOSE or not isinstance(text, str):
        return (pattern,)
    pieces, at = [], 0
    try:
        while True:
            _requirements_of_one, end = _sequence(text, at)
            pieces.append(text[at:end])
            if end < len(text) and text[end] == "|":
                at = end + 1
                continue
            break
    except (_Unknown, IndexError, ValueError):
        return (pattern,)
    if end != len(text) or len(pieces) == 1:
        return (pattern,)
    return tuple(re.compile(piece, pattern.flags) for piece in pieces)


@cache
def compiled_needs(pattern: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """The literal sets of a compiled pattern (see :func:`needs`); empty for none known."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return ()
    return tuple(tuple(sorted(words)) for words in _requirements(pattern.pattern) or [])


def may_match(pattern: re.Pattern, folded: str) -> bool:
    """False only when ``pattern`` cannot match a text whose :func:`fold` is ``folded``."""
    for words in compiled_needs(pattern):
        for word in words:
            if word in folded:
                break
        else:
            return False
    return True


def search(pattern: re.Pattern | None, text: str, folded: str | None = None) -> re.Match | None:
    """``pattern.search(text)``, skipped when the text lacks the pattern's literal words
    (``folded`` is ``fold(text)`` when the caller has it); ``None`` for no pattern."""
    if pattern is None or not may_match(pattern, fold(text) if folded is None else folded):
        return None
    return pattern.search(text)


def search_any(patterns: tuple[re.Pattern, ...], text: str, folded: str) -> bool:
    """True when one of ``patterns`` matches ``text`` (``folded`` is ``fold(text)``)."""
    return any(search(pattern, text, folded) for pattern in patterns)


def _any_of(alternatives: list[list[frozenset[str]]]) -> frozenset[str] | None:
    """What one of several alternatives needs: the union of the best of each."""
    found: set[str] = set()
    for requirements in alternatives:
        if not requirements:
            return None
        found |= _best(requirements)
    return frozenset(found)


def _best(requirements: list[frozenset[str]]) -> frozenset[str]:
    """Of several sets that are all needed, the one that rules out most."""
    return max(requirements, key=_telling)


def _telling(words: frozenset[str]) -> tuple[int, int]:
    """How much a set of literals rules out, by guess: long literals, and few of them."""
    return min(map(len, words)), -len(words)


def _alternatives(pattern: str, at: int) -> tuple[list[list[frozenset[str]]], int]:
    """The ``|``-separated alternatives from ``at`` to the closing ``)`` (or the end):
    for each, the list of literal sets it needs; and where the closing ``)`` is."""
    alternatives = []
    while True:
        requirements, at = _sequence(pattern, at)
        alternatives.append(requirements)
        if at < len(pattern) and pattern[at] == "|":
            at += 1
            continue
        return alternatives, at


def _sequence(pattern: str, at: int) -> tuple[list[frozenset[str]], int]:
    """The literal sets one alternative needs, reading from ``at`` to ``|``, ``)`` or the end."""
    requirements: list[frozenset[str]] = []
    run = ""  # the literal characters read in a row so far

    def close_run() -> None:
        nonlocal run
        if run:
            requirements.append(frozenset([run.lower()]))
        run = ""

    while at < len(pattern) and pattern[at] not in "|)":
        char = pattern[at]
        needed: frozenset[str] | None = None
        literal: str | None = None
        if char == "\\":
            escaped = pattern[at + 1]
            at += 2
            if escaped in _ZERO_WIDTH_ESCAPES:
                close_run()
                continue
            if escaped.isdigit():
                raise _Unknown("backreference")  # groups would change number when split
            if escaped in _CODE_ESCAPES:
                raise _Unknown("character code")  # \x41, \u00e9, \N{...}: not read
            if escaped in _CLASS_ESCAPES or not _ESCAPED_LITERAL.fullmatch(escaped):
                literal = None  # a class, a backreference, a code: one unknown character
            else:
                literal = escaped
        elif char == "(":
            at, needed = _group(pattern, at)
        elif char == "[":
            at = _class_end(pattern, at)
        elif char in "^$":
            at += 1
            close_run()
            continue
        elif char in "*+?{" and not (char == "{" and not _QUANTIFIER.match(pattern, at)):
            raise _Unknown(f"quantifier with nothing before it at {at}")
        else:
            at += 1
            literal = char if _LITERAL.fullmatch(char) else None
        minimum, at = _quantifier(pattern, at)
        if literal is not None and minimum >= 1:
            run += literal
            if minimum > 1:  # may repeat: what follows is not next to it
                close_run()
            continue
        close_run()
        if needed is not None and minimum >= 1:
            requirements.append(needed)
    close_run()
    return requirements, at


def _quantifier(pattern: str, at: int) -> tuple[int, int]:
    """How often the item before ``at`` occurs, by the quantifier at ``at``: 0 when it
    may not occur, 1 when exactly once (no quantifier), 2 when once or more; and where
    the quantifier ends."""
    if at >= len(pattern):
        return 1, at
    char = pattern[at]
    if char in "?*":
        minimum, at = 0, at + 1
    elif char == "+":
        minimum, at = 2, at + 1
    elif char == "{" and (match := _QUANTIFIER.match(pattern, at)):
        low, comma, high = match.groups()
        if not low or int(low) == 0:
            minimum = 0
        elif int(low) == 1 and not comma and not high:
            minimum = 1  # {1}
        else:
            minimum = 2
        at = match.end()
    else:
        return 1, at
    if at < len(pattern) and pattern[at] in "?+":  # lazy or possessive
        at += 1
    return minimum, at


def _group(pattern: str, at: int) -> tuple[int, frozenset[str] | None]:
    """Read the group at ``at``; return where it ends and what it needs (or None)."""
    at += 1
    lookaround = False
    if pattern.startswith("?", at):
        if pattern.startswith(("?:", "?P<"), at):
            at = at + 2 if pattern[at + 1] == ":" else pattern.index(">", at) + 1
        elif pattern.startswith(("?=", "?!", "?<=", "?<!"), at):
            lookaround = True
            at += 3 if pattern[at + 1] == "<" else 2
        elif match := re.compile(r"\?(-?[aiLmsux]*(?:-[imsx]+)?):").match(pattern, at):
            if "x" in match.group(1):
                raise _Unknown("verbose group")
            at = match.end()
        else:
            raise _Unknown(f"group syntax at {at}")
    alternatives, at = _alternatives(pattern, at)
    if at >= len(pattern) or pattern[at] != ")":
        raise _Unknown("unclosed group")
    return at + 1, None if lookaround else _any_of(alternatives)


def _class_end(pattern: str, at: int) -> int:
    """Where the character class starting at ``at`` ends (after its ``]``)."""
    at += 1
    if pattern.startswith("^", at):
        at += 1
    if pattern.startswith("]", at):
        at += 1
    while pattern[at] != "]":
        if pattern[at] == "[":
            raise _Unknown("nested set")
        at += 2 if pattern[at] == "\\" else 1
    return at + 1
