"""Helpers for the robustness tests: a small good article and the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

KG = str(Path(sys.executable).parent / "kg")

ARTICLE = """Water Talks Stall Again

By Lena Ortiz

March 3, 2021

Egypt and Ethiopia failed to agree on the filling of the dam, officials said on Tuesday.
Cairo insists that any deal must be binding. Ethiopia should accept a monitoring regime,
Ortiz argues, because the river is the lifeline of a hundred million people.
"""


@pytest.fixture
def good(tmp_path) -> Path:
    """A folder holding one good article."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path) -> str:
    return str(tmp_path / "store")


@pytest.fixture
def built(good, store) -> str:
    """A store built from the good article."""
    from kg.build import build
    from kg.store import KgStore

    build([good], KgStore(store))
    return store
