"""Dated events: a trigger ("missile test", "summit", "visited") with a date in its sentence.

Explicit dates are read as written; relative ones ("this morning", "last
month") are resolved against the document's date when it is known and left
unresolved (and marked so) otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from . import lexicon
from .claims import Claim
from .cues import fold, may_match, search
from .dates import find_date
from .mentions import Mention
from .model import PartialDate, Span

_MONTH_DAY = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(?P<day>\d{1,2})(?!\d|,?\s+\d{4})"
)


@dataclass
class Event:
    span: Span  # the trigger
    type: str
    sentence: Span
    date: PartialDate | None = None
    date_text: str | None = None  # the words that date it, as written
    resolved: bool = True  # False when a relative date could not be resolved
    participants: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


@cache
def _triggers() -> list[tuple[str, re.Pattern]]:
    config = lexicon.load("events")["events"]
    return [
        (kind, re.compile(r"\b(?:" + "|".join(ps) + r")\b", re.I)) for kind, ps in config.items()
    ]


@cache
def _relative() -> re.Pattern:
    words = sorted(lexicon.load("events")["relative_dates"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


@cache
def _undated_types() -> frozenset[str]:
    return frozenset(lexicon.load("events").get("undated_types", []))


def find_events(
    claims: list[Claim],
    mentions: list[Mention],
    document_date: PartialDate | None,
) -> list[Event]:
    """An event for every trigger in a sentence that dates it (or needs no date)."""
    events = []
    for claim in claims:
        if claim.reported_in is not None:
            continue
        sentence = claim.span.exact
        triggers = _triggers_in(sentence)
        if not triggers:  # most sentences: no date to look for
            continue
        dated = _date(sentence, document_date)
        inside = [m for m in mentions if claim.span.start <= m.span.start < claim.span.end]
        for kind, match in triggers:
            if dated is None and kind not in _undated_types():
                continue
            start = claim.span.start + match.start()
            date = dated or (None, None, False)
            events.append(
                Event(
                    Span(start, start + len(match.group()), match.group()),
                    kind,
                    claim.span,
                    *date,
                    participants=list(dict.fromkeys(m.key for m in inside if m.kind != "Place")),
                    places=list(dict.fromkeys(m.key for m in inside if m.kind == "Place")),
                )
            )
    return events


@cache
def _any_trigger() -> re.Pattern:
    """One pattern matching wherever any trigger does: one search rules out the
    sentences with none before each trigger pattern looks."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for _kind, pattern in _triggers()), re.I)


def _triggers_in(sentence: str):
    """Every trigger of the sentence, longest first where two overlap."""
    folded = fold(sentence)  # a pattern without its literal words cannot match (kg.cues)
    if not may_match(_any_trigger(), folded):
        return []
    first = _any_trigger().search(sentence)
    if first is None:
        return []
    at = first.start()  # no trigger starts before the first place any trigger matches
    hits = [
        (kind, m)
        for kind, p in _triggers()
        if may_match(p, folded)
        for m in p.finditer(sentence, at)
    ]
    hits.sort(key=lambda h: (h[1].start(), -(h[1].end() - h[1].start())))
    kept, last_end = [], -1
    for kind, match in hits:
        if match.start() >= last_end:
            kept.append((kind, match))
            last_end = match.end()
    return kept


def _date(sentence: str, document_date: PartialDate | None):
    explicit = find_date(sentence)
    if explicit:
        return explicit[0], sentence[explicit[1] : explicit[2]], True
    month_day = _MONTH_DAY.search(sentence)
    if month_day:
        year = document_date.year if document_date else None
        resolved = _month_day(month_day, year)
        return resolved, month_day.group(), resolved is not None
    relative = search(_relative(), sentence)
    if relative:
        resolved = resolve_relative(relative.group().lower(), document_date)
        return resolved, relative.group(), resolved is not None
    year = find_date(sentence, year_only=True)
    if year:
        return year[0], sentence[year[1] : year[2]], True
    return None


def _month_day(match: re.Match, year: int | None) -> PartialDate | None:
    if year is None:
        return None
    month = dt.datetime.strptime(match.group("month"), "%B").month
    try:
        dt.date(year, month, int(match.group("day")))
    except ValueError:
        return None
    return PartialDate(year, month, int(match.group("day")))


def resolve_relative(words: str, document_date: PartialDate | None) -> PartialDate | None:
    """A relative date against the document's date, or ``None`` when that is unknown.

    >>> resolve_relative("this morning", PartialDate(2017, 4, 5)).iso
    '2017-04-05'
    >>> resolve_relative("last month", PartialDate(2017, 4, 5)).iso
    '2017-03'
    >>> resolve_relative("this morning", None) is None
    True
    """
    rule = lexicon.load("events")["relative_dates"].get(words)
    if rule is None or document_date is None or document_date.day is None:
        return None
    base = dt.date(document_date.year, document_date.month, document_date.day)
    if "days" in rule:
        day = base + dt.timedelta(days=rule["days"])
        precision = rule.get("precision", "day")
    else:
        months = base.year * 12 + base.month - 1 + rule.get("months", 0) + 12 * rule.get("years", 0)
        day = dt.date(months // 12, months % 12 + 1, 1)
        precision = rule.get("precision", "year" if "years" in rule else "month")
    if precision == "day":
        return PartialDate(day.year, day.month, day.day)
    return PartialDate(day.year, day.month) if precision == "month" else PartialDate(day.year)
