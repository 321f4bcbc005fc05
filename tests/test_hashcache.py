"""A rebuild takes the hashes of unchanged files from the store's cache instead of reading
them; any change of size, time or inode makes it read the file again."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.hashcache import FILE_NAME
from kg.store import KgStore

from .conftest import SEED_DOCUMENTS

DAY_NS = 86_400 * 10**9


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seed articles, last modified a day ago."""
    folder = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, folder)
    for file in folder.iterdir():
        os.utime(file, ns=(time.time_ns() - DAY_NS,) * 2)
    return folder


@pytest.fixture
def store(tmp_path) -> KgStore:
    return KgStore(tmp_path / "store")


def first_article(corpus: Path) -> Path:
    return sorted(corpus.glob("*.txt"))[0]


def overwrite_in_place(file: Path, data: bytes) -> None:
    """New bytes in the same inode, with the old modification time put back."""
    st = file.stat()
    with open(file, "r+b") as handle:
        handle.write(data)
    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_the_cache_holds_each_file_built(corpus, store):
    build([corpus], store)
    cached = json.loads((store.folder / FILE_NAME).read_text())["files"]
    assert sorted(Path(name).name for name in cached) == sorted(
        p.name for p in corpus.glob("*.txt")
    )


def test_a_file_with_unchanged_size_time_and_inode_is_not_read_again(corpus, store):
    build([corpus], store)
    file = first_article(corpus)
    overwrite_in_place(file, b"X" * file.stat().st_size)  # unseen: the cache is trusted
    assert build([corpus], store).skipped == 3


def test_an_edited_file_is_read_again(corpus, store):
    build([corpus], store)
    file = first_article(corpus)
    file.write_text(file.read_text() + "\nOne more sentence.\n")
    summary = build([corpus], store)
    assert (summary.updated, summary.skipped) == (1, 2)


def test_a_file_replaced_with_the_same_size_and_time_is_read_again(corpus, store):
    build([corpus], store)
    file = first_article(corpus)
    st = file.stat()
    replacement = file.with_suffix(".new")
    replacement.write_bytes(file.read_bytes().replace(b"China", b"Chile"))
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    replacement.replace(file)  # a new inode
    assert build([corpus], store).updated == 1


def test_files_modified_moments_ago_are_not_cached(tmp_path, store):
    corpus = tmp_path / "fresh"
    shutil.copytree(SEED_DOCUMENTS, corpus, copy_function=shutil.copyfile)  # times of now
    build([corpus], store)
    assert not (store.folder / FILE_NAME).exists()


def test_a_damaged_cache_is_ignored_and_written_again(corpus, store):
    build([corpus], store)
    cache = store.folder / FILE_NAME
    cache.write_text("{not json")
    assert build([corpus], store).skipped == 3
    assert len(json.loads(cache.read_text())["files"]) == 3


def test_documents_extracted_with_other_rules_are_read_again_despite_the_cache(corpus, store):
    build([corpus], store)
    store.update(
        "DELETE { GRAPH ?g { ?a pk:rulesFingerprint ?f } } "
        'INSERT { GRAPH ?g { ?a pk:rulesFingerprint "older-rules" } } '
        "WHERE { GRAPH ?g { ?a pk:rulesFingerprint ?f } }"
    )
    assert build([corpus], store).updated == 3


def test_a_store_in_memory_keeps_no_cache(corpus):
    store = KgStore(None)
    build([corpus], store)
    assert build([corpus], store).skipped == 3


def test_an_edited_sidecar_is_seen_although_its_text_is_cached(corpus, store):
    build([corpus], store)
    sidecar = sorted(corpus.glob("*.meta.yaml"))[0]
    sidecar.write_text(sidecar.read_text() + 'publisher: "A Curated Review"\n')
    summary = build([corpus], store)
    assert (summary.updated, summary.skipped) == (1, 2)
