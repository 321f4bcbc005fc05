"""Sorting more lines than memory should hold: runs spilled to disk, then merged."""

from __future__ import annotations

import random
import tempfile
import tracemalloc

import pytest

from kg.errors import KgError
from kg.sortlines import sorted_lines


def random_chunks(count: int, seed: int = 3) -> list[list[bytes]]:
    rng = random.Random(seed)
    lines = [
        f"<urn:s{rng.randrange(count // 2)}> <urn:p> {rng.random()!r} .".encode()
        for _ in range(count)
    ]
    lines += lines[: count // 10]  # some lines twice, in other chunks
    return [lines[start : start + 97] for start in range(0, len(lines), 97)]


@pytest.mark.parametrize("run_lines", [1, 50, 1_000, None], ids=str)
def test_lines_sorted_in_runs_on_disk_come_out_as_one_sort_in_memory(run_lines):
    chunks = random_chunks(2_000)
    every = [line for chunk in chunks for line in chunk]
    assert list(sorted_lines(chunks, run_lines=run_lines)) == sorted(every)
    assert list(sorted_lines(chunks, unique=True, run_lines=run_lines)) == sorted(set(every))


def test_sorting_in_runs_holds_one_run_in_memory_not_every_line():
    def made_as_read(count: int):  # chunks nobody else holds: only the sort keeps them
        rng = random.Random(5)
        for _ in range(count // 100):
            yield [f"<urn:s{rng.random()!r}> <urn:p> <urn:o> .".encode() for _ in range(100)]

    def peak(run_lines: int | None) -> int:
        tracemalloc.start()
        try:
            for _line in sorted_lines(made_as_read(100_000), run_lines=run_lines):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak(2_000) * 4 < peak(None)


def test_nothing_to_sort_gives_no_lines():
    assert list(sorted_lines([], run_lines=1)) == []
    assert list(sorted_lines([[], []], unique=True)) == []


def test_a_run_that_cannot_be_written_is_a_one_line_error_naming_the_folder(monkeypatch, tmp_path):
    missing = tmp_path / "no-such-folder"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(KgError, match=f"{missing}: cannot write a sorted run there"):
        list(sorted_lines([[b"b", b"a"], [b"c"]], run_lines=1))
