"""Curator sidecars: ``<file>.meta.yaml`` next to a document.

A sidecar holds what the text lacks (URL, publisher, date). Its values win
over what the text says and are marked as curated in the graph.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError
from .model import PartialDate

FIELDS = {
    "title": str,
    "authors": list,
    "publisher": str,
    "date": str,
    "url": str,
    "language": str,
    "notes": str,
}


@dataclass
class Sidecar:
    path: str
    values: dict = field(default_factory=dict)

    def get(self, key: str):
        return self.values.get(key)


SUFFIX = ".meta.yaml"  # a sidecar's name ends in this


def find_sidecar(document: Path) -> Path | None:
    """``a.meta.yaml`` or ``a.txt.meta.yaml`` next to ``a.txt``, if present."""
    for candidate in (
        document.with_name(document.stem + SUFFIX),
        document.with_name(document.name + SUFFIX),
    ):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path, name: str) -> Sidecar:
    """Parse and check a sidecar; every problem is an :class:`InputError` with its line."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or "malformed YAML"
        raise InputError(name, f"malformed YAML: {reason}", line=line) from error
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(name, f"cannot read sidecar: {error}") from error
    if root is None:
        return Sidecar(name)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(name, "sidecar must be a mapping of field: value", line=1)
    values = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in FIELDS:
            known = ", ".join(sorted(FIELDS))
            raise InputError(name, f"unknown key {key!r} (known keys: {known})", line=line)
        value = _value(value_node, key)
        values[key] = _check(name, key, value, value_node.start_mark.line + 1)
    return Sidecar(name, values)


def _value(node: yaml.Node, key: str):
    """The Python value of a node; dates stay text so impossible dates get a clear error."""
    if key == "date" and isinstance(node, yaml.ScalarNode):
        return node.value
    return yaml.safe_load(yaml.serialize(node))


def _check(name: str, key: str, value, line: int):
    if value is None:
        return None
    expected = FIELDS[key]
    if not isinstance(value, expected):
        raise InputError(
            name, f"{key!r} must be a {expected.__name__}, not {type(value).__name__}", line=line
        )
    if key == "authors" and not all(isinstance(a, str) and a.strip() for a in value):
        raise InputError(name, "'authors' must be a list of names", line=line)
    if key == "date":
        return parse_iso_date(value, name, line)
    return value


def parse_iso_date(value: str, name: str = "", line: int | None = None) -> PartialDate:
    """A ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date that exists in the calendar.

    >>> parse_iso_date("2018-06")
    PartialDate(year=2018, month=6, day=None)
    >>> parse_iso_date("2018-02-30", "a.meta.yaml", 2)
    Traceback (most recent call last):
    kg.errors.InputError: a.meta.yaml:2: 'date' 2018-02-30 is not a calendar date
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        raise InputError(name, f"'date' {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", line=line)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as error:
        raise InputError(name, f"'date' {value} is not a calendar date", line=line) from error
    return PartialDate(year, month, day)
