"""Dates written in English prose and notes."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .model import PartialDate

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"

DATE_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
]
_YEAR_ONLY = re.compile(r"(?<![\d-])" + _YEAR + r"(?![\d-])")


def find_date(text: str, *, year_only: bool = False) -> tuple[PartialDate, int, int] | None:
    """The first real calendar date in ``text`` with its offsets, most precise form first.

    >>> find_date("CNN, November 30, 2017,")
    (PartialDate(year=2017, month=11, day=30), 5, 22)
    >>> find_date("MIT, August 2016,")[0].iso
    '2016-08'
    >>> find_date("on February 30, 2018") is None
    True
    """
    best = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _to_date(match)
            if date and (best is None or match.start() < best[1]):
                best = (date, match.start(), match.end())
                break
        if best:
            return best
    if year_only:
        match = _YEAR_ONLY.search(text)
        if match:
            return PartialDate(int(match.group("year"))), match.start(), match.end()
    return None


def _to_date(match: re.Match) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    day = int(groups["day"]) if groups.get("day") else None
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def parse_date(text: str) -> PartialDate | None:
    """A date in free text (a meta tag, a date line), or ``None``.

    >>> parse_date("2019-11-05T08:00:00Z").iso
    '2019-11-05'
    """
    found = find_date(text)
    return found[0] if found else None
