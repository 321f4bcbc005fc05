"""Broken input files through `kg build`: one clean error line naming the file (and the
line or offset where it applies), the rest of the batch built, and nothing lost."""

from __future__ import annotations

import os

import pytest

from kg.build import build
from kg.cli import main
from kg.export import export_bytes
from kg.store import KgStore

from .conftest import ARTICLE

BAD_FILES = {
    "empty": (b"", "file is empty"),
    "whitespace": (b"  \n\t \n", "only whitespace"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    "zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary file"),
}


def kg(runner, store: str, *args: str):
    return runner.invoke(main, ["--store", store, *args])


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_fails_alone_with_one_line(runner, good, store, name):
    content, reason = BAD_FILES[name]
    (good / f"{name}.txt").write_bytes(content)
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"{name}.txt" in errors[0] and reason in errors[0]
    assert "1 added" in result.output and "1 failed" in result.output
    assert "Traceback" not in result.output


def test_only_bad_files_exit_2(runner, tmp_path, store):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    result = kg(runner, store, "build", str(folder), "-q")
    assert result.exit_code == 2


def test_a_failed_file_keeps_its_previous_graph(runner, good, store):
    assert kg(runner, store, "build", str(good), "-q").exit_code == 0
    before = export_bytes(KgStore(store, read_only=True), "nq")
    (good / "good.txt").write_bytes(b"\x00\x01\x02 binary now")
    assert kg(runner, store, "build", str(good), "-q").exit_code == 2
    assert export_bytes(KgStore(store, read_only=True), "nq") == before


def test_invalid_utf8_is_decoded_as_windows_1252_with_a_warning(runner, good, store):
    (good / "latin.txt").write_bytes(
        ARTICLE.replace("Ortiz argues", "Ortiz argües").encode("cp1252")
    )
    result = kg(runner, store, "build", str(good))
    assert result.exit_code == 0, result.output
    assert "latin.txt: not valid UTF-8 (offset" in result.output and "Windows-1252" in result.output
    assert "2 added" in result.output


def test_utf16_with_a_bom_is_read(runner, good, store):
    (good / "wide.txt").write_bytes(ARTICLE.replace("Egypt", "Sudan").encode("utf-16"))
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 0 and "2 added" in result.output


def test_a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised(runner, good, store):
    big = good / "big.txt"
    big.write_text(ARTICLE * 40, encoding="utf-8")
    refused = kg(runner, store, "build", str(good), "-q", "--max-bytes", "5000")
    assert (
        refused.exit_code == 1
        and "big.txt" in refused.output
        and "over the limit" in refused.output
    )
    raised = kg(runner, store, "build", str(good), "-q", "--max-bytes", "100000")
    assert raised.exit_code == 0 and "1 added" in raised.output


def test_a_50_mb_file_is_refused_by_default_without_being_read(runner, good, store):
    huge = good / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 1
    assert "huge.txt: file is 52,428,800 bytes, over the limit of 20,000,000" in result.output


def test_a_single_5_mb_line_is_built_in_bounded_time(runner, good, store):
    sentence = "Egypt and Ethiopia keep talking about the dam while the river keeps falling "
    (good / "one-line.txt").write_text(sentence * (5_000_000 // len(sentence)), encoding="utf-8")
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output


def test_html_scripts_styles_and_broken_tags_do_not_leak(runner, good, store):
    (good / "page.html").write_text(
        "<html><head><title>Dam Talks</title><style>p{content:'STYLE-LEAK'}</style>"
        "<script>var x = 'SCRIPT-LEAK';</script></head><body><p>Egypt and Ethiopia "
        "met in Khartoum on Monday.<p><b>Sudan urged both sides to return to talks."
        "<div class=x><i>unclosed</body>",
        encoding="utf-8",
    )
    assert kg(runner, store, "build", str(good), "-q").exit_code == 0
    text = export_bytes(KgStore(store, read_only=True), "nt").decode()
    assert "SCRIPT-LEAK" not in text and "STYLE-LEAK" not in text
    assert "Sudan urged both sides" in text


@pytest.mark.parametrize(
    ("sidecar", "where", "reason"),
    [
        ("title: [unclosed\n", "good.meta.yaml:2", "malformed YAML"),
        ("title: T\nwriter: X\n", "good.meta.yaml:2", "unknown key 'writer'"),
        ("authors: Jane Doe\n", "good.meta.yaml:1", "'authors' must be a list"),
        ("date: 2018-02-30\n", "good.meta.yaml:1", "not a calendar date"),
    ],
    ids=["malformed", "unknown-key", "wrong-type", "impossible-date"],
)
def test_a_bad_sidecar_fails_its_document_naming_the_line(
    runner, good, store, sidecar, where, reason
):
    (good / "good.meta.yaml").write_text(sidecar, encoding="utf-8")
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 2
    assert where in result.output and reason in result.output


def test_a_symlink_loop_does_not_trap_the_walk(runner, good, store):
    os.symlink(good, good / "loop")
    result = kg(runner, store, "build", str(good), "-q")
    assert result.exit_code == 0 and "1 added" in result.output


def test_a_file_that_disappears_during_the_build_fails_alone(tmp_path, good):
    # Files are read in name order: good, later, second. When the first is written the
    # next is being read, and the third is not read yet: it is the one taken away.
    (good / "later.txt").write_text(ARTICLE.replace("Egypt", "Libya"), encoding="utf-8")
    second = good / "second.txt"
    second.write_text(ARTICLE.replace("Egypt", "Sudan"), encoding="utf-8")
    store = KgStore(tmp_path / "store")
    summary = build(
        [good], store, batch=1, on_document=lambda _name: second.unlink(missing_ok=True)
    )
    assert (summary.added, summary.failed) == (2, 1)
    assert "second.txt" in summary.errors[0] and "removed" in summary.errors[0]


def test_the_same_article_under_two_names_is_stored_once(runner, good, store):
    (good / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    assert kg(runner, store, "build", str(good), "-q").exit_code == 0
    documents = KgStore(store, read_only=True).documents()
    assert len(documents) == 1
    [document] = documents.values()
    assert [f.rsplit("/", 1)[-1] for f in document.files] == ["copy.txt", "good.txt"]


def test_a_document_not_in_english_is_stored_with_its_language(runner, good, store):
    (good / "es.txt").write_text(
        "La Unión Africana pidió a las partes que vuelvan a la mesa de negociación y que "
        "respeten el alto el fuego en la región.\n",
        encoding="utf-8",
    )
    result = kg(runner, store, "build", str(good))
    assert result.exit_code == 0 and "language is 'es', not English" in result.output
    rows = KgStore(store, read_only=True).query(
        "SELECT ?lang WHERE { ?d a pk:Document ; pk:language ?lang }"
    )
    assert sorted(r["lang"].value for r in rows) == ["en", "es"]
