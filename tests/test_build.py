"""Incremental builds: unchanged documents skipped, changed ones replaced, bad files reported."""

from __future__ import annotations

import ast
import gc
import shutil
import threading
import time
from pathlib import Path

import pytest

import kg.build
from kg.build import (
    BUILD_GC_THRESHOLDS,
    build,
    build_options,
    document_files,
    in_shard,
    prepare,
    prepared_batches,
)
from kg.cli import main
from kg.errors import KgError
from kg.export import export_bytes
from kg.rules import PACKAGE, fingerprint, relative_imports, rules_fingerprint
from kg.sidecar import find_sidecar
from kg.store import KgStore

from .conftest import SEED_DOCUMENTS

ARTICLE = """Sanctions Alone Will Not Move Tehran

By Jane Q. Doe

The European Union should pair sanctions with talks.[1]

Notes

[1] John Smith, "Talks and Pressure," Reuters, March 3, 2021,
"""


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SEED_DOCUMENTS, folder)
    return folder


@pytest.fixture
def store(tmp_path) -> KgStore:
    return KgStore(tmp_path / "store")


def graphs(store: KgStore) -> set[str]:
    return {g for g in store.graph_names() if "/graph/doc/" in g}


def test_first_build_adds_every_document(corpus, store):
    summary = build([corpus], store)
    assert (summary.added, summary.skipped, summary.failed) == (3, 0, 0)
    assert len(graphs(store)) == 3


def test_rebuild_skips_unchanged_documents_and_writes_nothing(corpus, store):
    build([corpus], store)
    before = set(store.oxigraph)
    summary = build([corpus], store)
    assert (summary.added, summary.updated, summary.skipped) == (0, 0, 3)
    assert set(store.oxigraph) == before


def test_changed_document_replaces_its_graph(corpus, store):
    build([corpus], store)
    before = graphs(store)
    changed = corpus / "004_a48409ce86208510.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    summary = build([corpus], store)
    assert (summary.updated, summary.skipped) == (1, 2)
    after = graphs(store)
    assert len(after) == 3 and len(after - before) == 1


def test_prune_removes_documents_whose_files_are_gone(corpus, store):
    build([corpus], store)
    (corpus / "000_8aac468e15cb219e.txt").unlink()
    assert build([corpus], store).pruned == 0
    assert build([corpus], store, prune=True).pruned == 1
    assert len(graphs(store)) == 2


def test_same_article_under_two_names_is_stored_once_with_both_names(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    build([tmp_path / "a.txt", tmp_path / "b.txt"], store)
    [document] = store.documents().values()
    assert [Path(f).name for f in document.files] == ["a.txt", "b.txt"]


def test_a_file_edited_to_match_another_stored_article_leaves_no_graph_behind(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Tehran", "Caracas"), encoding="utf-8")
    build([tmp_path], store)
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    summary = build([tmp_path], store)
    assert (summary.updated, summary.skipped) == (1, 1)
    [document] = store.documents().values()
    assert [Path(f).name for f in document.files] == ["a.txt", "b.txt"]
    assert graphs(store) == {document.graph}
    assert not any("Caracas" in str(q.object) for q in store.oxigraph)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b"  \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ],
    ids=["empty", "whitespace", "binary"],
)
def test_bad_file_fails_alone_with_a_one_line_error(tmp_path, store, content, reason):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(content)
    summary = build([tmp_path], store)
    assert (summary.added, summary.failed) == (1, 1)
    [error] = summary.errors
    assert "bad.txt" in error and reason in error and "\n" not in error


def test_failed_rebuild_of_a_file_leaves_its_old_graph(tmp_path, store):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    build([tmp_path], store)
    before = set(store.oxigraph)
    article.write_bytes(b"")
    summary = build([tmp_path], store)
    assert summary.failed == 1
    assert set(store.oxigraph) == before


def test_malformed_sidecar_fails_its_document(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("date: [unclosed\n", encoding="utf-8")
    summary = build([tmp_path], store)
    assert summary.failed == 1 and "a.meta.yaml" in summary.errors[0]


def test_missing_path_is_an_error(tmp_path, store):
    from kg.errors import InputError

    with pytest.raises(InputError, match="no such file or folder"):
        build([tmp_path / "nope"], store)


def test_a_build_runs_the_cycle_collector_seldom_and_leaves_it_as_it_found_it(corpus, store):
    before = gc.get_threshold()
    during = []
    build([corpus], store, on_document=lambda _file: during.append(gc.get_threshold()))
    assert during == [BUILD_GC_THRESHOLDS] * 3
    assert gc.get_threshold() == before
    with pytest.raises(KgError):
        build([corpus], store, prune=True, shard=(1, 2))
    assert gc.get_threshold() == before


def test_overlapping_builds_leave_the_collector_as_the_first_found_it():
    from kg.build import fewer_collections

    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first one out: the second still builds
    assert gc.get_threshold() == BUILD_GC_THRESHOLDS
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


# Compaction after a large build


def test_a_build_that_at_least_doubles_the_store_compacts_it_and_keeps_its_graph(
    tmp_path, seed_corpus, seed_store, monkeypatch
):
    monkeypatch.setattr(kg.build, "OPTIMIZE_MIN_DOCUMENTS", 2)
    compacted = KgStore(tmp_path / "compacted")
    summary = build([seed_corpus], compacted)
    assert summary.compacted_seconds is not None and "compacted in" in summary.line()
    assert export_bytes(compacted, "nq") == export_bytes(seed_store, "nq")  # seed: not compacted


def test_a_build_writing_fewer_documents_than_the_store_holds_does_not_compact_it(
    corpus, store, monkeypatch
):
    monkeypatch.setattr(kg.build, "OPTIMIZE_MIN_DOCUMENTS", 2)
    assert build([corpus], store).compacted_seconds is not None
    changed = corpus / "004_a48409ce86208510.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = build([corpus], store)
    assert again.updated == 1 and again.compacted_seconds is None
    assert "compacted" not in again.line()


def test_a_small_first_build_is_not_compacted(corpus, store):
    assert kg.build.OPTIMIZE_MIN_DOCUMENTS > 3
    assert build([corpus], store).compacted_seconds is None


# Parallel, sharded and streaming builds


def test_two_jobs_give_the_same_graph_as_a_serial_build(tmp_path, seed_corpus, seed_store):
    parallel = KgStore(tmp_path / "parallel")
    summary = build([seed_corpus], parallel, jobs=2, batch=2)
    assert summary.added == 3 and summary.failed == 0
    assert export_bytes(parallel, "nq") == export_bytes(seed_store, "nq")


def test_shards_split_the_files_and_together_give_the_serial_graph(
    tmp_path, seed_corpus, seed_store
):
    files = list(document_files([seed_corpus]))
    first = {f for f in files if in_shard(f, (1, 2))}
    second = {f for f in files if in_shard(f, (2, 2))}
    assert first.isdisjoint(second) and first | second == set(files)
    shared = KgStore(tmp_path / "shared")
    one = build([seed_corpus], shared, shard=(1, 2))
    two = build([seed_corpus], shared, shard=(2, 2))
    assert one.added + two.added == 3
    assert export_bytes(shared, "nq") == export_bytes(seed_store, "nq")


def test_a_shard_must_be_k_of_n(runner, tmp_path, seed_corpus):
    result = runner.invoke(
        main, ["--store", str(tmp_path / "s"), "build", str(seed_corpus), "--shard", "3/2"]
    )
    assert result.exit_code == 2 and "K/N" in result.output


def test_files_are_read_one_batch_at_a_time(tmp_path, seed_corpus):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    files = sorted(document_files([corpus]))
    options = build_options(KgStore(None))
    batches = prepared_batches(files, options, batch=2)
    first = next(batches)
    assert [p.error for p in first] == [None, None]
    files[2].unlink()  # not read yet: the next batch finds it gone
    (second,) = list(batches)
    assert "file not found" in second[0].error


def test_an_unchanged_document_is_not_extracted_again(tmp_path, seed_corpus, seed_store):
    files = sorted(document_files([seed_corpus]))
    prepared = prepare(files[0], build_options(seed_store))
    assert prepared.doc_id and prepared.quads is None and prepared.error is None


def test_documents_extracted_with_other_rules_are_extracted_again(corpus, store):
    build([corpus], store)
    store.update(
        "DELETE { GRAPH ?g { ?a pk:rulesFingerprint ?f } } "
        'INSERT { GRAPH ?g { ?a pk:rulesFingerprint "older-rules" } } '
        "WHERE { GRAPH ?g { ?a pk:rulesFingerprint ?f } }"
    )
    summary = build([corpus], store)
    assert (summary.updated, summary.skipped) == (3, 0)
    assert {d.rules.split("+")[0] for d in store.documents().values()} == {rules_fingerprint()}
    assert build([corpus], store).skipped == 3


def test_an_article_under_two_names_keeps_both_when_extracted_again(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    build([tmp_path / "a.txt", tmp_path / "b.txt"], store)
    store.update(
        "DELETE { GRAPH ?g { ?a pk:rulesFingerprint ?f } } "
        "WHERE { GRAPH ?g { ?a pk:rulesFingerprint ?f } }"
    )
    summary = build([tmp_path / "a.txt", tmp_path / "b.txt"], store)
    assert summary.updated == 1 and summary.skipped == 1
    (document,) = store.documents().values()
    assert [Path(f).name for f in document.files] == ["a.txt", "b.txt"]


def test_the_rules_fingerprint_follows_every_byte_of_the_rule_files(tmp_path):
    lexicons = tmp_path / "lexicons"
    lexicons.mkdir()
    (lexicons / "cues.yaml").write_text("should: recommendation\n", encoding="utf-8")
    files = [("lexicons/cues.yaml", lexicons / "cues.yaml")]
    before = fingerprint(files)
    (lexicons / "cues.yaml").write_text("should: recommendation \n", encoding="utf-8")
    assert fingerprint(files) != before
    assert fingerprint(files, "link=False") != fingerprint(files)


def parsed_imports(source: str) -> set[str]:
    """The package modules ``source`` imports relatively, found by parsing it."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            modules = [node.module] if node.module else [a.name for a in node.names]
            found.update(m.split(".")[0] for m in modules)
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in PACKAGE.glob("*.py")))
def test_the_imports_followed_are_those_a_parse_finds(module):
    source = (PACKAGE / module).read_text(encoding="utf-8")
    assert set(relative_imports(source)) == parsed_imports(source)


def test_every_form_of_relative_import_is_followed():
    source = (
        "from . import (\n    alpha,\n    beta as b,  # note\n)\n"
        "def f():\n    from .gamma.sub import x\n"
        "from ..outside import y\nfrom . import delta, epsilon as e\n"
    )
    assert set(relative_imports(source)) == parsed_imports(source)
    assert relative_imports(source) == ["alpha", "beta", "gamma", "delta", "epsilon"]


def test_extracting_without_linking_is_a_change_of_rules(corpus, store):
    build([corpus], store)
    assert build([corpus], store, link=False).updated == 3
    assert build([corpus], store, link=False).skipped == 3


def publishers(store: KgStore) -> set[str]:
    rows = store.query(
        "SELECT ?name WHERE { GRAPH ?g { ?d a pk:Document ; pk:publisher/rdfs:label ?name } }"
    )
    return {row["name"].value for row in rows}


def test_editing_a_sidecar_extracts_its_document_again(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    sidecar = tmp_path / "a.meta.yaml"
    sidecar.write_text('publisher: "First Review"\n', encoding="utf-8")
    build([tmp_path], store)
    sidecar.write_text('publisher: "Second Review"\n', encoding="utf-8")
    assert build([tmp_path], store).updated == 1
    assert publishers(store) == {"Second Review"}
    assert build([tmp_path], store).skipped == 1


def test_adding_and_removing_a_sidecar_extracts_the_document_again(tmp_path, store):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    build([tmp_path], store)
    sidecar = tmp_path / "a.meta.yaml"
    sidecar.write_text('publisher: "Added Review"\n', encoding="utf-8")
    assert build([tmp_path], store).updated == 1
    assert publishers(store) == {"Added Review"}
    sidecar.unlink()
    assert build([tmp_path], store).updated == 1
    assert "Added Review" not in publishers(store)


def test_a_rebuild_finds_the_same_sidecars_as_reading_does(tmp_path):
    files = ["a.txt", "a.meta.yaml", "b.txt", "b.txt.meta.yaml", "c.d.md", "c.d.meta.yaml"]
    files += ["e.txt", "e.meta.yaml", "e.txt.meta.yaml", "f.html", "g.txt", "h.txt"]
    files += ["..txt", "..meta.yaml"]  # Path("..txt").stem is "."
    for name in files:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "g.meta.yaml").mkdir()  # a folder is no sidecar
    (tmp_path / "h.meta.yaml").symlink_to(tmp_path / "e.meta.yaml")
    documents = [tmp_path / n for n in files if not n.endswith(".meta.yaml")]
    finder = kg.build.SidecarFinder()
    found = {d.name: finder(d) for d in documents}
    assert found == {d.name: find_sidecar(d) for d in documents}
    assert sum(path is not None for path in found.values()) == 6


def test_one_text_under_two_names_takes_the_first_names_sidecar_and_stays_put(tmp_path, store):
    for name, outlet in (("a", "Review A"), ("b", "Review B")):
        (tmp_path / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
        (tmp_path / f"{name}.meta.yaml").write_text(f'publisher: "{outlet}"\n', encoding="utf-8")
    build([tmp_path], store)
    assert publishers(store) == {"Review A"}
    again = build([tmp_path], store)
    assert (again.updated, again.skipped) == (0, 2)


def test_an_interrupted_build_finishes_the_batch_it_writes_and_begins_no_other(
    tmp_path, monkeypatch
):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for index in range(8):
        (corpus / f"article-{index}.txt").write_text(
            ARTICLE.replace("Tehran", f"Tehran {index}"), encoding="utf-8"
        )
    whole = KgStore(None)
    build([corpus], whole, batch=2)
    reference = {
        d.graph: export_bytes(whole, "nq", graph=d.graph) for d in whole.documents().values()
    }
    real_prepare, real_store = kg.build.prepare, kg.build.store_gathered
    writing_second_batch, interrupted = threading.Event(), threading.Event()

    def prepare(file, options):  # Ctrl-C while the third batch is read
        if file.name == "article-4.txt":
            assert writing_second_batch.wait(30)
            interrupted.set()
            raise KeyboardInterrupt
        return real_prepare(file, options)

    def store_gathered(store, stored, gathered, *rest):  # the second batch: two new documents
        second = any(p.file.endswith("article-2.txt") for p in gathered)
        real_store(store, stored, gathered, *rest)
        if second:
            writing_second_batch.set()
            assert interrupted.wait(30)
            time.sleep(0.5)  # for the interrupt to reach the build

    monkeypatch.setattr(kg.build, "prepare", prepare)
    monkeypatch.setattr(kg.build, "store_gathered", store_gathered)
    store = KgStore(tmp_path / "store")
    with pytest.raises(KeyboardInterrupt):
        build([corpus], store, batch=2)
    stored = store.documents().values()
    assert sorted(Path(f).name for d in stored for f in d.files) == [
        "article-0.txt",
        "article-1.txt",
        "article-2.txt",
        "article-3.txt",
    ]
    for doc in stored:
        assert export_bytes(store, "nq", graph=doc.graph) == reference[doc.graph]
