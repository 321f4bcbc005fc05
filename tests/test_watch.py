"""`kg build --watch`: the store follows the folder, round after round, until stopped."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import ctrl_c_reaches_it
from kg import mentions
from kg.build import BuildSummary
from kg.pipeline import extract_file
from kg.store import KgStore
from kg.watch import IDLE_MAX_S, ChangeSignal, Pace, cached_builders, warm_up, watch

from .conftest import SEED_DOCUMENTS
from .test_build import ARTICLE

KG = str(Path(sys.executable).with_name("kg"))


SECOND = ARTICLE.replace("Tehran", "Caracas").replace("European Union", "Organization")


def test_each_round_takes_in_what_changed_since_the_last(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = KgStore(tmp_path / "store")
    steps = [
        lambda: (folder / "b.txt").write_text(SECOND, encoding="utf-8"),  # a new article
        lambda: (folder / "a.txt").write_text(ARTICLE + "\nA closing line.\n", encoding="utf-8"),
        lambda: (folder / "b.txt").unlink(),  # then a removal, for --prune
    ]
    seen: list[BuildSummary] = []

    def on_round(summary: BuildSummary) -> None:
        seen.append(summary)
        if len(seen) <= len(steps):
            steps[len(seen) - 1]()

    watch([folder], store, interval=0.01, rounds=5, on_round=on_round, prune=True)
    counts = [(s.added, s.updated, s.skipped, s.pruned) for s in seen]
    assert counts == [(1, 0, 0, 0), (1, 0, 1, 0), (0, 1, 1, 0), (0, 0, 1, 1)]
    assert [d.files for d in store.documents().values()] == [[(folder / "a.txt").as_posix()]]


def test_rounds_where_nothing_changed_say_nothing(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    seen: list[BuildSummary] = []
    watch([tmp_path / "a.txt"], KgStore(tmp_path / "store"), interval=0.01, rounds=3,
          on_round=seen.append)  # fmt: skip
    assert [(s.added, s.skipped) for s in seen] == [(1, 0)]


def test_the_command_keeps_the_store_in_step_until_interrupted(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    command = [KG, "--store", str(tmp_path / "store"), "build",
               str(folder), "--watch", "--interval", "0.1", "-q"]  # fmt: skip
    watcher = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_reaches_it,
    )
    try:
        first = watcher.stdout.readline()
        assert "1 added" in first, first
        (folder / "b.txt").write_text(SECOND, encoding="utf-8")
        began = time.monotonic()
        second = watcher.stdout.readline()
        assert "1 added" in second and "1 skipped" in second, second
        assert time.monotonic() - began < 30
    finally:
        watcher.send_signal(signal.SIGINT)
        _, errors = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, errors
    assert "on each change reported" in errors and "stopped watching" in errors
    assert len(KgStore(tmp_path / "store", read_only=True).documents()) == 2


def test_after_warm_up_an_article_is_extracted_without_building_any_rule_set():
    builders = cached_builders()
    assert mentions.pipeline in builders and mentions._matcher in builders
    for build_once in builders:  # as in a fresh process
        build_once.cache_clear()
    warm_up()
    built = {f: f.cache_info().misses for f in builders}
    for file in sorted(SEED_DOCUMENTS.glob("*.txt")):
        extract_file(file)
    assert {f: f.cache_info().misses for f in builders} == built


def test_a_change_wakes_the_watch_long_before_its_interval(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    seen: list[BuildSummary] = []

    def on_round(summary: BuildSummary) -> None:
        seen.append(summary)
        if len(seen) == 1:
            (tmp_path / "a.txt").write_text(ARTICLE + "\nA closing line.\n", encoding="utf-8")

    began = time.monotonic()
    watch([tmp_path], KgStore(tmp_path / "store"), interval=120, rounds=1, on_round=on_round)
    assert [(s.added, s.updated) for s in seen] == [(1, 0), (0, 1)]
    assert time.monotonic() - began < 60  # the change, not the two-minute tick, woke it


def test_only_documents_sidecars_and_folders_wake_a_watch(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with ChangeSignal([tmp_path]) as changes:
        (tmp_path / "a.txt").read_text(encoding="utf-8")  # a round reading a document
        (tmp_path / "notes.log").write_text("not a document", encoding="utf-8")
        (tmp_path / ".a.txt.swp").write_text("an editor's", encoding="utf-8")
        (tmp_path / ".git").mkdir()  # a hidden folder, which the build does not read
        (tmp_path / ".git" / "README.md").write_text("not read", encoding="utf-8")
        assert changes.wait(1.0) is False
        (tmp_path / "a.meta.yaml").write_text("title: A\n", encoding="utf-8")
        assert changes.wait(60) is True
        (tmp_path / "more").mkdir()
        assert changes.wait(60) is True
        (tmp_path / "more" / "b.md").write_text(SECOND, encoding="utf-8")
        assert changes.wait(60) is True


def test_an_idle_watch_checks_less_and_less_often_where_changes_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    paces: list[Pace] = []
    watch([tmp_path], KgStore(tmp_path / "store"), interval=0.05, rounds=4,
          on_pace=paces.append)  # fmt: skip
    (pace,) = paces
    assert pace.reported
    assert pace.wait == 0.05 * 2**4  # four checks found nothing


def test_a_change_no_event_reported_keeps_the_watch_checking_at_its_interval(tmp_path):
    elsewhere, folder = tmp_path / "elsewhere", tmp_path / "inbox"
    elsewhere.mkdir()
    folder.mkdir()
    (elsewhere / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "a.txt").symlink_to(elsewhere / "a.txt")  # edited where it lives: no event
    seen: list[BuildSummary] = []
    paces: list[Pace] = []

    def on_round(summary: BuildSummary) -> None:
        seen.append(summary)
        if len(seen) == 1:
            (elsewhere / "a.txt").write_text(ARTICLE + "\nA closing line.\n", encoding="utf-8")

    watch([folder], KgStore(tmp_path / "store"), interval=0.05, rounds=4, on_round=on_round,
          on_pace=paces.append)  # fmt: skip
    assert [(s.added, s.updated) for s in seen] == [(1, 0), (0, 1)]  # a check found it
    assert len(paces) == 2  # told at the start, and when the checks stopped growing apart
    assert not paces[-1].reported and paces[-1].wait == 0.05


def test_idle_checks_grow_apart_up_to_a_limit_and_close_up_on_a_change():
    pace = Pace(1.0, reported=True)
    waits = []
    for _ in range(7):
        pace.after(woken=False, found=False, missed=False)
        waits.append(pace.wait)
    assert waits == [2, 4, 8, 16, IDLE_MAX_S, IDLE_MAX_S, IDLE_MAX_S]
    pace.after(woken=True, found=True, missed=False)
    assert pace.wait == 1.0
    pace.after(woken=False, found=False, missed=False)
    assert pace.wait == 2.0


def test_a_change_no_event_reported_keeps_the_checks_at_the_interval():
    pace = Pace(1.0, reported=True)
    pace.after(woken=False, found=False, missed=False)
    pace.after(woken=False, found=True, missed=True)
    for _ in range(5):
        pace.after(woken=False, found=False, missed=False)
    assert (pace.wait, pace.reported) == (1.0, False)


def test_without_reported_changes_the_checks_keep_the_interval():
    pace = Pace(0.5, reported=False)
    for _ in range(5):
        pace.after(woken=False, found=False, missed=False)
    assert pace.wait == 0.5


def test_an_interval_longer_than_the_idle_limit_is_kept():
    pace = Pace(IDLE_MAX_S * 4, reported=True)
    for _ in range(3):
        pace.after(woken=False, found=False, missed=False)
    assert pace.wait == IDLE_MAX_S * 4
