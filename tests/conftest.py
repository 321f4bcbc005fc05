"""Shared fixtures: a CLI runner, the seed corpus, and a store built from it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.store import KgStore

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCUMENTS = ROOT / "data" / "documents"
TEST_ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory) -> Path:
    """A private copy of data/documents (tests may not touch the real one)."""
    folder = tmp_path_factory.mktemp("corpus") / "documents"
    shutil.copytree(SEED_DOCUMENTS, folder)
    return folder


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, seed_corpus) -> KgStore:
    """A store built once from the seed corpus, shared read-only by tests."""
    store = KgStore(tmp_path_factory.mktemp("store") / "kg")
    summary = build([seed_corpus], store)
    assert summary.failed == 0, summary.errors
    return store


def system_package_mark(available: bool, what: str):
    """Skip a test whose system package is missing, except in CI, where
    KG_REQUIRE_SYSTEM_PACKAGES=1 lets it run (and fail) instead."""
    required = os.environ.get("KG_REQUIRE_SYSTEM_PACKAGES") == "1"
    return pytest.mark.skipif(
        not available and not required, reason=f"{what} is not installed (make test installs it)"
    )
