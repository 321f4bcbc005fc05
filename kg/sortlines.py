"""Sorting more lines than memory should hold: sorted runs spilled to temporary files,
then merged.

An export of a large store is millions of N-Quads lines, written in sorted order so
that the same store gives the same bytes. Sorted a run at a time and merged, memory
holds one run (``RUN_LINES`` lines), whatever the store's size.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from .errors import KgError

RUN_LINES = 500_000  # lines sorted in memory at a time: about 100 MB of N-Quads


def sorted_lines(
    chunks: Iterable[Iterable[bytes]], *, unique: bool = False, run_lines: int | None = None
) -> Iterator[bytes]:
    """The lines of ``chunks`` (without line ends, none holding one) sorted as bytes,
    each once when ``unique``. Lines are gathered up to ``run_lines`` (default
    ``RUN_LINES``) at a time; a run
    that fills is sorted and spilled to a temporary file, and the runs are merged.

    >>> list(sorted_lines([[b"c", b"a"], [b"b", b"a"]], unique=True, run_lines=2))
    [b'a', b'b', b'c']
    >>> list(sorted_lines([[b"c", b"a"], [b"b", b"a"]], run_lines=2))
    [b'a', b'a', b'b', b'c']
    """
    run_lines = run_lines or RUN_LINES
    runs: list[IO[bytes]] = []
    buffer: list[bytes] = []
    try:
        for chunk in chunks:
            buffer.extend(chunk)
            if len(buffer) >= run_lines:
                runs.append(_spill(_sorted(buffer, unique)))
                buffer = []
        last = _sorted(buffer, unique)
        if not runs:
            yield from last
            return
        merged = heapq.merge(*(_read(run) for run in runs), last)
        yield from _once(merged) if unique else merged
    finally:
        for run in runs:
            run.close()


def batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter), taken as they come.

    >>> list(batches(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


def _sorted(lines: list[bytes], unique: bool) -> list[bytes]:
    return sorted(set(lines)) if unique else sorted(lines)


def _spill(lines: list[bytes]) -> IO[bytes]:
    run = None
    try:
        run = tempfile.TemporaryFile(prefix="kg-sort-")  # noqa: SIM115 - closed by sorted_lines
        run.write(b"\n".join(lines) + b"\n")  # a full run: never empty
        run.seek(0)
    except OSError as error:
        if run is not None:
            run.close()
        raise KgError(
            f"{tempfile.gettempdir()}: cannot write a sorted run there ({error.strerror}); "
            "set TMPDIR to a folder with more free space"
        ) from error
    return run


def _read(run: IO[bytes]) -> Iterator[bytes]:
    for line in run:
        yield line[:-1]


def _once(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
        previous = line
